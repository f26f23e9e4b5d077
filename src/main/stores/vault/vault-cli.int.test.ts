// End to end: the built `atmos-secret` CLI, as a real process, against the Vault emulator through a workspace
// whose atmos.yaml points a hashicorp/vault store at it: set --stdin, get, list --verify, delete --yes, and a
// Vault that is down (status `error`, never `missing`). The token comes from VAULT_TOKEN, as in CI.
import { describe, expect, it } from 'vitest';
import { start } from '../../../../test/support/emulators/vault';
import { expectMissingGet, expectRoundTrip, expectVerifyDown, storeCliSuite } from '../../../../test/support/store-cli';
import { atmosYaml, DEV_STACK, devStack } from '../../../../test/support/store-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-vault`;

const t = storeCliSuite({
  start: () => start(),
  files: (emu) => ({
    'atmos.yaml': atmosYaml([
      'stores:',
      '  vault:',
      '    kind: hashicorp/vault',
      '    secret: true',
      '    options:',
      `      url: ${emu.url}`,
      '      mount: secret',
      '      prefix: atmos',
    ]),
    [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'vault', required: true }, API_KEY: { store: 'vault' } } }),
  }),
  env: (emu) => ({ VAULT_TOKEN: emu.rootToken }),
});
describe('atmos-secret with a hashicorp/vault store (spawned CLI, Vault emulator)', () => {
  it('set --stdin, get, list --verify, delete --yes', async () => {
    await expectRoundTrip(t, CANARY, {
      afterSet: () => expect(t.emu.stored('secret', 'atmos/dev/api/DB_PASSWORD')?.[0]?.data).toEqual({ value: CANARY }),
      // Soft delete of the latest version: the history stays in Vault.
      afterDelete: () =>
        expect(t.emu.stored('secret', 'atmos/dev/api/DB_PASSWORD')?.[0]).toMatchObject({ version: 1, deleted: true }),
    });
  });

  it("a sealed Vault makes every verified row `error` with Vault's words (exit 1), never `missing`", async () => {
    await expectVerifyDown(
      t,
      { inject: () => t.emu.injectFault('sealed', 100, 'read'), clear: () => t.emu.clearFaults() },
      // Why, once for the store's batch, on stderr: Vault's own words (either secret's read may fail first).
      new RegExp(
        `warning: store:vault: store "vault" \\(hashicorp/vault\\) is unavailable: Vault at ${t.emu.url} answered 503 to the read of secret "(API_KEY|DB_PASSWORD)" \\(secret/atmos/dev/api/(API_KEY|DB_PASSWORD)\\): Vault is sealed \\(after 4 attempts\\) \\(2 secret\\(s\\) not checked\\)`,
      ),
    );
  });

  it('get of a missing secret exits 1 naming the secret and how to set it', async () => {
    await expectMissingGet(t);
  });
});
