// `atmos-secret stores`, `stores test NAME` and `history NAME` in-process, over a keychain store (memory
// keychain), a kind without an adapter and a plain store: formats, masking, exit codes.
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryKeychain } from '../../main/keychain/memory-keychain';
import { removeWrittenWorkspaces, writeWorkspace } from '../../../test/support/secrets-workspace';
import { atmosYaml, DEV_STACK, devStack } from '../../../test/support/store-workspace';
import type { CliRun } from '../../../test/support/cli';
import { runCliOn } from '../../../test/support/in-process-cli';

afterAll(removeWrittenWorkspaces);

const CANARY = 'CANARY-cli-stores-91c2';

const dir = writeWorkspace({
  'atmos.yaml': atmosYaml([
    'stores:',
    '  kc:',
    '    kind: keychain',
    '    options: { prefix: fx }',
    '  op:',
    '    kind: onepassword',
    `    options: { connect_token: ${CANARY}, vault: Ops }`,
    '  cache:',
    '    kind: redis',
  ]),
  [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'kc' } } }),
});

const run = (args: string[], keychain = new MemoryKeychain()): Promise<CliRun> => runCliOn(dir, args, keychain);

describe('atmos-secret stores', () => {
  it('lists the stores as json with credentials masked and adapter availability', async () => {
    const r = await run(['stores', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as {
      name: string;
      kind: string;
      available: boolean;
      options: Record<string, string>;
    }[];
    expect(list.map((s) => [s.name, s.kind, s.available])).toEqual([
      ['cache', 'redis', false],
      ['kc', 'keychain', true],
      ['op', 'onepassword', true],
    ]);
    expect(list[2]?.options).toEqual({ connect_token: '<MASKED>', vault: 'Ops' });
    expect(r.stdout + r.stderr).not.toContain(CANARY);
  });

  it('lists them as a table', async () => {
    const r = await run(['stores']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+KIND\s+SECRET\s+IDENTITY\s+ADAPTER\s+OPTIONS$/);
    expect(lines.find((l) => l.startsWith('op '))).toMatch(
      /onepassword\s+yes\s+yes\s+connect_token=<MASKED> vault=Ops/,
    );
    expect(r.stdout).not.toContain(CANARY);
  });

  it('stores test: exit 0 when reachable, 1 when it fails, 2 for an unknown store or format', async () => {
    const ok = await run(['stores', 'test', 'kc', '--format', 'json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      store: 'kc',
      kind: 'keychain',
      ok: true,
      probe: expect.stringMatching(/^fx\/ATMOS_SECRETS_CONNECTION_TEST_/),
    });
    const okTable = await run(['stores', 'test', 'kc']);
    expect(okTable.code).toBe(0);
    expect(okTable.stdout).toContain('✓ store "kc" (keychain) is reachable and accepted the credentials');
    const failed = await run(['stores', 'test', 'op']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('✗ store "op" (onepassword) failed the connection test [AUTH]');
    const failedJson = await run(['stores', 'test', 'op', '--format', 'json']);
    expect(failedJson.code).toBe(1);
    expect(JSON.parse(failedJson.stdout)).toMatchObject({ store: 'op', ok: false, code: 'AUTH' });
    const unknown = await run(['stores', 'test', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('store "nope" is not configured; configured stores: cache, kc, op');
    expect((await run(['stores', 'test', 'kc', '--format', 'xml'])).code).toBe(2);
    expect((await run(['stores', '--format', 'csv'])).code).toBe(2);
  });
});

describe('atmos-secret history', () => {
  it('says plainly that the keychain keeps no versions (json and table)', async () => {
    const j = await run(['history', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--format', 'json']);
    expect(j.code, j.stderr).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({
      secret: 'DB_PASSWORD',
      stack: 'dev',
      component: 'api',
      provider: 'store:kc',
      supported: false,
      canRestore: false,
      versions: [],
      note: 'store "kc" (keychain) keeps no version history: only the current value exists',
    });
    const t = await run(['history', 'DB_PASSWORD', '-s', 'dev', '-c', 'api']);
    expect(t.code).toBe(0);
    expect(t.stdout).toBe('');
    expect(t.stderr).toContain('keeps no version history');
  });

  it('exits 2 without a stack or for an undeclared secret', async () => {
    expect((await run(['history', 'DB_PASSWORD'])).code).toBe(2);
    const undeclared = await run(['history', 'NOPE', '-s', 'dev', '-c', 'api']);
    expect(undeclared.code).toBe(2);
    expect(undeclared.stderr).toContain('NOPE');
  });
});
