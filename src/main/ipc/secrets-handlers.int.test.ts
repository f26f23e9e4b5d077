// Every secrets channel through the real router and handlers, against the real OS keychain store, on a copy
// of the demo whose keychain store gets a unique service. Also the canary: a value crosses IPC only in
// `secrets:set` (inbound) and `secrets:reveal` (outbound, asked for).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeytarKeychain } from '../keychain/keytar-keychain';
import { createServices } from '../services';
import { REPO_ROOT } from '../../../test/support/paths';
import { createAppRouter, trustRendererUrl, type IpcRouter } from '.';

const CANARY = `ipc-CANARY-${randomUUID()}`;
const service = `atmos-secrets-test-ipc-${randomUUID().slice(0, 8)}`;
const trusted = { url: 'file:///app/index.html', isMainFrame: true, isOwnWindow: true };
let dir: string;
let router: IpcRouter;
const payloads: string[] = [];

async function call(channel: string, request: unknown): Promise<unknown> {
  const result = await router.dispatch(channel, request, trusted, (e) => payloads.push(JSON.stringify(e)));
  payloads.push(JSON.stringify({ channel, result }));
  return result;
}

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'atmos-ipc-')));
  cpSync(join(REPO_ROOT, 'examples/demo'), dir, { recursive: true });
  const config = join(dir, 'atmos.yaml');
  writeFileSync(
    config,
    readFileSync(config, 'utf8').replace(
      '      prefix: atmos-demo',
      `      prefix: atmos-demo\n      service: ${service}`,
    ),
  );
  const services = createServices({
    version: '0',
    keychain: new KeytarKeychain(service),
    keychainFor: (s) => new KeytarKeychain(s),
    userDataDir: join(dir, '.userdata'),
    demoDir: join(REPO_ROOT, 'examples/demo'),
  });
  router = createAppRouter(services, trustRendererUrl('file:///app/index.html'));
  expect(await call('workspace:open', { path: dir })).toMatchObject({ ok: true });
});

afterAll(async () => {
  const kc = new KeytarKeychain(service);
  for (const name of await kc.list()) await kc.delete(name);
  rmSync(dir, { recursive: true, force: true });
});

describe('secrets over IPC (real keychain)', () => {
  it('lists the declared secrets with statuses and no values', async () => {
    const res = (await call('secrets:list', { stack: 'plat-ue2-dev', component: 'api' })) as {
      ok: true;
      value: { rows: { secret: string; status: string }[] };
    };
    expect(res.ok).toBe(true);
    expect(res.value.rows.map((r) => r.secret).sort()).toEqual([
      'DATADOG_API_KEY',
      'DB_PASSWORD',
      'GRAFANA_ADMIN_PASSWORD',
      'SLACK_WEBHOOK_URL',
      'STRIPE_API_KEY',
    ]);
    expect(new Set(res.value.rows.map((r) => r.status))).toEqual(new Set(['missing']));
  });

  it('sets, reveals and deletes an instance secret', async () => {
    const target = { stack: 'plat-ue2-dev', component: 'api', secret: 'DB_PASSWORD' };
    expect(await call('secrets:set', { ...target, value: CANARY, confirmed: false })).toEqual({
      ok: true,
      value: { consumers: 1, warnings: [] },
    });
    expect(await new KeytarKeychain(service).list()).toContain('atmos-demo/plat/ue2/dev/api/DB_PASSWORD');
    expect(await call('secrets:reveal', target)).toEqual({ ok: true, value: { value: CANARY } });
    const listed = (await call('secrets:list', { stack: 'plat-ue2-dev', component: 'api' })) as {
      value: { rows: { secret: string; status: string }[] };
    };
    expect(listed.value.rows.find((r) => r.secret === 'DB_PASSWORD')?.status).toBe('initialized');
    // Deleting is always confirmed, even one component's value.
    expect(await call('secrets:delete', { ...target, confirmed: false })).toMatchObject({ ok: false });
    expect(await call('secrets:reveal', target)).toEqual({ ok: true, value: { value: CANARY } });
    expect(await call('secrets:delete', { ...target, confirmed: true })).toEqual({
      ok: true,
      value: { deleted: true },
    });
    expect(await call('secrets:reveal', target)).toMatchObject({ ok: false, error: { code: 'SECRET_NOT_FOUND' } });
  });

  it('lists the consumers of a global secret and changes it only when confirmed', async () => {
    const target = { stack: 'plat-ue2-prod', component: 'api', secret: 'DATADOG_API_KEY' };
    expect(await call('secrets:consumers', target)).toEqual({
      ok: true,
      value: {
        scope: 'global',
        provider: 'store:keychain',
        consumers: [
          { stack: 'plat-ue2-dev', component: 'api' },
          { stack: 'plat-ue2-prod', component: 'api' },
        ],
      },
    });
    const refused = await call('secrets:set', { ...target, value: CANARY, confirmed: false });
    expect(refused).toMatchObject({ ok: false });
    expect(await call('secrets:reveal', target)).toMatchObject({ ok: false, error: { code: 'SECRET_NOT_FOUND' } });
    expect(await call('secrets:set', { ...target, value: CANARY, confirmed: true })).toEqual({
      ok: true,
      value: { consumers: 2, warnings: [] },
    });
    // Rotated once, seen by every consumer.
    expect(await call('secrets:reveal', { ...target, stack: 'plat-ue2-dev' })).toEqual({
      ok: true,
      value: { value: CANARY },
    });
  });

  it('sets a stack secret from its stack-level row (component *)', async () => {
    const target = { stack: 'plat-ue2-dev', component: '*', secret: 'SLACK_WEBHOOK_URL' };
    expect(await call('secrets:set', { ...target, value: CANARY, confirmed: true })).toEqual({
      ok: true,
      value: { consumers: 2, warnings: [] },
    });
    expect(
      await call('secrets:reveal', { stack: 'plat-ue2-dev', component: 'worker', secret: 'SLACK_WEBHOOK_URL' }),
    ).toEqual({ ok: true, value: { value: CANARY } });
  });

  it('validates one component with progress, and names what is missing', async () => {
    const before = payloads.length;
    const res = (await call('secrets:validate', {
      stack: 'plat-ue2-dev',
      component: 'worker',
      operationId: 'validate-worker-1',
    })) as {
      value: { ok: boolean; problems: { kind: string; secret?: string; file?: string }[] };
    };
    expect(res.value.ok).toBe(false);
    expect(res.value.problems).toEqual([
      expect.objectContaining({ kind: 'missing', secret: 'QUEUE_TOKEN', file: 'stacks/catalog/worker/defaults.yaml' }),
    ]);
    expect(payloads.slice(before).some((p) => p.includes('"operationId":"validate-worker-1"'))).toBe(true);
  });

  it('gives a copyable exec line that carries no value', async () => {
    const res = (await call('secrets:execLine', { stack: 'plat-ue2-dev', component: 'api' })) as {
      value: { command: string };
    };
    expect(res.value.command).toBe(`atmos-secret exec -s plat-ue2-dev -c api --base-path ${dir} -- terraform plan`);
  });

  it('never sends a value over IPC except the explicit reveals', () => {
    const leaks = payloads.filter((p) => p.includes(CANARY) && !p.includes('"channel":"secrets:reveal"'));
    expect(leaks).toEqual([]);
  });
});
