// The channels the app adds over the CLI's operations: global search, "Set what is missing" (init), export and
// import of a .env/JSON file through the native dialogs (faked here), and "Open file". Through the real router
// and handlers, against the real OS keychain store, on a copy of the demo. Values never reach a response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeytarKeychain } from '../keychain/keytar-keychain';
import { createServices, type FileDialogs } from '../services';
import { REPO_ROOT } from '../../../test/support/paths';
import { createAppRouter, trustRendererUrl, type IpcRouter } from '.';

const CANARY = `ipc-app-CANARY-${randomUUID()}`;
const service = `atmos-secrets-test-ipc-app-${randomUUID().slice(0, 8)}`;
const trusted = { url: 'file:///app/index.html', isMainFrame: true, isOwnWindow: true };
let dir: string;
let router: IpcRouter;
const payloads: string[] = [];
/** What the fake dialogs answer next, and what they were asked. */
const dialog = { save: null as string | null, open: null as string | null, revealed: [] as string[] };

const files: FileDialogs = {
  save: () => Promise.resolve(dialog.save),
  open: () => Promise.resolve(dialog.open),
  reveal: (file) => void dialog.revealed.push(file),
};

async function call(channel: string, request: unknown): Promise<{ ok: boolean; value?: unknown; error?: unknown }> {
  const result = await router.dispatch(channel, request, trusted, (e) => payloads.push(JSON.stringify(e)));
  payloads.push(JSON.stringify({ channel, result }));
  return result as { ok: boolean; value?: unknown; error?: unknown };
}

async function value<T>(channel: string, request: unknown): Promise<T> {
  const r = await call(channel, request);
  expect(r).toMatchObject({ ok: true });
  return r.value as T;
}

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'atmos-ipc-app-')));
  cpSync(join(REPO_ROOT, 'examples/demo'), dir, { recursive: true });
  const config = join(dir, 'atmos.yaml');
  writeFileSync(
    config,
    readFileSync(config, 'utf8')
      .replace('      prefix: atmos-demo', `      prefix: atmos-demo\n      service: ${service}`)
      // A 1Password store nothing here calls: listing a remote store without verify reads no backend.
      .replace(
        'stores:\n',
        'stores:\n  op:\n    kind: onepassword\n    options:\n      vault: Infra\n      mode: connect\n      connect_host: http://127.0.0.1:9\n      connect_token: not-used\n',
      ),
  );
  const api = join(dir, 'stacks/catalog/api/defaults.yaml');
  writeFileSync(
    api,
    readFileSync(api, 'utf8').replace(
      '      secrets:\n        vars:\n',
      '      secrets:\n        vars:\n          OP_API_TOKEN:\n            store: op\n            reference: "{{ .atmos_stack }}-{{ .atmos_component }}/token"\n',
    ),
  );
  const services = createServices({
    version: '0',
    keychain: new KeytarKeychain(service),
    keychainFor: (s) => new KeytarKeychain(s),
    userDataDir: join(dir, '.userdata'),
    demoDir: join(REPO_ROOT, 'examples/demo'),
    files,
  });
  router = createAppRouter(services, trustRendererUrl('file:///app/index.html'));
  expect(await call('workspace:open', { path: dir })).toMatchObject({ ok: true });
});

afterAll(async () => {
  const kc = new KeytarKeychain(service);
  for (const name of await kc.list()) await kc.delete(name);
  rmSync(dir, { recursive: true, force: true });
});

type Hit = { stack: string; component: string; secret: string; location?: string };

