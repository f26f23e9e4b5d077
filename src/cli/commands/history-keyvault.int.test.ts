// `atmos-secret history` as a real process against the Key Vault emulator: after two sets, the secret's versions
// newest first, the latest marked current, never a value.
import { describe, expect, it } from 'vitest';
import { start } from '../../../test/support/emulators/azure-keyvault';
import { expectHistory, storeCliSuite } from '../../../test/support/store-cli';
import { KEYVAULT_CLI_UNSET, keyvaultStoreYaml } from '../../../test/support/store-cli-yaml';
import { atmosYaml, DEV_STACK, devStack } from '../../../test/support/store-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-azure-history`;
const NAME = 'atmos-dev-api-DB-PASSWORD';

const t = storeCliSuite({
  start: () => start(),
  files: (emu) => ({
    'atmos.yaml': atmosYaml(keyvaultStoreYaml(emu.url)),
    [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'azure' } } }),
  }),
  unset: KEYVAULT_CLI_UNSET,
});

describe('atmos-secret history with an azure/keyvault store (spawned CLI, Key Vault emulator)', () => {
  it('prints the versions newest first with the current one marked, never values', async () => {
    await expectHistory(t, CANARY, {
      afterSets: () => expect(t.emu.stored(NAME)?.map((v) => v.value)).toEqual([`${CANARY}-1`, `${CANARY}-2`]),
      versions: (versions) => {
        expect(versions.map((v) => v.current)).toEqual([true, false]);
        expect(versions.map((v) => v.version)).toEqual(
          t.emu
            .stored(NAME)
            ?.map((v) => v.version)
            .reverse(),
        );
      },
    });
  });
});
