// The declare and import-wizard channels through the real router and handlers on a copy of the demo (memory
// keychains): plan then save with the plan's hash; a file changed since the plan answers changed-on-disk and
// writes nothing; a manifest outside the workspace is refused; options list the existing declaration; removal
// deletes the value when asked; the wizard's run is bound to the plan's files.
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryAppRouter, TRUSTED_SENDER } from '../../../test/support/app-router';
import { REPO_ROOT } from '../../../test/support/paths';
import { MemoryKeychains } from '../../../test/support/secrets-workspace';
import type { IpcRouter } from '.';

const DEV_FILE = 'stacks/orgs/acme/plat/dev/us-east-2.yaml';
const CATALOG = 'stacks/catalog/api/defaults.yaml';

type Envelope = { ok: true; value: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };

let dir: string;
let router: IpcRouter;
let keychains: MemoryKeychains;

async function call(channel: string, request: unknown): Promise<Envelope> {
  return (await router.dispatch(channel, request, TRUSTED_SENDER, () => undefined)) as Envelope;
}

async function value(channel: string, request: unknown): Promise<Record<string, unknown>> {
  const r = await call(channel, request);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

const read = (rel: string): string => readFileSync(join(dir, rel), 'utf8');

beforeEach(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'atmos-declare-ipc-')));
  cpSync(join(REPO_ROOT, 'examples/demo'), dir, { recursive: true });
  keychains = new MemoryKeychains();
  router = memoryAppRouter(dir, keychains);
  await value('workspace:open', { path: dir });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const NEW = {
  stack: 'plat-ue2-dev',
  component: 'api',
  secret: 'PAYMENTS_TOKEN',
  fields: { store: 'keychain', sops: '', description: 'Payments', required: true },
};

describe('declare over IPC', () => {
  it('plans (diff, where) and saves with the plan hash; the new declaration is listed at once', async () => {
    const before = read(DEV_FILE);
    const plan = await value('declare:plan', NEW);
    expect(plan).toMatchObject({ action: 'add', file: DEV_FILE, unchanged: false, scope: 'instance' });
    expect(plan['where']).toContain('atmos-demo/plat/ue2/dev/api/PAYMENTS_TOKEN');
    expect(plan['diff']).toContain('+          PAYMENTS_TOKEN:');
    expect(read(DEV_FILE)).toBe(before);
    expect(await value('declare:save', { ...NEW, hash: plan['hash'] })).toEqual({ saved: true, file: DEV_FILE });
    expect(read(DEV_FILE)).toContain('          PAYMENTS_TOKEN:\n            description: Payments\n');
    const list = await value('secrets:list', { stack: 'plat-ue2-dev', component: 'api' });
    expect((list['rows'] as { secret: string }[]).map((r) => r.secret)).toContain('PAYMENTS_TOKEN');
  });

  it('answers changed-on-disk when the file changed since the plan, and writes nothing', async () => {
    const plan = await value('declare:plan', NEW);
    writeFileSync(join(dir, DEV_FILE), `${read(DEV_FILE)}# edited elsewhere\n`);
    expect(await value('declare:save', { ...NEW, hash: plan['hash'] })).toEqual({
      saved: false,
      reason: 'changed-on-disk',
      file: DEV_FILE,
    });
    expect(read(DEV_FILE)).not.toContain('PAYMENTS_TOKEN');
  });

  it('refuses a manifest outside the workspace or not YAML', async () => {
    for (const file of ['../outside.yaml', '/etc/passwd', 'stacks/notes.txt']) {
      const r = await call('declare:plan', { ...NEW, file });
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error.code).toBe('BAD_REQUEST');
    }
  });

  it('offers the stores, providers and the existing declaration with its file and line', async () => {
    const o = await value('declare:options', { stack: 'plat-ue2-dev', component: 'api', secret: 'DB_PASSWORD' });
    expect(o['stores']).toEqual([
      { name: 'keychain', kind: 'keychain' },
      { name: 'legacy', kind: 'keychain' },
    ]);
    expect(o['providers']).toEqual([{ name: 'demo-sops', kind: 'sops/age' }]);
    expect(o['existing']).toEqual({
      description: "Password of the api's database user",
      store: 'keychain',
      scope: 'instance',
      position: 'instance',
      required: true,
      file: CATALOG,
      line: 14,
    });
    expect(o['stackFile']).toBe(DEV_FILE);
  });

  it('removes a declaration and, when asked, its stored value', async () => {
    await value('secrets:set', {
      stack: 'plat-ue2-dev',
      component: 'api',
      secret: 'STRIPE_API_KEY',
      value: 'sk',
      confirmed: true,
    });
    const target = { stack: 'plat-ue2-dev', component: 'api', secret: 'STRIPE_API_KEY' };
    const plan = await value('declare:removePlan', target);
    expect(plan).toMatchObject({ file: CATALOG, scope: 'instance', provider: 'store:keychain', valueStored: true });
    expect(
      await value('declare:remove', { ...target, hash: plan['hash'], deleteValue: true, confirmed: true }),
    ).toEqual({ saved: true, file: CATALOG, valueDeleted: true });
    expect(read(CATALOG)).not.toContain('STRIPE_API_KEY');
    expect(await keychains.get('atmos-secrets').get('atmos-demo/plat/ue2/dev/api/STRIPE_API_KEY')).toBeNull();
  });
});

describe('the import wizard over IPC', () => {
  it('scans, plans with the choices, and runs bound to the plan files', async () => {
    await keychains.get('atmos-secrets').set('legacy/atmos/shared/client_secret', JSON.stringify('v'));
    const scan = await value('storeImport:scan', {});
    expect(scan['proposals']).toEqual([
      expect.objectContaining({ id: `${CATALOG}:25`, name: 'CLIENT_SECRET', scope: 'global', store: 'legacy' }),
    ]);
    expect(scan['stores']).toEqual(['keychain', 'legacy']);
    const choices = [{ id: `${CATALOG}:25`, name: 'API_CLIENT_SECRET', scope: 'instance', store: 'keychain' }];
    const plan = await value('storeImport:plan', { choices });
    const files = plan['files'] as { file: string; hash: string }[];
    expect(files.map((f) => f.file)).toEqual([CATALOG]);
    const stale = await value('storeImport:run', { choices, planned: [{ file: CATALOG, hash: 'not-the-plan' }] });
    expect((stale['items'] as { outcome: string; reason: string }[])[0]).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('changed on disk since the plan'),
    });
    expect(read(CATALOG)).toContain('!store legacy atmos shared client_secret');
    const run = await value('storeImport:run', {
      choices,
      planned: files.map((f) => ({ file: f.file, hash: f.hash })),
    });
    expect((run['items'] as { outcome: string }[])[0]?.outcome).toBe('done');
    expect(read(CATALOG)).toContain('CLIENT_SECRET: !secret API_CLIENT_SECRET');
  });
});
