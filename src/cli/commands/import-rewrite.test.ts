import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RewritePlan } from '../../main/secrets';
import { demoCli, type DemoCli } from '../../../test/support/demo-cli';

// The demo's api catalog reads `!store legacy atmos shared client_secret` (keychain store `legacy`, prefix
// legacy): one source every stack shares, so the proposal is a global CLIENT_SECRET in the same store.
const CATALOG = 'stacks/catalog/api/defaults.yaml';
const SOURCE_ACCOUNT = 'legacy/atmos/shared/client_secret';
const TARGET_ACCOUNT = 'legacy/CLIENT_SECRET';

let cli: DemoCli;
beforeEach(() => {
  cli = demoCli();
});
afterEach(() => cli.cleanup());

const read = (rel: string): string => readFileSync(cli.path(rel), 'utf8');
const keychain = () => cli.keychains.get();

async function seedSource(value = 'legacy-value'): Promise<void> {
  await keychain().set(SOURCE_ACCOUNT, JSON.stringify(value));
}

const REWRITTEN = (before: string): string =>
  before
    .replace(
      '          STRIPE_API_KEY:\n            description: Stripe secret key\n            store: keychain\n',
      '          STRIPE_API_KEY:\n            description: Stripe secret key\n            store: keychain\n          CLIENT_SECRET:\n            store: legacy\n            scope: global\n',
    )
    .replace(
      '        CLIENT_SECRET: !store legacy atmos shared client_secret\n',
      '        CLIENT_SECRET: !secret CLIENT_SECRET\n',
    );

describe('atmos-secret import --rewrite', () => {
  it('plans first: the proposal, the copy and the diff, with nothing written (--dry-run)', async () => {
    await seedSource();
    const before = read(CATALOG);
    const r = await cli.run(['import', '--rewrite', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('stacks/catalog/api/defaults.yaml:25');
    expect(r.stdout).toContain(`copy legacy: ${SOURCE_ACCOUNT} -> store "legacy" (keychain) at ${TARGET_ACCOUNT}`);
    expect(r.stdout).toContain('+        CLIENT_SECRET: !secret CLIENT_SECRET\n');
    expect(r.stderr).toContain('Dry run: nothing written.');
    expect(read(CATALOG)).toBe(before);
    expect(await keychain().get(TARGET_ACCOUNT)).toBeNull();
  });

  it('copies the value, declares the secret and rewrites the use in place; the source stays', async () => {
    await seedSource('the-value');
    const before = read(CATALOG);
    const r = await cli.run(['import', '--rewrite', '--yes', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const run = JSON.parse(r.stdout) as RewritePlan;
    expect(run.applied).toBe(true);
    expect(run.items).toEqual([
      expect.objectContaining({
        id: 'stacks/catalog/api/defaults.yaml:25',
        name: 'CLIENT_SECRET',
        scope: 'global',
        store: 'legacy',
        declared: 'done',
        rewritten: 'done',
        outcome: 'done',
        copies: [expect.objectContaining({ state: 'copied', stacks: ['plat-ue2-dev', 'plat-ue2-prod'] })],
      }),
    ]);
    expect(read(CATALOG)).toBe(REWRITTEN(before));
    expect(await keychain().get(TARGET_ACCOUNT)).toBe(JSON.stringify('the-value'));
    expect(await keychain().get(SOURCE_ACCOUNT)).toBe(JSON.stringify('the-value'));
    // The engine reads the rewritten workspace: the secret resolves through its declaration.
    const got = await cli.run(['get', 'CLIENT_SECRET', '-s', 'plat-ue2-prod', '-c', 'api']);
    expect([got.code, got.stdout]).toEqual([0, 'the-value\n']);
    const again = await cli.run(['import', '--list']);
    expect(again.stderr).toContain('No !store uses on secret stores.');
  });

  it('takes the person adjustments (name, store, scope) from --choices', async () => {
    await seedSource('v');
    writeFileSync(
      cli.path('choices.json'),
      JSON.stringify([
        { id: 'stacks/catalog/api/defaults.yaml:25', name: 'API_CLIENT_SECRET', store: 'keychain', scope: 'instance' },
      ]),
    );
    const r = await cli.run(['import', '--rewrite', '--choices', 'choices.json', '--yes']);
    expect(r.code).toBe(0);
    expect(read(CATALOG)).toContain('        CLIENT_SECRET: !secret API_CLIENT_SECRET\n');
    expect(read(CATALOG)).toContain('          API_CLIENT_SECRET:\n            store: keychain\n');
    // Instance scope: one copy per stack, each at its own path.
    expect(await keychain().get('atmos-demo/plat/ue2/dev/api/API_CLIENT_SECRET')).toBe(JSON.stringify('v'));
    expect(await keychain().get('atmos-demo/plat/ue2/prod/api/API_CLIENT_SECRET')).toBe(JSON.stringify('v'));
  });

  it('a missing source fails its item already in the plan, and nothing runs', async () => {
    const before = read(CATALOG);
    const r = await cli.run(['import', '--rewrite', '--yes', '--format', 'json']);
    // The plan already says the source is missing: nothing is going, so nothing is asked or run.
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as RewritePlan;
    expect(plan.applied).toBe(false);
    expect(plan.items[0]).toMatchObject({
      outcome: 'failed',
      copies: [expect.objectContaining({ state: 'source-missing' })],
    });
    expect(read(CATALOG)).toBe(before);
  });

  it('needs --yes without a terminal (exit 2), and a file changed after the plan fails its items (exit 1)', async () => {
    await seedSource();
    const before = read(CATALOG);
    const asked = await cli.run(['import', '--rewrite']);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toContain('confirmation needed');
    expect(read(CATALOG)).toBe(before);

    const r = await cli.run(['import', '--rewrite'], {
      confirm: async () => {
        writeFileSync(cli.path(CATALOG), `${read(CATALOG)}# edited meanwhile\n`);
        return true;
      },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('changed on disk since the plan');
    expect(read(CATALOG)).toBe(`${before}# edited meanwhile\n`);
  });
});
