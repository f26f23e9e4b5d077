// `atmos-secret history` as a real process against the Secret Manager emulator (gRPC): after two sets, the
// secret's versions newest first, the latest marked current, never a value.
import { describe, expect, it } from 'vitest';
import { start } from '../../../test/support/emulators/gcp-secretmanager';
import { expectHistory, storeCliSuite } from '../../../test/support/store-cli';
import { gcpStoreYaml } from '../../../test/support/store-cli-yaml';
import { atmosYaml, DEV_STACK, devStack } from '../../../test/support/store-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-gcp-history`;
const PROJECT = 'history-project';

const t = storeCliSuite({
  start: () => start(),
  files: (emu) => ({
    'atmos.yaml': atmosYaml(gcpStoreYaml(PROJECT, emu.endpoint)),
    [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'gsm' } } }),
  }),
});

describe('atmos-secret history with a gcp/secretmanager store (spawned CLI, Secret Manager emulator)', () => {
  it('prints the versions newest first with the current one marked, never values', async () => {
    await expectHistory(t, CANARY, {
      afterSets: () => expect(t.emu.secret(PROJECT, 'atmos_dev_api_DB_PASSWORD')?.versions).toHaveLength(2),
      // Secret Manager numbers a secret's versions 1, 2, ...
      versions: (versions) =>
        expect(versions.map((v) => [v.version, v.current])).toEqual([
          ['2', true],
          ['1', false],
        ]),
    });
  });
});
