// End to end: the built `atmos-secret` CLI, as a real process, against the SSM emulator through a
// workspace whose atmos.yaml points an aws/ssm store at it (`endpoint`): set --stdin, get, list --verify,
// delete --yes, and a backend that is down (status `error`, never `missing`). Credentials come from the
// environment (the SDK's default chain), as in CI; the host's AWS files and instance metadata are kept out.
import { describe, expect, it } from 'vitest';
import { start } from '../../../../test/support/emulators/aws-ssm';
import {
  AWS_CLI_UNSET,
  awsCliEnv,
  awsStoreYaml,
  EMULATOR_KEY,
} from '../../../../test/support/emulators/aws-json/store-fixtures';
import {
  expectAwsRoundTrip,
  expectAwsVerifyDown,
  expectWrongCredentials,
} from '../../../../test/support/emulators/aws-json/cli-checks';
import { storeCliSuite } from '../../../../test/support/store-cli';
import { atmosYaml, DEV_STACK, devStack } from '../../../../test/support/store-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-ssm`;

const t = storeCliSuite({
  start: () => start({ accessKeyIds: [EMULATOR_KEY] }),
  files: (emu) => ({
    'atmos.yaml': atmosYaml(awsStoreYaml('aws/ssm', emu.url)),
    [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'aws', required: true }, API_KEY: { store: 'aws' } } }),
  }),
  env: (_emu, dir) => awsCliEnv(dir),
  unset: AWS_CLI_UNSET,
});

describe('atmos-secret with an aws/ssm store (spawned CLI, SSM emulator)', () => {
  it('set --stdin, get, list --verify, delete --yes', async () => {
    await expectAwsRoundTrip(t, t.emu, CANARY, 'GetParameters', {
      afterSet: () =>
        expect(t.emu.parameter('/atmos/dev/api/DB_PASSWORD')).toMatchObject({ type: 'SecureString', value: CANARY }),
      afterDelete: () => expect(t.emu.parameter('/atmos/dev/api/DB_PASSWORD')).toBeUndefined(),
    });
  });

  it('a backend answering 5xx makes every verified row `error` (exit 1), never `missing`', async () => {
    await expectAwsVerifyDown(t, t.emu, 'GetParameters');
  });

  it('wrong credentials fail the set with exit 1, naming the store and secret', async () => {
    await expectWrongCredentials(t.dir, CANARY);
  });
});
