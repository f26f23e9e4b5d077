// The secrets service over the basic fixture with memory keychains: list, set/get/delete, confirmation and
// consumers, validate, the SOPS seam, limits, pull/push, import, init and the exec environment.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import {
  copySecretsFixture,
  memoryService,
  MemoryKeychains,
  type FixtureCopy,
} from '../../../test/support/secrets-workspace';
import { execCommandLine } from './operations/child-env';
import type { ConfirmRequest } from './operations/operation-context';

let fx: FixtureCopy | undefined;
afterEach(() => fx?.cleanup());

async function setup(o: { confirm?: (r: ConfirmRequest) => Promise<boolean>; platform?: NodeJS.Platform } = {}) {
  fx = copySecretsFixture('basic', 'unit');
  const keychains = new MemoryKeychains();
  const { svc } = await memoryService(fx.dir, { keychains, ...o });
  return { svc, keychain: keychains.get(fx.service), dir: fx.dir };
}

async function failure(p: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

const CANARY = 'CANARY-7f3a9-do-not-print';

describe('SecretsService list', () => {
  it('lists every declared secret once per place, stack secrets under *, local status without --verify', async () => {
    const { svc, keychain } = await setup();
    await keychain.set('fx/dev/api/DB_PASSWORD', JSON.stringify('x'));
    const rows = await svc.list({ stack: 'dev' });
    const brief = rows.map((r) => `${r.component} ${r.secret} ${r.scope} ${r.provider} ${r.status}`);
    expect(brief).toEqual([
      '* STACK_TOKEN stack store:kc missing',
      'api CLIENT_SECRET global store:kc missing',
      'api DB_CONFIG instance store:kc missing',
      'api DB_PASSWORD instance store:kc initialized',
      'api OPTIONAL_KEY instance store:kc missing',
      'api SHARED_KEY global store:kc missing',
      'enc SOPS_KEY instance sops:files missing',
      'worker QUEUE_TOKEN instance store:kc missing',
      'worker SHARED_KEY global store:kc missing',
    ]);
    expect(rows.find((r) => r.secret === 'DB_PASSWORD')).toMatchObject({
      required: true,
      description: 'Database password',
    });
  });

  it('filters by component (with the stack secrets it sees); a SOPS secret whose file does not exist is missing', async () => {
    const { svc } = await setup();
    const rows = await svc.list({ component: 'enc', verify: true });
    expect(rows.map((r) => `${r.stack} ${r.component} ${r.secret} ${r.status}`)).toEqual([
      'dev * STACK_TOKEN missing',
      'dev enc SOPS_KEY missing',
    ]);
  });
});

describe('SecretsService list --verify', () => {
  it('checks each coordinate once however many rows share it', async () => {
    const { svc, keychain } = await setup();
    const spy = vi.spyOn(keychain, 'get');
    const rows = await svc.list({ verify: true });
    expect(rows.filter((r) => r.secret === 'SHARED_KEY')).toHaveLength(4);
    // The keychain is listed once for the whole listing (test/list-status.test.ts counts it); no account is read
    // twice, and none at all once the listing answered.
    const accounts = spy.mock.calls.map((c) => c[0]);
    expect(new Set(accounts).size).toBe(accounts.length);
    expect(accounts.filter((a) => a === 'fx/SHARED_KEY').length).toBeLessThan(2);
  });
});

describe('SecretsService set/get/delete', () => {
  it('sets and gets an instance secret without asking, deletes it only when confirmed; empty values are allowed', async () => {
    const { svc, keychain } = await setup();
    const r = await svc.set({ stack: 'dev', component: 'api', name: 'DB_PASSWORD', value: CANARY });
    expect(r.target).toMatchObject({
      scope: 'instance',
      provider: 'store:kc',
      where: 'store "kc" (keychain) at fx/dev/api/DB_PASSWORD',
    });
    expect(await keychain.get('fx/dev/api/DB_PASSWORD')).toBe(JSON.stringify(CANARY));
    expect((await svc.get({ stack: 'dev', component: 'api', name: 'DB_PASSWORD' })).value).toBe(CANARY);
    await svc.set({ stack: 'dev', component: 'api', name: 'OPTIONAL_KEY', value: '' });
    expect((await svc.get({ stack: 'dev', component: 'api', name: 'OPTIONAL_KEY' })).value).toBe('');
    const refused = await failure(svc.delete({ stack: 'dev', component: 'api', name: 'DB_PASSWORD' }));
    expect(refused.code).toBe('USAGE');
    expect((await svc.get({ stack: 'dev', component: 'api', name: 'DB_PASSWORD' })).value).toBe(CANARY);
    const yes = async (): Promise<boolean> => true;
    expect((await svc.delete({ stack: 'dev', component: 'api', name: 'DB_PASSWORD', confirm: yes })).deleted).toBe(
      true,
    );
    const e = await failure(svc.get({ stack: 'dev', component: 'api', name: 'DB_PASSWORD' }));
    expect(e.message).toBe('secret is not initialized in its backend: "DB_PASSWORD"');
    expect((await svc.delete({ stack: 'dev', component: 'api', name: 'DB_PASSWORD', confirm: yes })).deleted).toBe(
      false,
    );
  });

  it('delete --all clears every value a component uses alone, each coordinate once, after one confirmation', async () => {
    const asked: ConfirmRequest[] = [];
    const yes = async (r: ConfirmRequest): Promise<boolean> => (asked.push(r), true);
    const { svc, keychain } = await setup();
    await svc.set({ stack: 'dev', component: 'worker', name: 'QUEUE_TOKEN', value: CANARY });
    await svc.set({ stack: 'dev', component: 'worker', name: 'SHARED_KEY', value: CANARY, confirm: yes });
    await svc.set({ stack: 'dev', name: 'STACK_TOKEN', value: CANARY, confirm: yes });
    await svc.set({ stack: 'dev', component: 'api', name: 'DB_PASSWORD', value: CANARY });
    asked.length = 0;

    const refused = await failure(svc.deleteAll({ stack: 'dev', component: 'worker' }));
    expect(refused.code).toBe('USAGE');
    expect((await svc.get({ stack: 'dev', component: 'worker', name: 'QUEUE_TOKEN' })).value).toBe(CANARY);

    const alone = await svc.deleteAll({ stack: 'dev', component: 'worker', confirm: yes });
    expect(alone.values.map((r) => [r.secret, r.deleted]).sort()).toEqual([
      ['QUEUE_TOKEN', true],
      ['STACK_TOKEN', true],
    ]);
    // The global SHARED_KEY is prod's too: kept, with everyone who uses it.
    expect(alone.keptShared.map((k) => [k.secret, k.stacks])).toEqual([['SHARED_KEY', ['dev', 'prod']]]);
    expect(alone.keptShared[0]?.consumers.map((c) => `${c.stack}/${c.component}`)).toEqual([
      'dev/api',
      'dev/worker',
      'prod/api',
      'prod/worker',
    ]);
    expect((await svc.get({ stack: 'dev', component: 'worker', name: 'SHARED_KEY' })).value).toBe(CANARY);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.operation).toBe('delete');
    expect(asked[0]?.items.map((i) => i.secret).sort()).toEqual(['QUEUE_TOKEN', 'STACK_TOKEN']);
    expect(asked[0]?.message).toContain('2 values');

    const shared = await svc.deleteAll({ stack: 'dev', component: 'worker', includeShared: true, confirm: yes });
    expect(shared.values.map((r) => [r.secret, r.deleted]).sort()).toEqual([
      ['QUEUE_TOKEN', false],
      ['SHARED_KEY', true],
      ['STACK_TOKEN', false],
    ]);
    expect(shared.keptShared).toEqual([]);
    expect(asked[1]?.items.find((i) => i.secret === 'SHARED_KEY')?.stacks).toEqual(['dev', 'prod']);
    expect(JSON.stringify(asked)).not.toContain(CANARY);
    // What the worker does not see stays.
    expect(await keychain.get('fx/dev/api/DB_PASSWORD')).toBe(JSON.stringify(CANARY));
  });

  it('selects with --path from a JSON value', async () => {
    const { svc } = await setup();
    await svc.set({
      stack: 'dev',
      component: 'api',
      name: 'DB_CONFIG',
      value: JSON.stringify({ host: 'db.local', port: 5432 }),
    });
    expect((await svc.get({ stack: 'dev', component: 'api', name: 'DB_CONFIG', path: '.host' })).value).toBe(
      'db.local',
    );
    expect((await svc.get({ stack: 'dev', component: 'api', name: 'DB_CONFIG', path: '.port' })).value).toBe('5432');
  });

  it('refuses an undeclared name with the exact message', async () => {
    const { svc } = await setup();
    const e = await failure(svc.set({ stack: 'dev', component: 'api', name: 'NOPE', value: CANARY }));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toBe('secret is not declared: "NOPE" (declare it under the component\'s secrets.vars)');
    expect(e.message + (e.hint ?? '')).not.toContain(CANARY);
  });

  it('a stack secret needs no component, and its change asks for confirmation listing the consumers', async () => {
    const asked: ConfirmRequest[] = [];
    const { svc, keychain } = await setup({ confirm: async (r) => (asked.push(r), true) });
    const r = await svc.set({ stack: 'dev', name: 'STACK_TOKEN', value: CANARY });
    expect(await keychain.get('fx/dev/STACK_TOKEN')).toBe(JSON.stringify(CANARY));
    expect(asked).toHaveLength(1);
    expect(asked[0]?.message).toBe('set STACK_TOKEN (stack) changes the value for 1 stack and 4 components');
    expect(asked[0]?.items[0]?.consumers.map((c) => c.component)).toEqual(['api', 'enc', 'legacy-app', 'worker']);
    expect(r).toMatchObject({ stacks: 1, components: 4 });
  });

  it('a global secret reaches every stack that declares it', async () => {
    const asked: ConfirmRequest[] = [];
    const { svc } = await setup({ confirm: async (r) => (asked.push(r), true) });
    await svc.set({ stack: 'prod', component: 'worker', name: 'SHARED_KEY', value: CANARY });
    expect(asked[0]?.message).toBe('set SHARED_KEY (global) changes the value for 2 stacks and 4 components');
    expect(svc.consumers({ stack: 'dev', name: 'SHARED_KEY' }).stacks).toEqual(['dev', 'prod']);
    expect((await svc.get({ stack: 'dev', component: 'api', name: 'SHARED_KEY' })).value).toBe(CANARY);
  });

  it('stops without a confirmer, and does nothing when the answer is no', async () => {
    const none = await setup();
    const e = await failure(none.svc.delete({ stack: 'dev', name: 'STACK_TOKEN' }));
    expect(e.code).toBe('USAGE');
    expect(e.message).toContain('confirmation is needed');
    fx?.cleanup();
    const no = await setup({ confirm: async () => false });
    const e2 = await failure(no.svc.set({ stack: 'dev', name: 'STACK_TOKEN', value: CANARY }));
    expect(e2.code).toBe('CANCELLED');
    expect(await no.keychain.list()).toEqual([]);
  });

  it("a per-call confirmation (the app's dialog answer) overrides the service's", async () => {
    const { svc, keychain } = await setup({ confirm: async () => false });
    await svc.set({ stack: 'dev', name: 'STACK_TOKEN', value: CANARY, confirm: async () => true });
    expect(await keychain.get('fx/dev/STACK_TOKEN')).toBe(JSON.stringify(CANARY));
    await expect(svc.delete({ stack: 'dev', name: 'STACK_TOKEN' })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('an instance-only secret without -c asks for the component', async () => {
    const { svc } = await setup();
    const e = await failure(() => svc.describe({ stack: 'dev', name: 'DB_PASSWORD' }));
    expect(e.code).toBe('USAGE');
    expect(e.hint).toBe('Components that declare it: api.');
  });

  it('refuses a value over the backend limit before any call, without quoting it', async () => {
    const { svc, keychain } = await setup({ platform: 'win32' });
    const big = CANARY.repeat(400);
    const e = await failure(svc.set({ stack: 'dev', component: 'api', name: 'DB_PASSWORD', value: big }));
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.message).toContain('holds at most 2558 bytes');
    expect(e.message).not.toContain(CANARY);
    expect(await keychain.list()).toEqual([]);
  });

  it('a SOPS secret resolves its coordinate; the first set makes the age key in the default keychain entry', async () => {
    fx = copySecretsFixture('basic', 'unit');
    const keychains = new MemoryKeychains();
    const { svc } = await memoryService(fx.dir, { keychains });
    expect(svc.describe({ stack: 'dev', component: 'enc', name: 'SOPS_KEY' }).where).toBe(
      'SOPS provider "files" (sops/age) file secrets/dev.enc.yaml key SOPS_KEY',
    );
    const warnings: string[] = [];
    await svc.set({
      stack: 'dev',
      component: 'enc',
      name: 'SOPS_KEY',
      value: CANARY,
      onWarning: (m) => warnings.push(m),
    });
    expect(await keychains.get('atmos-secrets').list()).toEqual(['atmos/sops-age/files']);
    expect(await svc.get({ stack: 'dev', component: 'enc', name: 'SOPS_KEY' })).toMatchObject({ value: CANARY });
    expect(warnings.join('\n')).not.toContain(CANARY);
  });

  it('set into a provider whose key file does not exist, with no recipients, names the file, never the value', async () => {
    fx = copySecretsFixture('basic', 'unit');
    const dir = fx.dir;
    const config = join(dir, 'atmos.yaml');
    const missingKeys = join(dir, 'no-such-keys.txt');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        '        file: secrets/{{ .atmos_stack }}.enc.yaml',
        `        file: secrets/{{ .atmos_stack }}.enc.yaml\n        age_key:\n          file: ${missingKeys}`,
      ),
    );
    const { svc } = await memoryService(dir, { keychains: new MemoryKeychains() });
    const e = await failure(svc.set({ stack: 'dev', component: 'enc', name: 'SOPS_KEY', value: CANARY }));
    expect(e.message).toContain('No recipients for');
    expect(e.message).toContain(join('secrets', 'dev.enc.yaml'));
    expect(e.message).not.toContain(CANARY);
  });
});

