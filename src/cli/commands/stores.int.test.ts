// `atmos-secret stores`, `stores test` and `history` as real processes: a keychain store on the real OS keychain
// (private keyring), a kind this build has no adapter for, a plain store, and a hashicorp/vault store against the
// Vault emulator (versions newest first; a wrong token is exit 1 with Vault's words; a Vault that is down too).
import { afterAll, describe, expect, it } from 'vitest';
import { start } from '../../../test/support/emulators/vault';
import { emptyKeychain, testKeychain } from '../../../test/support/keychain';
import { storeCliSuite } from '../../../test/support/store-cli';
import { atmosYaml, DEV_STACK, devStack } from '../../../test/support/store-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-stores`;
const keychain = testKeychain('stores-cli');

const t = storeCliSuite({
  start: () => start(),
  files: (emu) => ({
    'atmos.yaml': atmosYaml([
      'stores:',
      '  kc:',
      '    kind: keychain',
      `    options: { prefix: fx, service: ${keychain.service} }`,
      '  vault:',
      '    kind: hashicorp/vault',
      '    secret: true',
      '    options:',
      `      url: ${emu.url}`,
      '      mount: secret',
      '      prefix: atmos',
      '  op:',
      '    kind: onepassword',
      `    options: { connect_token: ${CANARY} }`,
      '  cache:',
      '    kind: redis',
    ]),
    [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'vault' }, LOCAL: { store: 'kc' } } }),
  }),
  env: (emu) => ({ VAULT_TOKEN: emu.rootToken }),
});
afterAll(() => emptyKeychain(keychain));

function cli(args: string[], o: { stdin?: string; token?: string } = {}) {
  return t.cli(args, { stdin: o.stdin, env: o.token === undefined ? {} : { VAULT_TOKEN: o.token } });
}

describe('atmos-secret stores (spawned)', () => {
  it('lists every store with its kind, masked options and adapter availability', async () => {
    const run = await cli(['stores', '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const list = JSON.parse(run.stdout) as { name: string; kind: string; available: boolean; takesToken: boolean }[];
    expect(list.map((s) => `${s.name} ${s.kind} ${s.available} ${s.takesToken}`)).toEqual([
      'cache redis false false',
      'kc keychain true false',
      'op onepassword true true',
      'vault hashicorp/vault true true',
    ]);
    expect(run.stdout + run.stderr).not.toContain(CANARY);
  });

  it('stores test: keychain and Vault pass; wrong token, no 1Password token and a down Vault exit 1; unknown exits 2', async () => {
    const kc = await cli(['stores', 'test', 'kc']);
    expect(kc.code, kc.stderr).toBe(0);
    expect(kc.stdout).toContain('✓ store "kc" (keychain) is reachable');
    const vault = await cli(['stores', 'test', 'vault', '--format', 'json']);
    expect(vault.code, vault.stderr).toBe(0);
    expect(JSON.parse(vault.stdout)).toMatchObject({
      ok: true,
      probe: expect.stringMatching(/^atmos\/ATMOS_SECRETS_CONNECTION_TEST_/),
    });
    const wrong = await cli(['stores', 'test', 'vault', '--format', 'json'], { token: `hvs.${CANARY}` });
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ ok: false, code: 'AUTH' });
    expect(wrong.stdout + wrong.stderr).not.toContain(CANARY);
    const op = await cli(['stores', 'test', 'op']);
    expect(op.code).toBe(1);
    expect(op.stderr).toContain('[AUTH]');
    t.emu.injectFault('sealed', 100);
    const down = await cli(['stores', 'test', 'vault']);
    t.emu.clearFaults();
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /✗ store "vault" \(hashicorp\/vault\) failed the connection test \[BACKEND\]: .*unavailable/,
    );
    const unknown = await cli(['stores', 'test', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe(
      'atmos-secret: store "nope" is not configured; configured stores: cache, kc, op, vault',
    );
  });
});

describe('atmos-secret history (spawned)', () => {
  it('prints Vault versions newest first, never values', async () => {
    for (const v of ['1', '2', '3']) {
      const set = await cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], { stdin: `${CANARY}-${v}\n` });
      expect(set.code, set.stderr).toBe(0);
    }
    const json = await cli(['history', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const h = JSON.parse(json.stdout) as {
      supported: boolean;
      versions: { version: string; current: boolean; createdAt: string }[];
    };
    expect(h.supported).toBe(true);
    expect(h.versions.map((v) => `${v.version}${v.current ? '*' : ''}`)).toEqual(['3*', '2', '1']);
    expect(h.versions.every((v) => !Number.isNaN(Date.parse(v.createdAt)))).toBe(true);
    const table = await cli(['history', 'DB_PASSWORD', '-s', 'dev', '-c', 'api']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^VERSION\s+CREATED\s+CURRENT\s+STAGES \/ STATE$/);
    expect(table.stdout.split('\n')[1]).toMatch(/^3\s+\S+\s+yes/);
    expect(json.stdout + json.stderr + table.stdout + table.stderr).not.toContain(CANARY);
  });

  it('says the keychain keeps no versions', async () => {
    const run = await cli(['history', 'LOCAL', '-s', 'dev', '-c', 'api']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('store "kc" (keychain) keeps no version history');
  });
});
