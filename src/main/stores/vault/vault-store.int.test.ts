// The Vault store over the real node-vault, through the loopback Vault emulator: the shared conformance suite,
// then what is special to Vault: the KV v2 layout (field `value`), namespaces, the token chain (options,
// VAULT_TOKEN, OS keychain), versions with soft-delete/destroy state, delete semantics, 403 vs 404, Vault's
// `errors` bodies, retries on throttling and 5xx, timeouts, a refused connection, size limits, bounded batches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { MemoryKeychain } from '../../keychain/memory-keychain';
import { runStoreConformance } from '../../../../test/support/store-conformance';
import { start, type VaultEmulator } from '../../../../test/support/emulators/vault';
import { closeServer, listenLoopback } from '../../../../test/support/emulators/http-util';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretPath } from '../paths';
import { parseStoreConfig } from '../store-config';
import { SecretNotFoundError, StoreAuthError, StoreThrottledError, ValueTooLargeError } from '../store-errors';
import {
  loadNodeVault,
  saveVaultToken,
  vaultStoreFactory,
  VAULT_MAX_VALUE_BYTES,
  type VaultFactoryDeps,
  type VaultSecretStore,
} from './index';
import { rejection } from '../../../../test/support/rejection';

let emu: VaultEmulator;
beforeAll(async () => {
  emu = await start();
});
afterAll(async () => {
  await emu.stop();
});

const noSleep = { sleep: async (): Promise<void> => undefined, random: () => 0.5 };

function makeStore(
  options: Record<string, unknown> = {},
  deps: VaultFactoryDeps = {},
  name = 'vault',
): VaultSecretStore {
  const factory = vaultStoreFactory({ env: {}, makeKeychain: () => new MemoryKeychain(), retry: noSleep, ...deps });
  return factory(
    parseStoreConfig(name, {
      kind: 'hashicorp/vault',
      options: { url: emu.url, token: emu.rootToken, mount: 'secret', ...options },
    }),
  ) as VaultSecretStore;
}

const inst = (name: string, stack = 'plat-ue2-dev', component = 'app'): SecretPath => ({
  name,
  scope: 'instance',
  stack,
  component,
});

runStoreConformance('hashicorp/vault over node-vault and the Vault emulator', () => makeStore({ prefix: 'conf' }), {
  // No backendCalls: the suite expects statusMany in one call, and Vault has no batch read (statusMany is one
  // read per path, bounded); "no call for a refused path" is asserted below instead.
  declared: { versions: true, getMany: true, statusMany: true, maxValueBytes: VAULT_MAX_VALUE_BYTES },
  refusedPaths: [
    { name: 'BAD\nNAME', scope: 'global' },
    { name: '..', scope: 'global' },
    { name: 'A///B', scope: 'global' },
  ],
  // LIST has no paging: a folder per LIST call (the suite's entries sit in three folders).
  listing: {
    storeWithPrefix: (prefix) => makeStore({ prefix }),
    pageSize: 3,
    listCalls: () => emu.calls.of('list'),
    lastChanged: false,
  },
});