describe('SecretsService validate', () => {
  it('reports missing required secrets once per coordinate, and the legacy !store component', async () => {
    const { svc } = await setup();
    const report = await svc.validate({});
    expect(report.ok).toBe(false);
    const kinds = report.issues.map((i) => `${i.kind} ${i.stack ?? ''} ${i.secret ?? ''}`);
    expect(kinds).toContain('missing dev DB_PASSWORD');
    expect(kinds).toContain('missing prod DB_PASSWORD');
    expect(kinds.filter((k) => k.includes('SHARED_KEY'))).toHaveLength(1);
    expect(report.issues.find((i) => i.component === 'legacy-app')?.message).toBe(
      'store "legacy" is a secret store; use !secret instead of !store',
    );
    expect(report.checkedAt).toBe('1970-01-01T00:00:00.000Z');
  });

  it('is ok for one component once its required secrets are set', async () => {
    const { svc } = await setup({ confirm: async () => true });
    expect((await svc.validate({ stack: 'dev', component: 'worker' })).ok).toBe(false);
    await svc.set({ stack: 'dev', component: 'worker', name: 'QUEUE_TOKEN', value: CANARY });
    await svc.set({ stack: 'dev', component: 'worker', name: 'SHARED_KEY', value: CANARY });
    const r = await svc.validate({ stack: 'dev', component: 'worker' });
    expect(r.issues).toEqual([]);
    expect(r).toMatchObject({ ok: true, components: 1, requiredChecked: 1 });
  });

  it('stops when cancelled and reports progress', async () => {
    const { svc } = await setup();
    const ac = new AbortController();
    const seen: number[] = [];
    const e = await failure(
      svc.validate({
        onProgress: (p) => (seen.push(p.done), p.done === 2 ? ac.abort() : undefined),
        signal: ac.signal,
      }),
    );
    expect(e.code).toBe('CANCELLED');
    expect(seen).toEqual([1, 2]);
  });
});

