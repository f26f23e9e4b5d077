// `atmos-secret history` as a real process against the Key Vault emulator: after two sets, the secret's versions
// newest first, the latest marked current, never a value.
import { describe, expect, it } from 'vitest';
import { start } from '../../../test/support/emulators/azure-keyvault';
import { storeCliSuite } from '../../../test/support/store-cli';
import { atmosYaml, DEV_STACK, devStack } from '../../../test/support/store-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-azure-history`;
const NAME = 'atmos-dev-api-DB-PASSWORD';

const t = storeCliSuite({
  start: () => start(),
  files: (emu) => ({
    'atmos.yaml': atmosYaml([
      'stores:',
      '  azure:',
      '    kind: azure/keyvault',
      '    secret: true',
      '    options:',
      '      vault_url: https://atmos-demo.vault.azure.net/',
      `      endpoint: ${emu.url}`,
      '      endpoint_insecure: true',
      '      without_authentication: true',
      '      prefix: atmos',
    ]),
    [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'azure' } } }),
  }),
  unset: ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'],
});

interface History {
  supported: boolean;
  versions: { version: string; current: boolean }[];
}

describe('atmos-secret history with an azure/keyvault store (spawned CLI, Key Vault emulator)', () => {
  it('prints the versions newest first with the current one marked, never values', async () => {
    for (const v of ['1', '2']) {
      const set = await t.cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], {
        stdin: `${CANARY}-${v}\n`,
      });
      expect(set.code, set.stderr).toBe(0);
    }
    expect(t.emu.stored(NAME)?.map((v) => v.value)).toEqual([`${CANARY}-1`, `${CANARY}-2`]);

    const run = await t.cli(['history', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const h = JSON.parse(run.stdout) as History;
    expect(h.supported).toBe(true);
    expect(h.versions.map((v) => v.current)).toEqual([true, false]);
    expect(h.versions.map((v) => v.version)).toEqual(
      t.emu
        .stored(NAME)
        ?.map((v) => v.version)
        .reverse(),
    );
    const table = await t.cli(['history', 'DB_PASSWORD', '-s', 'dev', '-c', 'api']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/\byes\b/);
    expect(run.stdout + run.stderr + table.stdout + table.stderr).not.toContain(CANARY);
  });
});
