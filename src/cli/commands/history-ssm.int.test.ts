// `atmos-secret history` as a real process against the SSM emulator: after two sets, the parameter's history
// (GetParameterHistory) newest first, the latest marked current, never a value. The host's AWS files and
// instance metadata are kept out.
import { describe, expect, it } from 'vitest';
import { start } from '../../../test/support/emulators/aws-ssm';
import {
  AWS_CLI_UNSET,
  awsCliEnv,
  awsStoreYaml,
  EMULATOR_KEY,
} from '../../../test/support/emulators/aws-json/store-fixtures';
import { expectHistory, storeCliSuite } from '../../../test/support/store-cli';
import { atmosYaml, DEV_STACK, devStack } from '../../../test/support/store-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-ssm-history`;

const t = storeCliSuite({
  start: () => start({ accessKeyIds: [EMULATOR_KEY] }),
  files: (emu) => ({
    'atmos.yaml': atmosYaml(awsStoreYaml('aws/ssm', emu.url)),
    [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'aws' } } }),
  }),
  env: (_emu, dir) => awsCliEnv(dir),
  unset: AWS_CLI_UNSET,
});

describe('atmos-secret history with an aws/ssm store (spawned CLI, SSM emulator)', () => {
  it('prints the versions newest first with the current one marked, never values', async () => {
    await expectHistory(t, CANARY, {
      // SSM numbers a parameter's versions 1, 2, ...
      versions: (versions) =>
        expect(versions.map((v) => [v.version, v.current])).toEqual([
          ['2', true],
          ['1', false],
        ]),
    });
  });
});