describe('the app channels over the CLI operations (real keychain)', () => {
  it('lists each row with where its value lives', async () => {
    const { rows } = await value<{ rows: { secret: string; location?: string; reference?: string; status: string }[] }>(
      'secrets:list',
      { stack: 'plat-ue2-dev', component: 'api' },
    );
    const byName = Object.fromEntries(rows.map((r) => [r.secret, r]));
    expect(byName['DB_PASSWORD']).toMatchObject({ location: 'atmos-demo/plat/ue2/dev/api/DB_PASSWORD' });
    expect(byName['GRAFANA_ADMIN_PASSWORD']?.location).toMatch(/^secrets\/plat-ue2-dev\.enc\.yaml: /);
    // A 1Password secret's detail: its reference rendered for this stack and component.
    expect(byName['OP_API_TOKEN']).toMatchObject({
      location: 'op://Infra/plat-ue2-dev-api/token',
      reference: 'op://Infra/plat-ue2-dev-api/token',
      status: 'unknown',
    });
    expect(rows.filter((r) => r.reference !== undefined).map((r) => r.secret)).toEqual(['OP_API_TOKEN']);
  });

  it('searches every stack, the exact name first, bounded by the limit', async () => {
    const found = await value<{ hits: Hit[]; total: number }>('secrets:search', { query: 'db_password' });
    expect(found.hits.map((h) => `${h.stack}/${h.component}/${h.secret}`)).toEqual([
      'plat-ue2-dev/api/DB_PASSWORD',
      'plat-ue2-prod/api/DB_PASSWORD',
    ]);
    expect(found.total).toBe(2);
    // Every term must match: the stack narrows it.
    const prod = await value<{ hits: Hit[] }>('secrets:search', { query: 'password prod' });
    expect(new Set(prod.hits.map((h) => h.stack))).toEqual(new Set(['plat-ue2-prod']));
    expect(prod.hits.map((h) => h.secret)).toContain('DB_PASSWORD');
    const one = await value<{ hits: Hit[]; total: number }>('secrets:search', { query: 'plat', limit: 1 });
    expect(one.hits).toHaveLength(1);
    expect(one.total).toBeGreaterThan(1);
    expect(await call('secrets:search', { query: 'x', limit: 100_000 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('plans init from what is missing, then sets a typed value and a generated one, never answering either', async () => {
    const plan = await value<{ missing: { stack: string; component: string; secret: string; required: boolean }[] }>(
      'secrets:initPlan',
      { stack: 'plat-ue2-dev', component: 'worker' },
    );
    expect(plan.missing.filter((m) => m.required).map((m) => m.secret)).toEqual(['QUEUE_TOKEN']);
    const queue = plan.missing.find((m) => m.secret === 'QUEUE_TOKEN');
    const slack = plan.missing.find((m) => m.secret === 'SLACK_WEBHOOK_URL');
    expect(queue).toBeDefined();
    expect(slack).toBeDefined();
    const res = await value<{ outcomes: { secret: string; action: string }[] }>('secrets:init', {
      stack: 'plat-ue2-dev',
      component: 'worker',
      items: [
        { stack: queue?.stack, component: queue?.component, secret: 'QUEUE_TOKEN', value: CANARY },
        { stack: slack?.stack, component: slack?.component, secret: 'SLACK_WEBHOOK_URL', generate: true },
      ],
      operationId: 'init-worker-0001',
    });
    expect(res.outcomes.map((o) => [o.secret, o.action]).sort()).toEqual([
      ['QUEUE_TOKEN', 'set'],
      ['SLACK_WEBHOOK_URL', 'set'],
    ]);
    const target = { stack: 'plat-ue2-dev', component: 'worker' };
    expect(await value('secrets:reveal', { ...target, secret: 'QUEUE_TOKEN' })).toEqual({ value: CANARY });
    const generated = await value<{ value: string }>('secrets:reveal', { ...target, secret: 'SLACK_WEBHOOK_URL' });
    expect(generated.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Nothing left to set for the worker's required secrets.
    const after = await value<{ missing: { secret: string; required: boolean }[] }>('secrets:initPlan', target);
    expect(after.missing.filter((m) => m.required)).toEqual([]);
    expect(
      await call('secrets:init', { ...target, items: [{ ...target, secret: 'X', value: 'a', generate: true }] }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('exports a component to the file the dialog names, mode 0600, and reports a closed dialog', async () => {
    await value('secrets:set', {
      stack: 'plat-ue2-dev',
      component: 'api',
      secret: 'DB_PASSWORD',
      value: CANARY,
      confirmed: false,
    });
    // The worker (the api also holds the 1Password secret, which nothing here can reach).
    dialog.save = join(dir, 'out', '..', 'worker.env');
    const res = await value<{ file: string; written: string[]; missing: string[] }>('secrets:export', {
      stack: 'plat-ue2-dev',
      component: 'worker',
      format: 'env',
    });
    expect(res.file).toBe(join(dir, 'worker.env'));
    expect(res.written).toEqual(['QUEUE_TOKEN', 'SLACK_WEBHOOK_URL']);
    expect(res.missing).toEqual(['GRAFANA_ADMIN_PASSWORD']);
    expect(readFileSync(join(dir, 'worker.env'), 'utf8')).toContain(`QUEUE_TOKEN=${CANARY}`);
    expect(statSync(join(dir, 'worker.env')).mode & 0o777).toBe(0o600);
    dialog.save = null;
    expect(await value('secrets:export', { stack: 'plat-ue2-dev', component: 'api', format: 'json' })).toEqual({
      file: null,
      written: [],
      missing: [],
    });
  });

  it('imports a file only after its plan, refusing one with an undeclared key whole', async () => {
    const bad = join(dir, 'bad.env');
    writeFileSync(bad, `DB_PASSWORD=${CANARY}-2\nNOT_DECLARED=x\n`);
    dialog.open = bad;
    const refused = await value<{ plan: { id: string; keys: string[]; undeclared: string[] } }>('secrets:importPlan', {
      stack: 'plat-ue2-dev',
      component: 'api',
    });
    expect(refused.plan).toMatchObject({
      file: 'bad.env',
      keys: ['DB_PASSWORD', 'NOT_DECLARED'],
      undeclared: ['NOT_DECLARED'],
    });
    expect(await call('secrets:importApply', { id: refused.plan.id, confirmed: true })).toMatchObject({
      ok: false,
      error: { code: 'CONFIG' },
    });
    expect(await value('secrets:reveal', { stack: 'plat-ue2-dev', component: 'api', secret: 'DB_PASSWORD' })).toEqual({
      value: CANARY,
    });

    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ DB_PASSWORD: `${CANARY}-3`, DATADOG_API_KEY: `${CANARY}-dd` }));
    dialog.open = good;
    const planned = await value<{
      plan: { id: string; format: string; shared: { secret: string; consumers: number }[] };
    }>('secrets:importPlan', { stack: 'plat-ue2-dev', component: 'api' });
    expect(planned.plan.format).toBe('json');
    expect(planned.plan.shared).toEqual([{ secret: 'DATADOG_API_KEY', scope: 'global', consumers: 2, stacks: 2 }]);
    // A shared secret needs the confirmation; the id is used up either way.
    expect(await call('secrets:importApply', { id: planned.plan.id, confirmed: false })).toMatchObject({ ok: false });
    expect(await call('secrets:importApply', { id: planned.plan.id, confirmed: true })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const again = await value<{ plan: { id: string } }>('secrets:importPlan', {
      stack: 'plat-ue2-dev',
      component: 'api',
    });
    expect(await value('secrets:importApply', { id: again.plan.id, confirmed: true })).toEqual({
      set: ['DB_PASSWORD', 'DATADOG_API_KEY'],
      warnings: [],
    });
    expect(
      await value('secrets:reveal', { stack: 'plat-ue2-prod', component: 'api', secret: 'DATADOG_API_KEY' }),
    ).toEqual({ value: `${CANARY}-dd` });
    dialog.open = null;
    expect(await value('secrets:importPlan', { stack: 'plat-ue2-dev' })).toEqual({ plan: null });
  });

  it('reveals a workspace file in the file manager, and refuses one outside the workspace', async () => {
    expect(await value('workspace:revealFile', { file: 'stacks/catalog/worker/defaults.yaml' })).toEqual({
      shown: true,
    });
    expect(dialog.revealed).toEqual([join(dir, 'stacks/catalog/worker/defaults.yaml')]);
    expect(await call('workspace:revealFile', { file: '../../etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await call('workspace:revealFile', { file: 'stacks/nope.yaml' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('never sends a value over IPC except the explicit reveals', () => {
    const leaks = payloads.filter((p) => p.includes(CANARY) && !p.includes('"channel":"secrets:reveal"'));
    expect(leaks).toEqual([]);
  });
});