describe('hashicorp/vault store specifics (emulator)', () => {
  it('writes KV v2 at <mount>/data/<prefix>/<stack>/<component>/<NAME>, field "value", splitting stacks on "/"', async () => {
    const store = makeStore({ prefix: 'atmos' });
    await store.set(inst('DB_PASSWORD', 'plat/ue2/dev'), 'hunter2');
    expect(emu.stored('secret', 'atmos/plat/ue2/dev/app/DB_PASSWORD')?.[0]?.data).toEqual({ value: 'hunter2' });
    await store.set({ name: 'TOKEN', scope: 'stack', stack: 'plat/ue2/dev' }, 's');
    await store.set({ name: 'ORG_KEY', scope: 'global' }, 'g');
    expect(emu.stored('secret', 'atmos/plat/ue2/dev/TOKEN')?.[0]?.data).toEqual({ value: 's' });
    expect(emu.stored('secret', 'atmos/ORG_KEY')?.[0]?.data).toEqual({ value: 'g' });
    expect(store.locate(inst('X', 'a-b'))).toBe('atmos/a-b/app/X');
  });

  it('reads values other tools wrote: a JSON value as its text; a secret without "value" is a clear error', async () => {
    const raw = await loadNodeVault({ endpoint: emu.url, token: emu.rootToken, namespace: undefined, timeoutMs: 5000 });
    await raw.write('secret/data/other/app/STRUCT', { data: { value: { user: 'app', port: 5432 } } });
    await raw.write('secret/data/other/app/FOREIGN', { data: { username: 'u', password: 'CANARY-foreign' } });
    const store = makeStore();
    expect(await store.get(inst('STRUCT', 'other'))).toBe('{"user":"app","port":5432}');
    const e = await rejection(store.get(inst('FOREIGN', 'other')));
    expect(e.code).toBe('BACKEND');
    expect(e.message).toBe(
      'secret "FOREIGN" in store "vault" (secret/other/app/FOREIGN) has no "value" field (its fields: "username", "password")',
    );
    expect(e.message).not.toContain('CANARY');
  });

  it("namespaces: options.namespace goes as X-Vault-Namespace, into that namespace's own mount", async () => {
    emu.createNamespace('team-a');
    emu.enableKvV2('kv', { namespace: 'team-a' });
    const token = emu.createToken(
      [{ path: 'kv/data/*', capabilities: ['create', 'read', 'update', 'delete'] }],
      'team-a',
    );
    const store = makeStore({ namespace: 'team-a', mount: 'kv', token });
    await store.set(inst('NS_SECRET'), 'in team-a');
    expect(emu.stored('kv', 'plat-ue2-dev/app/NS_SECRET', 'team-a')?.[0]?.data).toEqual({ value: 'in team-a' });
    expect(emu.stored('kv', 'plat-ue2-dev/app/NS_SECRET')).toBeUndefined();
    expect(await store.get(inst('NS_SECRET'))).toBe('in team-a');
    expect(emu.requests.at(-1)).toMatchObject({ namespace: 'team-a', path: 'kv/data/plat-ue2-dev/app/NS_SECRET' });
    // The same token outside its namespace is refused: AUTH, not "missing".
    const outside = makeStore({ mount: 'secret', token });
    expect((await rejection(outside.status(inst('NS_SECRET')))).code).toBe('AUTH');
    // VAULT_NAMESPACE is the default when the option is absent.
    const fromEnv = makeStore({ mount: 'kv', token }, { env: { VAULT_NAMESPACE: 'team-a' } });
    expect(await fromEnv.get(inst('NS_SECRET'))).toBe('in team-a');
  });

  describe('token chain', () => {
    it("options.token wins over VAULT_TOKEN, which wins over the OS keychain (store-token/<store>, the app's token field)", async () => {
      const keychain = new MemoryKeychain();
      await saveVaultToken(keychain, 'chain', 'hvs.from-keychain');
      const deps = { env: { VAULT_TOKEN: 'hvs.from-env' }, makeKeychain: () => keychain };
      const fromOption = makeStore({}, deps, 'chain');
      await fromOption.set(inst('CHAIN'), 'v');
      const fromEnv = makeStore({ token: undefined }, deps, 'chain');
      const envErr = await rejection(fromEnv.get(inst('CHAIN')));
      expect(envErr).toBeInstanceOf(StoreAuthError);
      expect(envErr.hint).toContain('The token from VAULT_TOKEN was refused');
      const fromKeychain = makeStore({ token: undefined }, { ...deps, env: {} }, 'chain');
      const kcErr = await rejection(fromKeychain.get(inst('CHAIN')));
      expect(kcErr.hint).toContain('The token from OS keychain was refused');
      expect(await keychain.list()).toEqual(['store-token/chain']);
      await saveVaultToken(keychain, 'chain', emu.rootToken);
      expect(
        await makeStore({ token: undefined }, { env: {}, makeKeychain: () => keychain }, 'chain').get(inst('CHAIN')),
      ).toBe('v');
    });

    it('a refused token is looked up again on the next call, so a token saved in the app is used at once', async () => {
      const keychain = new MemoryKeychain();
      await saveVaultToken(keychain, 'renew', 'hvs.expired');
      const store = makeStore({ token: undefined }, { env: {}, makeKeychain: () => keychain }, 'renew');
      expect((await rejection(store.status(inst('RENEWED')))).code).toBe('AUTH');
      await saveVaultToken(keychain, 'renew', emu.rootToken);
      expect(await store.status(inst('RENEWED'))).toBe('missing');
    });

    it('no token anywhere: AUTH naming the secret, the store and every place to put one, before any call', async () => {
      const keychain = new MemoryKeychain();
      const store = makeStore({ token: undefined }, { env: {}, makeKeychain: () => keychain }, 'notoken');
      const before = emu.calls.total;
      const e = await rejection(store.get(inst('DB_PASSWORD')));
      expect(e.code).toBe('AUTH');
      expect(e.message).toBe(
        'store "notoken" (hashicorp/vault) has no Vault token, so secret "DB_PASSWORD" (secret/plat-ue2-dev/app/DB_PASSWORD) cannot be reached',
      );
      expect(e.hint).toContain('account store-token/notoken');
      expect((await rejection(store.status(inst('DB_PASSWORD')))).code).toBe('AUTH');
      expect(emu.calls.total).toBe(before);
      // A token saved afterwards (the app's token field) is picked up: the failure was not cached.
      await saveVaultToken(keychain, 'notoken', emu.rootToken);
      expect(await store.status(inst('DB_PASSWORD'))).toBe('missing');
    });
  });

  describe('versions and delete', () => {
    it('versions newest first from the metadata endpoint, with soft-delete and destroy state', async () => {
      const store = makeStore();
      const p = inst('HISTORY');
      for (const v of ['v1', 'v2', 'v3']) await store.set(p, v);
      const raw = await loadNodeVault({
        endpoint: emu.url,
        token: emu.rootToken,
        namespace: undefined,
        timeoutMs: 5000,
      });
      await raw.write('secret/destroy/plat-ue2-dev/app/HISTORY', { versions: [1] });
      let versions = await store.versions(p);
      expect(versions.map((v) => [v.version, v.current, v.destroyed, v.deletedAt === undefined])).toEqual([
        ['3', true, false, true],
        ['2', false, false, true],
        ['1', false, true, true],
      ]);
      expect(versions.every((v) => v.createdAt instanceof Date)).toBe(true);

      // delete = soft delete of the latest version: it reads as missing, the history stays, nothing is current.
      expect(await store.delete(p)).toBe(true);
      expect(await store.status(p)).toBe('missing');
      expect(await store.exists(p)).toBe(false);
      expect(await rejection(store.get(p))).toBeInstanceOf(SecretNotFoundError);
      versions = await store.versions(p);
      expect(versions.map((v) => v.version)).toEqual(['3', '2', '1']);
      expect(versions[0]?.deletedAt).toBeInstanceOf(Date);
      expect(versions.filter((v) => v.current)).toEqual([]);
      // An earlier version can still be read (to restore it as a new one); a destroyed one cannot.
      expect(await store.getVersion(p, '2')).toBe('v2');
      expect(await rejection(store.getVersion(p, '1'))).toBeInstanceOf(SecretNotFoundError);
      expect(await store.delete(p)).toBe(false);
      await store.set(p, 'v4');
      expect((await store.versions(p))[0]).toMatchObject({ version: '4', current: true });
      expect(await store.get(p)).toBe('v4');
    });

    it('delete of a secret that was never written is false, with one read and no delete call', async () => {
      const store = makeStore();
      emu.calls.reset();
      expect(await store.delete(inst('NEVER'))).toBe(false);
      expect(emu.calls.snapshot()).toEqual({ read: 1 });
      expect(await store.versions(inst('NEVER'))).toEqual([]);
    });

    it("keeps Vault's retention: after 12 writes, the 10 newest versions", async () => {
      const store = makeStore();
      for (let i = 1; i <= 12; i++) await store.set(inst('RETAINED'), `v${i}`);
      const versions = await store.versions(inst('RETAINED'));
      expect(versions.map((v) => v.version)).toEqual(['12', '11', '10', '9', '8', '7', '6', '5', '4', '3']);
    });
  });

  describe('errors', () => {
    it("403 is AUTH with Vault's words and the policy path; a permitted missing path is not-found", async () => {
      const token = emu.createToken([{ path: 'secret/data/plat-ue2-dev/app/*', capabilities: ['read'] }]);
      const store = makeStore({ token });
      expect(await rejection(store.get(inst('READABLE')))).toBeInstanceOf(SecretNotFoundError);
      expect(await store.status(inst('READABLE'))).toBe('missing');
      const denied = await rejection(store.set(inst('READABLE'), 'CANARY-denied'));
      expect(denied).toBeInstanceOf(StoreAuthError);
      expect(denied.message).toBe(
        `store "vault" refused the credentials: Vault at ${emu.url} answered 403 to the write of secret "READABLE" (secret/plat-ue2-dev/app/READABLE): permission denied`,
      );
      expect(denied.hint).toBe(
        'The token from options.token was refused: check it is valid and unexpired, and that its policy grants "create/update" on secret/data/plat-ue2-dev/app/READABLE.',
      );
      // A path the token may not read: status is an error, never "missing".
      const other = await rejection(store.status(inst('X', 'prod')));
      expect(other.code).toBe('AUTH');
      const unknown = await rejection(makeStore({ token: 'hvs.unknown' }).get(inst('X')));
      expect(unknown.message).toContain(
        'answered 403 to the read of secret "X" (secret/plat-ue2-dev/app/X): permission denied; invalid token',
      );
      expect(JSON.stringify(denied)).not.toContain('CANARY');
    });

    it('a mount with no KV engine is a CONFIG error quoting Vault, and status is an error, not missing', async () => {
      const store = makeStore({ mount: 'nomount' });
      const e = await rejection(store.status(inst('K')));
      expect(e.code).toBe('CONFIG');
      expect(e.message).toContain(
        'answered 404 to the read of secret "K" (nomount/plat-ue2-dev/app/K): no handler for route',
      );
      expect(e.hint).toContain('options.mount');
    });

    it('retries throttling with backoff and jitter, then succeeds; a storm fails THROTTLED naming secret and store', async () => {
      const sleeps: number[] = [];
      const store = makeStore({}, { retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0 } });
      await store.set(inst('STORM'), 'kept');
      emu.calls.reset();
      emu.injectFault('throttling', 3, 'read');
      expect(await store.get(inst('STORM'))).toBe('kept');
      expect(emu.calls.of('read')).toBe(4);
      // Equal jitter with random 0: half of 200, 400, 800 ms.
      expect(sleeps).toEqual([100, 200, 400]);

      emu.injectFault('throttling', 4, 'write');
      const e = await rejection(store.set(inst('STORM'), 'CANARY-storm'));
      expect(e).toBeInstanceOf(StoreThrottledError);
      expect(e.code).toBe('THROTTLED');
      expect(e.message).toBe(
        `store "vault" is throttling requests; try again shortly: Vault at ${emu.url} answered 429 to the write of secret "STORM" (secret/plat-ue2-dev/app/STORM): request path "secret/data/plat-ue2-dev/app/STORM": rate limit quota exceeded (after 4 attempts)`,
      );
      expect(e.message).not.toContain('CANARY');
      // Nothing lost: the old value is still there.
      expect(await store.get(inst('STORM'))).toBe('kept');
    });

    it("5xx: retried; a sealed Vault stays unavailable (BACKEND) with Vault's words, and status is an error", async () => {
      const store = makeStore();
      await store.set(inst('SEALED'), 'v');
      emu.injectFault('internal', 2, 'read');
      expect(await store.get(inst('SEALED'))).toBe('v');
      // A connection dropped mid-call is retried too.
      emu.calls.reset();
      emu.injectFault('reset', 1, 'read');
      expect(await store.get(inst('SEALED'))).toBe('v');
      expect(emu.calls.of('read')).toBe(2);
      emu.calls.reset();
      emu.injectFault('sealed', 4, 'read');
      const e = await rejection(store.status(inst('SEALED')));
      expect(e.code).toBe('BACKEND');
      expect(e.message).toBe(
        `store "vault" (hashicorp/vault) is unavailable: Vault at ${emu.url} answered 503 to the read of secret "SEALED" (secret/plat-ue2-dev/app/SEALED): Vault is sealed (after 4 attempts)`,
      );
      expect(emu.calls.of('read')).toBe(4);
    });

    it('a call that hangs times out (not retried) with a clear error', async () => {
      const store = makeStore({ timeout_seconds: 0.3 });
      emu.calls.reset();
      emu.injectFault('timeout', 1, 'read');
      const e = await rejection(store.get(inst('SLOW')));
      expect(e.code).toBe('BACKEND');
      expect(e.message).toBe(
        `store "vault" (hashicorp/vault) is unavailable: Vault at ${emu.url} did not answer the read of secret "SLOW" (secret/plat-ue2-dev/app/SLOW) within 0.3 s`,
      );
      expect(emu.calls.of('read')).toBe(1);
    });

    it('a refused connection: BACKEND naming the address, status an error (never missing)', async () => {
      const closed = createServer();
      const port = await listenLoopback(closed);
      await closeServer(closed);
      const store = makeStore({ url: `http://127.0.0.1:${port}` });
      const e = await rejection(store.status(inst('DOWN')));
      expect(e.code).toBe('BACKEND');
      expect(e.message).toBe(
        `store "vault" (hashicorp/vault) is unavailable: cannot reach Vault at http://127.0.0.1:${port} for the read of secret "DOWN" (secret/plat-ue2-dev/app/DOWN): the connection was refused`,
      );
      expect(e.hint).toContain('options.url');
      expect(await rejection(store.set(inst('DOWN'), 'CANARY-down'))).toMatchObject({ code: 'BACKEND' });
    });

    it('a value over the limit, plain or after JSON escaping, is refused before any call, without the value', async () => {
      const store = makeStore();
      const before = emu.calls.total;
      const plain = await rejection(store.set(inst('BIG'), 'CANARY'.padEnd(VAULT_MAX_VALUE_BYTES + 1, 'x')));
      expect(plain).toBeInstanceOf(ValueTooLargeError);
      expect(plain.message).toContain(`holds at most ${VAULT_MAX_VALUE_BYTES} bytes`);
      // 300 KiB of "<" fits the plain limit, but Go's JSON writes each as \u003c (6 bytes): 1.8 MiB stored.
      const escaped = await rejection(store.set(inst('BIG'), 'CANARY'.padEnd(300 * 1024, '<')));
      expect(escaped).toBeInstanceOf(ValueTooLargeError);
      expect(escaped.message).toContain('after JSON escaping');
      expect(plain.message + escaped.message).not.toContain('CANARY');
      expect(emu.calls.total).toBe(before);
    });

    it('refused paths make no call, also in a batch', async () => {
      const store = makeStore();
      const before = emu.calls.total;
      for (const p of [
        { name: '..', scope: 'global' },
        { name: 'A\tB', scope: 'global' },
      ] as SecretPath[]) {
        expect((await rejection(store.get(p))).code).toBe('CONFIG');
        expect((await rejection(store.set(p, 'v'))).code).toBe('CONFIG');
        expect((await rejection(store.versions(p))).code).toBe('CONFIG');
      }
      expect((await rejection(store.statusMany([inst('OK'), { name: '', scope: 'global' }]))).code).toBe('CONFIG');
      expect((await rejection(store.getMany([inst('OK'), { name: '..', scope: 'global' }]))).code).toBe('CONFIG');
      expect(emu.calls.total).toBe(before);
    });
  });

  it('getMany / statusMany: one read per path, in order, never more than `concurrency` in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const store = makeStore(
      {},
      {
        concurrency: 3,
        connect: async (settings) => {
          const http = await loadNodeVault(settings);
          return {
            ...http,
            read: async (path) => {
              inFlight++;
              most = Math.max(most, inFlight);
              try {
                return await http.read(path);
              } finally {
                inFlight--;
              }
            },
          };
        },
      },
    );
    const paths = Array.from({ length: 12 }, (_, i) => inst(`MANY_${i}`));
    for (const p of paths.filter((_, i) => i % 2 === 0)) await store.set(p, `value ${p.name}`);
    emu.setLatency(20);
    emu.calls.reset();
    try {
      const statuses = await store.statusMany(paths);
      expect(statuses).toEqual(paths.map((_, i) => (i % 2 === 0 ? 'initialized' : 'missing')));
      const values = await store.getMany(paths);
      expect(values.map((r) => (r.found ? r.value : null))).toEqual(
        paths.map((p, i) => (i % 2 === 0 ? `value ${p.name}` : null)),
      );
    } finally {
      emu.setLatency(0);
    }
    expect(emu.calls.snapshot()).toEqual({ read: 24 });
    expect(most).toBe(3);
  });

  describe('TLS with a private CA', () => {
    let tlsEmu: VaultEmulator;
    let dir: string;
    beforeAll(async () => {
      // backends-wire.md §0's recipe: a self-signed certificate for 127.0.0.1.
      dir = mkdtempSync(join(tmpdir(), 'atmos-vault-tls-'));
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
          '-days',
          '2',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=IP:127.0.0.1,DNS:localhost',
        ],
        { stdio: 'ignore' },
      );
      tlsEmu = await start({
        tls: { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      });
    });
    afterAll(async () => {
      await tlsEmu.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('an untrusted certificate is a clear error pointing at ca_cert; with ca_cert (or VAULT_CACERT) it works', async () => {
      const base = { url: tlsEmu.url, token: tlsEmu.rootToken };
      const untrusted = await rejection(makeStore(base).set(inst('TLS'), 'v'));
      expect(untrusted.code).toBe('BACKEND');
      expect(untrusted.message).toBe(
        `store "vault" (hashicorp/vault) is unavailable: Vault at ${tlsEmu.url} presented a TLS certificate this machine does not trust (DEPTH_ZERO_SELF_SIGNED_CERT), for the write of secret "TLS" (secret/plat-ue2-dev/app/TLS)`,
      );
      expect(untrusted.hint).toContain('options.ca_cert (or VAULT_CACERT)');
      const trusted = makeStore({ ...base, ca_cert: join(dir, 'cert.pem') });
      await trusted.set(inst('TLS'), 'over https');
      expect(await trusted.get(inst('TLS'))).toBe('over https');
      const viaEnv = makeStore(base, { env: { VAULT_CACERT: join(dir, 'cert.pem') } });
      expect(await viaEnv.get(inst('TLS'))).toBe('over https');
    });

    it('a CA file that cannot be read, or a relative ca_cert, is a CONFIG error', async () => {
      const e = await rejection(makeStore({ url: tlsEmu.url, ca_cert: join(dir, 'nope.pem') }).get(inst('TLS')));
      expect(e.code).toBe('CONFIG');
      expect(e.message).toBe(
        `store "vault" (hashicorp/vault) cannot read its CA certificate ${join(dir, 'nope.pem')} (ENOENT)`,
      );
      expect(() => makeStore({ ca_cert: 'certs/ca.pem' })).toThrow('options.ca_cert must be an absolute path');
    });
  });

  describe('options', () => {
    const config = (options: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      parseStoreConfig('v', { kind: 'hashicorp/vault', options, ...extra }, { file: 'atmos.yaml', line: 12 });
    const factory = vaultStoreFactory({ env: {} });

    it.each<[string, Record<string, unknown>, Record<string, unknown>, string]>([
      ['an unknown option', { mount: 'secret', namspace: 'x' }, {}, 'unknown option(s) namspace'],
      ['no mount', { url: 'http://127.0.0.1:1' }, {}, 'needs options.mount'],
      ['a url that is not http(s)', { mount: 'secret', url: 'ftp://vault' }, {}, 'options.url: must be an http(s) URL'],
      [
        'url and address that differ',
        { mount: 's', url: 'http://a:1', address: 'http://b:1' },
        {},
        'both options.url and options.address',
      ],
      ['an identity', { mount: 'secret' }, { identity: 'ci' }, 'names identity "ci"'],
    ])('refuses %s with a CONFIG error at its line', (_label, options, extra, message) => {
      let thrown: unknown;
      try {
        factory(config(options, extra));
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect((thrown as AppError).code).toBe('CONFIG');
      expect((thrown as AppError).message).toContain(message);
      expect((thrown as AppError).location).toEqual({ file: 'atmos.yaml', line: 12 });
    });

    it("takes Atmos' names: `path` for the mount and `address` for the url; VAULT_ADDR when neither", async () => {
      const store = vaultStoreFactory({ env: { VAULT_ADDR: emu.url, VAULT_TOKEN: emu.rootToken } })(
        config({ path: 'secret', prefix: 'alias' }),
      );
      await store.set({ name: 'K', scope: 'global' }, 'v');
      expect(emu.stored('secret', 'alias/K')?.[0]?.data).toEqual({ value: 'v' });
      const viaAddress = vaultStoreFactory({ env: {} })(
        config({ address: emu.url, token: emu.rootToken, mount: 'secret', prefix: 'alias' }),
      );
      expect(await viaAddress.get({ name: 'K', scope: 'global' })).toBe('v');
    });
  });
});
