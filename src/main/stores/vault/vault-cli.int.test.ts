// End to end: the built `atmos-secret` CLI, as a real process, against the Vault emulator through a workspace
// whose atmos.yaml points a hashicorp/vault store at it: set --stdin, get, list --verify, delete --yes, and a
// Vault that is down (status `error`, never `missing`). The token comes from VAULT_TOKEN, as in CI.
import { describe, expect, it } from 'vitest';
import { start } from '../../../../test/support/emulators/vault';
import { storeCliSuite } from '../../../../test/support/store-cli';
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
const cli = (args: string[], stdin?: string) => t.cli(args, { stdin });
const listVerify = () => t.listVerify();

describe('atmos-secret with a hashicorp/vault store (spawned CLI, Vault emulator)', () => {
  it('set --stdin, get, list --verify, delete --yes', async () => {
    const set = await cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], `${CANARY}\n`);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout + set.stderr).not.toContain(CANARY);
    expect(t.emu.stored('secret', 'atmos/dev/api/DB_PASSWORD')?.[0]?.data).toEqual({ value: CANARY });

    const get = await cli(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--raw']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(CANARY);

    const listed = await listVerify();
    expect(listed.code).toBe(0);
    expect(listed.rows.map((r) => [r.secret, r.status]).sort()).toEqual([
      ['API_KEY', 'missing'],
      ['DB_PASSWORD', 'initialized'],
    ]);
    expect(listed.output).not.toContain(CANARY);

    const del = await cli(['delete', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--yes']);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout + del.stderr).not.toContain(CANARY);
    // Soft delete of the latest version: the history stays in Vault.
    expect(t.emu.stored('secret', 'atmos/dev/api/DB_PASSWORD')?.[0]).toMatchObject({ version: 1, deleted: true });
    const after = await listVerify();
    expect(after.rows.find((r) => r.secret === 'DB_PASSWORD')?.status).toBe('missing');
  });

  it("a sealed Vault makes every verified row `error` with Vault's words (exit 1), never `missing`", async () => {
    t.emu.injectFault('sealed', 100, 'read');
    try {
      const down = await listVerify();
      expect(down.code).toBe(1);
      expect(down.rows.map((r) => r.status)).toEqual(['error', 'error']);
      // Why, once for the store's batch, on stderr: Vault's own words (either secret's read may fail first).
      expect(down.stderr).toMatch(
        new RegExp(
          `warning: store:vault: store "vault" \\(hashicorp/vault\\) is unavailable: Vault at ${t.emu.url} answered 503 to the read of secret "(API_KEY|DB_PASSWORD)" \\(secret/atmos/dev/api/(API_KEY|DB_PASSWORD)\\): Vault is sealed \\(after 4 attempts\\) \\(2 secret\\(s\\) not checked\\)`,
        ),
      );
    } finally {
      t.emu.clearFaults();
    }
  });

  it('get of a missing secret exits 1 naming the secret and how to set it', async () => {
    const run = await cli(['get', 'API_KEY', '-s', 'dev', '-c', 'api']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('secret is not initialized in its backend: "API_KEY"');
    expect(run.stderr).toContain('atmos-secret set API_KEY -s dev -c api');
  });
});
