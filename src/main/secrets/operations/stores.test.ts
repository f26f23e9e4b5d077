// The stores engine: listing with masked options, the connection test's outcomes, saving a token to the
// keychain, version history (store versions, no versions, SOPS lastmodified) and restoring a version.
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { loadWorkspace } from '../../config';
import { MemoryKeychain } from '../../keychain/memory-keychain';
import {
  ALL_SCOPES,
  builtInStoreFactories,
  SecretNotFoundError,
  StoreAuthError,
  StoreThrottledError,
  type SecretPath,
  type SecretStatus,
  type SecretStore,
  type SecretVersion,
  StoreFactoryTable,
} from '../../stores';
import { storeTokenAccount } from '../../stores/store-token';
import { keychainAccount } from '../../stores/naming/keychain';
import { SecretsService } from '../service';
import { sopsBackendFor } from '../compose';
import { MemoryKeychains, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { maskOption, maskOptions, MASKED, saveStoreToken } from './stores';

afterAll(removeWrittenWorkspaces);

const CANARY = 'CANARY-stores-4b1e-never-shown';

/** A store with versions and getVersion (what Vault, SSM and Secrets Manager offer), in memory. */
class VersionedStore implements SecretStore {
  readonly kind = 'hashicorp/vault' as const;
  readonly capabilities = {
    versions: true,
    batchSize: 1,
    maxValueBytes: 1024,
    scopes: ALL_SCOPES,
    local: false,
    lossyNames: false,
  };
  readonly data = new Map<string, string[]>();
  /** The next call throws this. */
  fail: unknown = undefined;
  readonly probed: string[] = [];

  constructor(readonly name: string) {}

  locate(path: SecretPath): string {
    return keychainAccount(path, { prefix: 'v' }, { store: this.name });
  }

  private check(): void {
    const f = this.fail;
    this.fail = undefined;
    if (f !== undefined) throw f;
  }

  async get(path: SecretPath): Promise<string> {
    this.probed.push(this.locate(path));
    this.check();
    const v = this.data.get(this.locate(path))?.at(-1);
    if (v === undefined) throw new SecretNotFoundError({ secret: path.name, store: this.name }, this.locate(path));
    return v;
  }

  async set(path: SecretPath, value: string): Promise<void> {
    this.check();
    const list = this.data.get(this.locate(path)) ?? [];
    list.push(value);
    this.data.set(this.locate(path), list);
  }

  async delete(path: SecretPath): Promise<boolean> {
    return this.data.delete(this.locate(path));
  }

  async status(path: SecretPath): Promise<SecretStatus> {
    return this.data.has(this.locate(path)) ? 'initialized' : 'missing';
  }

  async exists(path: SecretPath): Promise<boolean> {
    return this.data.has(this.locate(path));
  }

  async versions(path: SecretPath): Promise<(SecretVersion & { stages: string[] })[]> {
    const list = this.data.get(this.locate(path)) ?? [];
    return list
      .map((_, i) => ({
        version: String(i + 1),
        createdAt: new Date(Date.UTC(2026, 0, i + 1)),
        current: i === list.length - 1,
        stages: i === list.length - 1 ? ['AWSCURRENT'] : [],
      }))
      .reverse();
  }

  async getVersion(path: SecretPath, version: string): Promise<string> {
    const v = this.data.get(this.locate(path))?.[Number(version) - 1];
    if (v === undefined) throw new SecretNotFoundError({ secret: path.name, store: this.name }, version);
    return v;
  }
}

const ATMOS_YAML = [
  'base_path: "."',
  'stacks:',
  '  base_path: stacks',
  '  included_paths: ["deploy/**/*"]',
  '  name_template: "{{ .vars.stage }}"',
  'stores:',
  '  vault:',
  '    kind: hashicorp/vault',
  '    secret: true',
  '    identity: ops',
  '    options:',
  '      url: https://ops:hunter2@vault.example:8200',
  '      mount: secret',
  `      token: ${CANARY}`,
  '      nested: { client_secret: nested-secret, region: eu }',
  '  kc:',
  '    kind: keychain',
  '    options: { service: atmos-secrets-unit, prefix: fx }',
  '  cache:',
  '    kind: redis',
  '    options: { url: "redis://localhost:6379", password: pw }',
  '  onep:',
  '    kind: onepassword',
  '  broken:',
  '    kind: nope/nope',
  'secrets:',
  '  providers:',
  '    files:',
  '      kind: sops/age',
  '      spec:',
  '        file: secrets/{{ .atmos_stack }}.enc.yaml',
  // A public recipient (test/fixtures/sops/keys/humphd-sops-age.agekey.txt): encrypting needs no private key.
  '        age_recipients: [age1je6kjhzuhdjy3fqptpttxjh5k8q46vygzlgtpuq3030c947pc5tqz9dqvr]',
  '',
].join('\n');

const DEV = [
  'vars:',
  '  stage: dev',
  'secrets:',
  '  vars:',
  '    SHARED: { store: vault }',
  'components:',
  '  terraform:',
  '    api:',
  '      secrets:',
  '        vars:',
  '          DB_PASSWORD: { store: vault }',
  '          LOCAL: { store: kc }',
  '          ENC: { sops: files }',
  '    worker:',
  '      secrets:',
  '        vars:',
  '          OTHER: { store: kc }',
  '',
].join('\n');

async function setup() {
  const dir = writeWorkspace({ 'atmos.yaml': ATMOS_YAML, 'stacks/deploy/dev.yaml': DEV });
  const workspace = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
  const keychains = new MemoryKeychains();
  const vault = new VersionedStore('vault');
  const factories = builtInStoreFactories({ keychain: { makeKeychain: (s) => keychains.get(s) } });
  // The versioned double stands in for the Vault adapter; every other kind is the build's own.
  const table = new StoreFactoryTable();
  for (const k of factories.kinds()) {
    const f = factories.get(k);
    if (f && k !== 'hashicorp/vault') table.register(k, f);
  }
  table.register('hashicorp/vault', () => vault);
  const remembered: string[] = [];
  const svc = new SecretsService({
    workspace,
    factories: table,
    sops: sopsBackendFor(workspace, { keychain: (s) => keychains.get(s), env: {} }),
    clock: () => new Date(0),
    remember: (v) => remembered.push(v),
  });
  return { svc, vault, keychains, remembered, dir };
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('option masking', () => {
  it('masks credential-looking names whatever their value, and userinfo in URLs', () => {
    for (const k of [
      'token',
      'connect_token',
      'client_secret',
      'password',
      'api_key',
      'secret_access_key',
      'privateKey',
    ])
      expect(maskOption(k, 'x')).toBe(MASKED);
    expect(maskOption('url', 'https://u:p@h:1/x')).toBe(`https://${MASKED}@h:1/x`);
    expect(maskOption('region', 'eu-west-1')).toBe('eu-west-1');
    expect(maskOption('port', 8200)).toBe('8200');
    expect(maskOptions({ b: { password: 'p', host: 'h' }, a: [1] })).toEqual({
      a: '[1]',
      b: `{"password":"${MASKED}","host":"h"}`,
    });
  });
});

describe('listStores', () => {
  it('lists every store with kind, identity, masked options, adapter availability and token account', async () => {
    const { svc } = await setup();
    const stores = svc.listStores();
    expect(stores.map((s) => s.name)).toEqual(['broken', 'cache', 'kc', 'onep', 'vault']);
    expect(JSON.stringify(stores)).not.toContain(CANARY);
    expect(JSON.stringify(stores)).not.toContain('hunter2');
    expect(JSON.stringify(stores)).not.toContain('nested-secret');
    const byName = Object.fromEntries(stores.map((s) => [s.name, s]));
    expect(byName['vault']).toMatchObject({
      kind: 'hashicorp/vault',
      secret: true,
      identity: 'ops',
      available: true,
      takesToken: true,
      tokenAccount: 'store-token/vault',
      problem: undefined,
      options: { token: MASKED, mount: 'secret', url: `https://${MASKED}@vault.example:8200` },
    });
    expect(byName['kc']).toMatchObject({
      kind: 'keychain',
      secret: true,
      available: true,
      takesToken: false,
      tokenAccount: undefined,
    });
    expect(byName['cache']).toMatchObject({
      kind: 'redis',
      secret: false,
      available: false,
      options: { password: MASKED },
    });
    expect(byName['onep']).toMatchObject({ kind: 'onepassword', secret: true, available: true, takesToken: true });
    expect(byName['broken']?.kind).toBe('nope/nope');
    expect(byName['broken']?.problem).toContain('unknown kind "nope/nope"');
  });
});

describe('testStore', () => {
  it('is ok when a random path under the prefix is not found', async () => {
    const { svc, vault } = await setup();
    const r = await svc.testStore('vault');
    expect(r).toMatchObject({ store: 'vault', kind: 'hashicorp/vault', ok: true });
    expect(vault.probed).toHaveLength(1);
    expect(vault.probed[0]).toMatch(/^v\/ATMOS_SECRETS_CONNECTION_TEST_[0-9A-F]{16}$/);
    expect(r.probe).toBe(vault.probed[0]);
    const again = await svc.testStore('vault');
    expect(again.probe).not.toBe(r.probe);
  });

  it('reports auth, throttling and unreachable with their code and the backend words', async () => {
    const { svc, vault } = await setup();
    vault.fail = new StoreAuthError('vault', 'permission denied (403)');
    expect(await svc.testStore('vault')).toMatchObject({
      ok: false,
      code: 'AUTH',
      message: 'store "vault" refused the credentials: permission denied (403)',
    });
    vault.fail = new StoreThrottledError('vault');
    expect(await svc.testStore('vault')).toMatchObject({ ok: false, code: 'THROTTLED' });
    vault.fail = new AppError('BACKEND', 'store "vault" is unreachable: connect ECONNREFUSED 127.0.0.1:1');
    expect(await svc.testStore('vault')).toMatchObject({
      ok: false,
      code: 'BACKEND',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    vault.fail = new TypeError(`bug quoting ${CANARY}`);
    const bug = await svc.testStore('vault');
    expect(bug).toMatchObject({ ok: false, code: 'BACKEND' });
    expect(JSON.stringify(bug)).not.toContain(CANARY);
  });

  it('reports a store without credentials and a non-secret store; throws CONFIG for an unknown store', async () => {
    const { svc } = await setup();
    expect(await svc.testStore('onep')).toMatchObject({
      ok: false,
      code: 'AUTH',
      message: expect.stringContaining('has no service-account token'),
    });
    expect(await svc.testStore('cache')).toMatchObject({
      ok: false,
      code: 'CONFIG',
      message: expect.stringContaining('not a secret store'),
    });
    const unknown = await failure(svc.testStore('nope'));
    expect(unknown.code).toBe('CONFIG');
    expect(unknown.message).toContain('store "nope" is not configured');
  });

  it('passes the keychain store (not found there means the keychain answered)', async () => {
    const { svc } = await setup();
    expect(await svc.testStore('kc')).toMatchObject({
      ok: true,
      probe: expect.stringMatching(/^fx\/ATMOS_SECRETS_CONNECTION_TEST_/),
    });
  });
});

describe('saveStoreToken', () => {
  it('saves to service atmos-secrets, account store-token/<store>, trailing newline dropped', async () => {
    const { svc } = await setup();
    const keychain = new MemoryKeychain('atmos-secrets');
    expect(await saveStoreToken(keychain, svc.stores, 'vault', `${CANARY}\n`)).toEqual({
      account: storeTokenAccount('vault'),
    });
    expect(storeTokenAccount('vault')).toBe('store-token/vault');
    expect(await keychain.get('store-token/vault')).toBe(CANARY);
  });

  it('refuses unknown stores, kinds without tokens, empty and multi-line tokens, never quoting the token', async () => {
    const { svc } = await setup();
    const keychain = new MemoryKeychain('atmos-secrets');
    const errors = [
      await failure(saveStoreToken(keychain, svc.stores, 'nope', CANARY)),
      await failure(saveStoreToken(keychain, svc.stores, 'kc', CANARY)),
      await failure(saveStoreToken(keychain, svc.stores, 'vault', '  ')),
      await failure(saveStoreToken(keychain, svc.stores, 'vault', `${CANARY}\nsecond`)),
    ];
    expect(errors.map((e) => e.code)).toEqual(['CONFIG', 'BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST']);
    expect(errors.map((e) => `${e.message} ${e.hint ?? ''}`).join(' ')).not.toContain(CANARY);
    expect(await keychain.list()).toEqual([]);
  });
});

describe('history and restore', () => {
  it('lists a store secret versions newest first with stages, never values', async () => {
    const { svc } = await setup();
    for (const v of ['one', 'two', 'three'])
      await svc.set({ stack: 'dev', component: 'api', name: 'DB_PASSWORD', value: `${CANARY}-${v}` });
    const h = await svc.history({ stack: 'dev', component: 'api', name: 'DB_PASSWORD' });
    expect(h).toMatchObject({ supported: true, canRestore: true, note: undefined });
    expect(h.versions).toEqual([
      { version: '3', createdAt: '2026-01-03T00:00:00.000Z', current: true, stages: ['AWSCURRENT'], state: undefined },
      { version: '2', createdAt: '2026-01-02T00:00:00.000Z', current: false, stages: [], state: undefined },
      { version: '1', createdAt: '2026-01-01T00:00:00.000Z', current: false, stages: [], state: undefined },
    ]);
    expect(JSON.stringify(h)).not.toContain(CANARY);
  });

  it('says plainly when the store keeps no versions, and when none exists yet', async () => {
    const { svc } = await setup();
    const kc = await svc.history({ stack: 'dev', component: 'api', name: 'LOCAL' });
    expect(kc).toMatchObject({ supported: false, canRestore: false, versions: [] });
    expect(kc.note).toBe('store "kc" (keychain) keeps no version history: only the current value exists');
    const none = await svc.history({ stack: 'dev', component: 'api', name: 'DB_PASSWORD' });
    expect(none).toMatchObject({
      supported: true,
      versions: [],
      note: 'no version of this secret exists in store "vault" yet',
    });
  });

  it('gives a SOPS secret its file lastmodified as one entry', async () => {
    const { svc } = await setup();
    const before = await svc.history({ stack: 'dev', component: 'api', name: 'ENC' });
    expect(before).toMatchObject({
      supported: false,
      versions: [],
      note: 'SOPS file secrets/dev.enc.yaml does not exist yet',
    });
    await svc.set({ stack: 'dev', component: 'api', name: 'ENC', value: CANARY });
    const h = await svc.history({ stack: 'dev', component: 'api', name: 'ENC' });
    expect(h.supported).toBe(false);
    expect(h.canRestore).toBe(false);
    expect(h.versions).toHaveLength(1);
    expect(h.versions[0]).toMatchObject({ version: 'lastmodified', current: true });
    expect(Number.isNaN(Date.parse(h.versions[0]?.createdAt ?? 'x'))).toBe(false);
    expect(h.note).toContain('SOPS keeps no versions');
  });

  it('restores an earlier version as a new current one, the value remembered and never returned', async () => {
    const { svc, vault, remembered } = await setup();
    for (const v of ['one', 'two'])
      await svc.set({ stack: 'dev', component: 'api', name: 'DB_PASSWORD', value: `${CANARY}-${v}` });
    const r = await svc.restoreVersion({ stack: 'dev', component: 'api', name: 'DB_PASSWORD', version: '1' });
    expect(r).toMatchObject({ restored: '1', stacks: 1, components: 1, target: { secret: 'DB_PASSWORD' } });
    expect(JSON.stringify(r)).not.toContain(CANARY);
    expect([...vault.data.values()][0]).toEqual([`${CANARY}-one`, `${CANARY}-two`, `${CANARY}-one`]);
    expect(remembered).toContain(`${CANARY}-one`);
    const h = await svc.history({ stack: 'dev', component: 'api', name: 'DB_PASSWORD' });
    expect(h.versions.map((v) => `${v.version}${v.current ? '*' : ''}`)).toEqual(['3*', '2', '1']);
  });

  it('confirms restoring a shared secret and changes nothing when refused', async () => {
    const { svc, vault } = await setup();
    await svc.set({ stack: 'dev', name: 'SHARED', value: 'a', confirm: async () => true });
    await svc.set({ stack: 'dev', name: 'SHARED', value: 'b', confirm: async () => true });
    const asked: string[] = [];
    const no = await failure(
      svc.restoreVersion({
        stack: 'dev',
        name: 'SHARED',
        version: '1',
        confirm: async (req) => (asked.push(req.message), false),
      }),
    );
    expect(no.code).toBe('CANCELLED');
    expect(asked).toEqual(['restore version 1 of SHARED (stack) changes the value for 1 stack and 2 components']);
    expect([...vault.data.values()][0]).toEqual(['a', 'b']);
    const without = await failure(svc.restoreVersion({ stack: 'dev', name: 'SHARED', version: '1' }));
    expect(without.code).toBe('USAGE');
  });

  it('refuses stores without versions, SOPS secrets and a version that is gone', async () => {
    const { svc } = await setup();
    const kc = await failure(svc.restoreVersion({ stack: 'dev', component: 'api', name: 'LOCAL', version: '1' }));
    expect(kc).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'store "kc" (keychain) cannot restore a version: it keeps no version history',
    });
    const sops = await failure(
      svc.restoreVersion({ stack: 'dev', component: 'api', name: 'ENC', version: 'lastmodified' }),
    );
    expect(sops.code).toBe('BAD_REQUEST');
    expect(sops.message).toContain('SOPS');
    const gone = await failure(
      svc.restoreVersion({ stack: 'dev', component: 'api', name: 'DB_PASSWORD', version: '9' }),
    );
    expect(gone.code).toBe('SECRET_NOT_FOUND');
  });
});