describe('SecretsService files, import, init, exec environment', () => {
  it('pull writes a 0600 dotenv that push reads back; push refuses undeclared keys before writing', async () => {
    const { svc, dir, keychain } = await setup({ confirm: async () => true });
    const tricky = `${CANARY} with "quotes", 'single', # hash\nand a second line`;
    await svc.set({ stack: 'dev', component: 'api', name: 'DB_PASSWORD', value: tricky });
    const r = await svc.pull({ stack: 'dev', component: 'api', format: 'env', output: 'out.env', cwd: dir });
    expect(r.written).toEqual(['DB_PASSWORD']);
    expect(r.missing).toContain('SHARED_KEY');
    const file = join(dir, 'out.env');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await svc.delete({ stack: 'dev', component: 'api', name: 'DB_PASSWORD' });
    const content = readFileSync(file, 'utf8');
    await svc.push({ stack: 'dev', component: 'api', format: 'env', content });
    expect((await svc.get({ stack: 'dev', component: 'api', name: 'DB_PASSWORD' })).value).toBe(tricky);

    const before = await keychain.list();
    const e = await failure(
      svc.push({
        stack: 'dev',
        component: 'api',
        format: 'json',
        content: JSON.stringify({ OPTIONAL_KEY: CANARY, NOT_DECLARED: CANARY }),
      }),
    );
    expect(e.message).toContain('"NOT_DECLARED" is not declared');
    expect(e.message).not.toContain(CANARY);
    expect(await keychain.list()).toEqual(before);
    expect(await keychain.get('fx/dev/api/OPTIONAL_KEY')).toBeNull();
  });

  it('imports a legacy !store value into the declared coordinate, keeping the source; finds the !store uses', async () => {
    const { svc, keychain } = await setup({ confirm: async () => true });
    expect(svc.findLegacyStoreUses().map((u) => `${u.stack} ${u.component} ${u.at} ${u.expression}`)).toEqual([
      'dev legacy-app env.CLIENT_SECRET !store legacy atmos shared client_secret',
    ]);
    await keychain.set('old/atmos/shared/client_secret', JSON.stringify(CANARY));
    const req = {
      stack: 'dev',
      component: 'api',
      name: 'CLIENT_SECRET',
      fromStore: 'legacy',
      fromStack: 'atmos',
      fromComponent: 'shared',
      fromKey: 'client_secret',
    };
    const plan = await svc.importFromStore({ ...req, dryRun: true });
    expect(plan).toMatchObject({
      applied: false,
      targetInitialized: false,
      source: { nativeName: 'old/atmos/shared/client_secret' },
    });
    expect(JSON.stringify(plan)).not.toContain(CANARY);
    expect(await keychain.get('fx/CLIENT_SECRET')).toBeNull();
    expect((await svc.importFromStore(req)).applied).toBe(true);
    expect((await svc.get({ stack: 'prod', component: 'api', name: 'CLIENT_SECRET' })).value).toBe(CANARY);
    expect(await keychain.get('old/atmos/shared/client_secret')).toBe(JSON.stringify(CANARY));
  });

  it('init reports missing secrets and sets the ones given, each coordinate once', async () => {
    const { svc } = await setup({ confirm: async () => true });
    const report = await svc.init({ stack: 'dev', values: { QUEUE_TOKEN: CANARY, SHARED_KEY: CANARY, UNKNOWN: 'x' } });
    const byName = (n: string) => report.entries.filter((e) => e.secret === n);
    expect(byName('SHARED_KEY')).toHaveLength(1);
    expect(byName('QUEUE_TOKEN')[0]?.action).toBe('set');
    expect(byName('DB_PASSWORD')[0]?.action).toBe('left-missing');
    expect(report.unknownKeys).toEqual(['UNKNOWN']);
    expect((await svc.get({ stack: 'dev', component: 'worker', name: 'QUEUE_TOKEN' })).value).toBe(CANARY);
    await expect(svc.init({ stack: 'dev', values: { UNKNOWN: 'x' }, strict: true })).rejects.toThrow(
      'not declared in the selection',
    );
  });

  it('prepares the exec environment: secrets by name, missing ones skipped with a warning, component env resolved', async () => {
    const { svc } = await setup();
    await svc.set({ stack: 'dev', component: 'api', name: 'DB_PASSWORD', value: CANARY });
    const env = await svc.environment({
      stack: 'dev',
      component: 'api',
      baseEnv: { PATH: '/bin', DB_PASSWORD: 'old' },
      componentEnv: true,
    });
    expect(env.env['DB_PASSWORD']).toBe(CANARY);
    expect(env.env['PATH']).toBe('/bin');
    expect(env.env['GREETING']).toBe('hello');
    expect(env.env['REPLICAS']).toBe('2');
    expect(env.skipped).toContain('SHARED_KEY');
    expect(env.warnings.join('\n')).toContain('secret "SHARED_KEY" is not initialized');
    expect(env.warnings.join('\n')).not.toContain(CANARY);
  });

  it("resolves a component's sections masked without any backend call, and with values on request", async () => {
    const { svc, keychain } = await setup();
    await svc.set({ stack: 'dev', component: 'api', name: 'DB_CONFIG', value: JSON.stringify({ host: 'db.local' }) });
    const masked = await svc.resolveSections({ stack: 'dev', component: 'api' });
    expect(masked['vars']).toMatchObject({ db_host: '<MASKED>' });
    const revealed = await svc.resolveSections({ stack: 'dev', component: 'api', reveal: true }).then(
      () => undefined,
      (e: unknown) => e as AppError,
    );
    // DB_PASSWORD is referenced from env but not set: the exact error, no default.
    expect(revealed?.message).toBe('secret is not initialized in its backend: "DB_PASSWORD"');
    await svc.set({ stack: 'dev', component: 'api', name: 'DB_PASSWORD', value: CANARY });
    const full = await svc.resolveSections({ stack: 'dev', component: 'api', reveal: true });
    expect(full['vars']).toMatchObject({ db_host: 'db.local' });
    expect(full['env']).toMatchObject({ DB_PASSWORD: CANARY, GREETING: 'hello' });
    expect(await keychain.list()).toContain('fx/dev/api/DB_PASSWORD');
  });
});

describe('redaction', () => {
  it('every value read or written is remembered for the redactor', async () => {
    fx = copySecretsFixture('basic', 'unit');
    const seen: string[] = [];
    const { svc } = await memoryService(fx.dir, { remember: (v) => seen.push(v) });
    await svc.set({ stack: 'dev', component: 'api', name: 'DB_PASSWORD', value: CANARY });
    await svc.get({ stack: 'dev', component: 'api', name: 'DB_PASSWORD' });
    expect(seen).toEqual([CANARY, CANARY]);
  });
});

describe('execCommandLine', () => {
  it('quotes for a POSIX shell and holds no value', () => {
    expect(execCommandLine({ stack: 'dev', component: 'api', basePath: "/tmp/my repo/it's" })).toBe(
      "atmos-secret exec -s dev -c api --base-path '/tmp/my repo/it'\\''s' -- env",
    );
  });
});
