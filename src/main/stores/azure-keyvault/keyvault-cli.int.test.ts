// End to end: the built `atmos-secret` CLI, as a real process, against the Key Vault emulator through a
// workspace whose atmos.yaml points an azure/keyvault store at it (plain http, a placeholder token): set --stdin,
// get, list --verify, delete --yes, set again after the delete (the soft-deleted secret is recovered), and a
// vault that is down (status `error`, never `missing`).
import { describe, expect, it } from 'vitest';
import { start } from '../../../../test/support/emulators/azure-keyvault';
import { expectRoundTrip, expectVerifyDown, storeCliSuite } from '../../../../test/support/store-cli';
import { KEYVAULT_CLI_UNSET, keyvaultStoreYaml } from '../../../../test/support/store-cli-yaml';
import { atmosYaml, DEV_STACK, devStack } from '../../../../test/support/store-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-azure`;
const NAME = 'atmos-dev-api-DB-PASSWORD';

const t = storeCliSuite({
  start: () => start(),
  files: (emu) => ({
    'atmos.yaml': atmosYaml(keyvaultStoreYaml(emu.url)),
    [DEV_STACK]: devStack({
      api: { DB_PASSWORD: { store: 'azure', required: true }, API_KEY: { store: 'azure' } },
      // atmos-dev-api-db-PASSWORD: the same Key Vault name as api's DB_PASSWORD, but for case.
      'api/db': { PASSWORD: { store: 'azure' } },
    }),
  }),
  unset: KEYVAULT_CLI_UNSET,
});
const cli = (args: string[], stdin?: string) => t.cli(args, { stdin });

describe('atmos-secret with an azure/keyvault store (spawned CLI, Key Vault emulator)', () => {
  it('set --stdin, get, list --verify, delete --yes, then set again (recovering the soft-deleted secret)', async () => {
    await expectRoundTrip(t, CANARY, {
      afterSet: () =>
        expect(t.emu.stored(NAME)?.map((v) => [v.value, v.tags['atmos-path']])).toEqual([
          [CANARY, 'atmos/dev/api/DB_PASSWORD'],
        ]),
      afterDelete: () => expect(t.emu.isDeleted(NAME)).toBe(true),
    });

    const again = await cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], 'rotated\n');
    expect(again.code, again.stderr).toBe(0);
    expect(t.emu.isDeleted(NAME)).toBe(false);
    expect(t.emu.stored(NAME)?.map((v) => v.value)).toEqual([CANARY, 'rotated']);
  });

  it('a vault answering 500 makes every verified row `error` with its words (exit 1), never `missing`', async () => {
    await expectVerifyDown(
      t,
      { inject: () => t.emu.injectFault('internal', 100, 'get'), clear: () => t.emu.clearFaults() },
      /store "azure" \(azure\/keyvault\) is unavailable: Key Vault at http:\/\/127\.0\.0\.1:\d+ answered 500 InternalServerError to the read of secret "(API_KEY|DB_PASSWORD)"/,
    );
  });

  it('validate reports two secrets that map to one Key Vault name (lossy and case-insensitive)', async () => {
    const run = await cli(['validate', '-s', 'dev']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '✗ [name-collision] store "azure" maps 2 different secrets to one name "atmos-dev-api-DB-PASSWORD": DB_PASSWORD (dev/api), PASSWORD (dev/api/db)\n',
    );
  });

  it('get of a missing secret exits 1 naming the secret and how to set it', async () => {
    const run = await cli(['get', 'API_KEY', '-s', 'dev', '-c', 'api']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('"API_KEY"');
    expect(run.stderr).toContain('atmos-secret set API_KEY -s dev -c api');
  });
});
