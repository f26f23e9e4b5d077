// The azure/keyvault store over the real @azure/keyvault-secrets, through the loopback Key Vault emulator: the
// shared conformance suite, then what is special to Key Vault: Atmos' lossy names and the tags that keep the
// original path, collisions (validate's check and the refusal to read another secret's value), soft delete
// (set after delete recovers, also under purge protection), versions newest first, bounded batches, the
// credential chain, and bad input: illegal names, oversize values, refused/missing credentials, a refused
// connection, a hung call, throttling storms, 5xx, cancellation. A live test runs only with ATMOS_LIVE_AZURE=1.
import { inspect } from 'node:util';
import { EnvironmentCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { runStoreConformance } from '../../../../test/support/store-conformance';
import { start, type AzureKeyVaultEmulator } from '../../../../test/support/emulators/azure-keyvault';
import { checkStoreNames } from '../naming';
import type { SecretPath } from '../paths';
import { parseStoreConfig } from '../store-config';
import { SecretNotFoundError, StoreAuthError, StoreThrottledError, ValueTooLargeError } from '../store-errors';
import {
  KEYVAULT_MAX_VALUE_BYTES,
  KeyVaultUnavailableError,
  keyVaultStoreFactory,
  type KeyVaultFactoryDeps,
  type KeyVaultSecretStore,
} from './index';
import { rejection } from '../../../../test/support/rejection';

let emu: AzureKeyVaultEmulator;
beforeAll(async () => {
  emu = await start();
});
afterAll(async () => {
  await emu.stop();
});

const sleeps: number[] = [];
const noSleep = {
  sleep: async (ms: number): Promise<void> => {
    sleeps.push(ms);
  },
  random: () => 0.5,
  pollIntervalMs: 10,
};

function config(options: Record<string, unknown>, extra: Record<string, unknown> = {}, name = 'kv') {
  return parseStoreConfig(
    name,
    { kind: 'azure/keyvault', secret: true, options, ...extra },
    { file: 'atmos.yaml', line: 7 },
  );
}

function makeStore(
  options: Record<string, unknown> = {},
  deps: KeyVaultFactoryDeps = {},
  extra: Record<string, unknown> = {},
  url = emu.url,
): KeyVaultSecretStore {
  const factory = keyVaultStoreFactory({ env: {}, ...noSleep, ...deps });
  return factory(
    config({ vault_url: url, endpoint_insecure: true, without_authentication: true, ...options }, extra),
  ) as KeyVaultSecretStore;
}

const inst = (name: string, stack = 'plat-ue2-dev', component = 'app'): SecretPath => ({
  name,
  scope: 'instance',
  stack,
  component,
});

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-azure`;

runStoreConformance(
  'azure/keyvault over @azure/keyvault-secrets and the Key Vault emulator',
  () => makeStore({ prefix: 'conf' }),
  {
    // No backendCalls: the suite expects statusMany in one call, and Key Vault has no batch read (statusMany is one
    // read per path, bounded); "no call for a refused path" is asserted below instead.
    declared: { versions: true, getMany: true, statusMany: true, maxValueBytes: KEYVAULT_MAX_VALUE_BYTES },
    // With the prefix `conf`, 123 letters make a 128-character name (Key Vault holds 127).
    refusedPaths: [
      { name: 'A'.repeat(123), scope: 'global' },
      { name: 'B'.repeat(200), scope: 'stack', stack: 'dev' },
    ],
    // The vault has no folders: every page lists the whole vault, and the tags tell ours and the prefix apart.
    listing: {
      storeWithPrefix: (prefix) => makeStore({ prefix }),
      pageSize: 3,
      listCalls: () => emu.calls.of('list'),
      lastChanged: true,
    },
  },
);

describe('azure/keyvault store specifics (emulator)', () => {
  it('names secrets as Atmos does and tags each version with the original path; values verbatim', async () => {
    const store = makeStore({ prefix: 'atmos' });
    await store.set(inst('DB_PASSWORD'), CANARY);
    const name = 'atmos-plat-ue2-dev-app-DB-PASSWORD';
    expect(store.locate(inst('DB_PASSWORD'))).toBe(name);
    const [v] = emu.stored(name) ?? [];
    expect(v?.value).toBe(CANARY);
    expect(v?.tags).toEqual({
      'managed-by': 'atmos-secrets',
      'atmos-path': 'atmos/plat/ue2/dev/app/DB_PASSWORD',
      'atmos-scope': 'instance',
      'atmos-stack': 'plat-ue2-dev',
      'atmos-component': 'app',
      'atmos-name': 'DB_PASSWORD',
    });
    await store.set({ name: 'ORG_TOKEN', scope: 'global' }, '{"a":1}');
    expect(emu.stored('atmos-ORG-TOKEN')?.[0]?.tags).toEqual({
      'managed-by': 'atmos-secrets',
      'atmos-path': 'atmos/ORG_TOKEN',
      'atmos-scope': 'global',
      'atmos-name': 'ORG_TOKEN',
    });
    expect(await store.get({ name: 'ORG_TOKEN', scope: 'global' })).toBe('{"a":1}');
    expect(store.capabilities).toMatchObject({ lossyNames: true, batchSize: 1, versions: true, local: false });
  });

  describe('collisions', () => {
    const a = inst('DB_PASSWORD', 'coll');
    const b = inst('db-password', 'coll');
    // Stack `coll-app` splits on `-` into coll/app: a stack-scoped secret with the instance secret's name.
    const c: SecretPath = { name: 'DB_PASSWORD', scope: 'stack', stack: 'coll-app' };

    it('validate reports two paths that map to one name (case-insensitively), via checkStoreNames', () => {
      const check = checkStoreNames(config({ vault_url: emu.url, endpoint_insecure: true }), [
        a,
        b,
        inst('OTHER', 'coll'),
      ]);
      expect(check.collisions).toEqual([{ name: 'coll-app-DB-PASSWORD', paths: [a, b] }]);
    });

    it("a read refuses a name holding another declared secret's value (CONFIG, no value); the owner reads it", async () => {
      const store = makeStore();
      await store.set(a, CANARY);
      for (const other of [b, c]) {
        const e = await rejection(store.get(other));
        expect(e.code).toBe('CONFIG');
        expect(e.message).toContain('holds another secret (coll/app/DB_PASSWORD): the two names collide');
        expect(inspect(e)).not.toContain(CANARY);
        expect((await rejection(store.status(other))).code).toBe('CONFIG');
      }
      expect(await store.get(a)).toBe(CANARY);
    });

    it('a value written without our tags (by Atmos or by hand) is read as it is', async () => {
      const raw = makeStore();
      const { SecretClient } = await import('@azure/keyvault-secrets');
      const client = new SecretClient(
        emu.url,
        { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }) },
        { allowInsecureConnection: true, disableChallengeResourceVerification: true },
      );
      await client.setSecret('byhand-app-API-KEY', 'from atmos');
      expect(await raw.get(inst('API_KEY', 'byhand'))).toBe('from atmos');
    });
  });

  describe('soft delete', () => {
    it('delete leaves the secret recoverable; set after delete recovers it and writes a new version', async () => {
      const store = makeStore();
      const p = inst('ROTATED', 'soft');
      await store.set(p, 'old');
      expect(await store.delete(p)).toBe(true);
      expect(emu.isDeleted('soft-app-ROTATED')).toBe(true);
      expect(await store.status(p)).toBe('missing');
      expect(await store.versions(p)).toEqual([]);
      emu.calls.reset();
      await store.set(p, 'new');
      // PUT (409), is it deleted? (yes), the SDK's recover poller (get, recover, get until it reads), PUT again.
      expect(emu.calls.snapshot()).toEqual({ set: 2, 'get-deleted': 1, get: 2, recover: 1 });
      expect(emu.isDeleted('soft-app-ROTATED')).toBe(false);
      expect(await store.get(p)).toBe('new');
      const versions = await store.versions(p);
      expect(versions).toHaveLength(2);
      expect(versions[0]?.current).toBe(true);
      expect(await store.getVersion(p, versions[1]?.version ?? '')).toBe('old');
    });

    it('a deletion that takes a while: delete waits for the deleted state; set waits out "being deleted", then recovers', async () => {
      const slow = await start({ deleteLagRequests: 3 });
      try {
        const store = makeStore({}, {}, {}, slow.url);
        const p = inst('SLOW', 'soft');
        await store.set(p, 'one');
        slow.calls.reset();
        expect(await store.delete(p)).toBe(true);
        // DELETE, then the poller asks for the deleted secret until it shows (404, 404, 404, 200).
        expect(slow.calls.snapshot()).toEqual({ delete: 1, 'get-deleted': 4 });
        await store.set(p, 'two');
        expect(await store.get(p)).toBe('two');

        // A DELETE whose end nobody waited for (another tool): set meets 409 ObjectIsBeingDeleted first.
        const { SecretClient } = await import('@azure/keyvault-secrets');
        const raw = new SecretClient(
          slow.url,
          { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }) },
          { allowInsecureConnection: true, disableChallengeResourceVerification: true },
        );
        await raw.beginDeleteSecret('soft-app-SLOW');
        slow.calls.reset();
        sleeps.length = 0;
        await store.set(p, 'three');
        expect(slow.calls.snapshot()).toEqual({ set: 3, 'get-deleted': 2, get: 2, recover: 1 });
        expect(sleeps).toEqual([150]);
        expect(slow.stored('soft-app-SLOW')?.map((v) => v.value)).toEqual(['one', 'two', 'three']);
      } finally {
        await slow.stop();
      }
    });

    it('a delete whose first attempt failed after the DELETE went through still reports true', async () => {
      const store = makeStore();
      const p = inst('AMBIGUOUS', 'soft');
      await store.set(p, 'v');
      // The DELETE succeeds; the SDK's first look at the deleted secret answers 500, failing the attempt.
      emu.injectFault('internal', 1, 'get-deleted');
      emu.calls.reset();
      expect(await store.delete(p)).toBe(true);
      expect(emu.calls.snapshot()).toEqual({ delete: 2, 'get-deleted': 2 });
      expect(emu.isDeleted('soft-app-AMBIGUOUS')).toBe(true);
    });

    it('set after delete recovers even with max_attempts: 1 (retries of failures are not rounds of recovery)', async () => {
      const store = makeStore({ max_attempts: 1 });
      const p = inst('ONE_SHOT', 'soft');
      await store.set(p, 'one');
      await store.delete(p);
      await store.set(p, 'two');
      expect(await store.get(p)).toBe('two');
    });

    it('works the same under purge protection (recover needs no purge)', async () => {
      const guarded = await start({ purgeProtection: true });
      try {
        const store = makeStore({}, {}, {}, guarded.url);
        const p = inst('GUARDED', 'soft');
        await store.set(p, 'one');
        expect(await store.delete(p)).toBe(true);
        await store.set(p, 'two');
        expect(await store.get(p)).toBe('two');
        expect(guarded.calls.of('purge')).toBe(0);
      } finally {
        await guarded.stop();
      }
    });

    it('a vault without soft delete: delete removes it, set writes afresh', async () => {
      const plain = await start({ softDelete: false });
      try {
        const store = makeStore({}, {}, {}, plain.url);
        const p = inst('GONE', 'soft');
        await store.set(p, 'one');
        expect(await store.delete(p)).toBe(true);
        expect(plain.calls.of('get-deleted')).toBe(0);
        await store.set(p, 'two');
        expect(plain.stored('soft-app-GONE')).toHaveLength(1);
      } finally {
        await plain.stop();
      }
    });

    it('delete of a missing secret is false, one call; a recover the token may not do is AUTH naming recover', async () => {
      const store = makeStore();
      emu.calls.reset();
      expect(await store.delete(inst('NEVER', 'soft'))).toBe(false);
      // A new store's first request is the 401 challenge, then the one DELETE (404).
      expect(emu.calls.snapshot()).toEqual({ challenge: 1, delete: 1 });

      const p = inst('NO_RECOVER', 'soft');
      await store.set(p, 'v');
      await store.delete(p);
      const restricted = makeStore(
        { without_authentication: undefined },
        {
          identities: {
            azureCredential: () => ({
              getToken: async () => ({ token: 'writer', expiresOnTimestamp: Date.now() + 60_000 }),
            }),
          },
        },
        { identity: 'azure-writer' },
      );
      emu.restrictToken('writer', ['get', 'set', 'get-deleted']);
      const e = await rejection(restricted.set(p, 'again'));
      expect(e).toBeInstanceOf(StoreAuthError);
      expect(e.message).toContain('recover (before writing) of secret "NO_RECOVER"');
      expect(e.message).toContain('answered 403 Forbidden');
      expect(emu.isDeleted('soft-app-NO-RECOVER')).toBe(true);
    });
  });

  it('versions: newest first by creation time, the latest current, a disabled latest makes none current', async () => {
    let clock = 1_700_000_000;
    const timed = await start({ now: () => clock });
    try {
      const store = makeStore({}, {}, {}, timed.url);
      const p = inst('HISTORY', 'ver');
      for (const v of ['v1', 'v2', 'v3']) {
        await store.set(p, v);
        clock += 60;
      }
      const versions = await store.versions(p);
      expect(versions.map((v) => v.createdAt?.getTime())).toEqual([
        1_700_000_120_000, 1_700_000_060_000, 1_700_000_000_000,
      ]);
      expect(versions.map((v) => v.current)).toEqual([true, false, false]);
      const values = await Promise.all(versions.map((v) => store.getVersion(p, v.version)));
      expect(values).toEqual(['v3', 'v2', 'v1']);
      timed.setEnabled('ver-app-HISTORY', false);
      const disabled = await store.versions(p);
      expect(disabled.map((v) => [v.current, v.enabled])).toEqual([
        [false, false],
        [false, true],
        [false, true],
      ]);
      expect((await rejection(store.getVersion(p, 'nothex'))).code).toBe('BAD_REQUEST');
    } finally {
      await timed.stop();
    }
  });

  it('getMany / statusMany: one read per path, in order, never more than `concurrency` in flight', async () => {
    const store = makeStore({ concurrency: 3 });
    const paths = Array.from({ length: 12 }, (_, i) => inst(`MANY_${i}`, 'batch'));
    for (const p of paths.filter((_, i) => i % 2 === 0)) await store.set(p, `value ${p.name}`);
    emu.setLatency(20);
    emu.calls.reset();
    emu.resetPeakInFlight();
    try {
      expect(await store.statusMany(paths)).toEqual(paths.map((_, i) => (i % 2 === 0 ? 'initialized' : 'missing')));
      const values = await store.getMany(paths);
      expect(values.map((r) => (r.found ? r.value : null))).toEqual(
        paths.map((p, i) => (i % 2 === 0 ? `value ${p.name}` : null)),
      );
    } finally {
      emu.setLatency(0);
    }
    expect(emu.calls.snapshot()).toEqual({ get: 24 });
    expect(emu.peakInFlight()).toBe(3);
  });

  describe('bad input', () => {
    it('an illegal name is refused (CONFIG, naming secret, store and rule) before any call, also in a batch', async () => {
      const store = makeStore();
      const before = emu.calls.total;
      const e = await rejection(store.set({ name: '%%%', scope: 'global' }, 'v'));
      expect(e.code).toBe('CONFIG');
      expect(e.message).toBe(
        'secret "%%%" cannot be stored in store "kv" (azure/keyvault): the name has no letters or digits left after Key Vault normalisation',
      );
      expect(e.location).toEqual({ file: 'atmos.yaml', line: 7 });
      expect((await rejection(store.statusMany([inst('OK'), { name: 'B'.repeat(130), scope: 'global' }]))).code).toBe(
        'CONFIG',
      );
      expect((await rejection(store.getMany([inst('OK'), { name: '---', scope: 'global' }]))).code).toBe('CONFIG');
      expect(emu.calls.total).toBe(before);
    });

    it('an oversize value is refused before any call, without the value, keeping the old one', async () => {
      const store = makeStore();
      const p = inst('BIG', 'bad');
      await store.set(p, 'kept');
      const before = emu.calls.total;
      const over = `${CANARY}${'x'.repeat(KEYVAULT_MAX_VALUE_BYTES)}`;
      const e = await rejection(store.set(p, over));
      expect(e).toBeInstanceOf(ValueTooLargeError);
      expect(e.message).toBe(
        'the value for secret "BIG" is too large for store "kv": a Key Vault secret holds at most 25000 bytes',
      );
      expect(inspect(e)).not.toContain(CANARY);
      expect(emu.calls.total).toBe(before);
      // Multi-byte characters count as bytes.
      expect((await rejection(store.set(p, 'é'.repeat(12_501)))).code).toBe('BAD_REQUEST');
      expect(await store.get(p)).toBe('kept');
    });

    it('a refused token is AUTH naming the secret, the store and the credential source; status is an error', async () => {
      emu.rejectToken('stale');
      const store = makeStore(
        { without_authentication: undefined },
        {
          identities: {
            azureCredential: () => ({
              getToken: async () => ({ token: 'stale', expiresOnTimestamp: Date.now() + 60_000 }),
            }),
          },
        },
        { identity: 'azure-prod' },
      );
      const e = await rejection(store.get(inst('DB_PASSWORD')));
      expect(e).toBeInstanceOf(StoreAuthError);
      expect(e.message).toContain('store "kv" refused the credentials');
      expect(e.message).toContain(
        'answered 401 Unauthorized to the read of secret "DB_PASSWORD" (plat-ue2-dev-app-DB-PASSWORD)',
      );
      expect(e.hint).toContain('The token from identity "azure-prod" was refused');
      expect((await rejection(store.status(inst('DB_PASSWORD')))).code).toBe('AUTH');
    });

    it('a token without permission is AUTH with the role to grant', async () => {
      emu.restrictToken('reader-only', ['get']);
      const store = makeStore(
        { without_authentication: undefined },
        {
          identities: {
            azureCredential: () => ({
              getToken: async () => ({ token: 'reader-only', expiresOnTimestamp: Date.now() + 60_000 }),
            }),
          },
        },
        { identity: 'azure-reader' },
      );
      const e = await rejection(store.set(inst('DB_PASSWORD', 'perm'), CANARY));
      expect(e).toBeInstanceOf(StoreAuthError);
      expect(e.message).toContain('answered 403 Forbidden to the write of secret "DB_PASSWORD"');
      expect(e.hint).toContain('Key Vault Secrets Officer');
      expect(inspect(e)).not.toContain(CANARY);
    });

    it('missing credentials (no token from @azure/identity) are AUTH naming the secret and how to sign in', async () => {
      const store = makeStore(
        { without_authentication: undefined },
        {
          identities: { azureCredential: () => new EnvironmentCredential() },
        },
        { identity: 'azure-env' },
      );
      const e = await rejection(store.get(inst('DB_PASSWORD')));
      expect(e).toBeInstanceOf(StoreAuthError);
      expect(e.message).toContain(
        'no Azure token for the read of secret "DB_PASSWORD" (plat-ue2-dev-app-DB-PASSWORD) from identity "azure-env": CredentialUnavailableError',
      );
      expect(e.hint).toContain('az login');
    });

    it('a service principal @azure/identity refuses to build is CONFIG naming the store, never the secret', async () => {
      const store = makeStore({
        without_authentication: undefined,
        tenant_id: 'not a tenant!',
        client_id: 'c',
        client_secret: CANARY,
      });
      const e = await rejection(store.get(inst('DB_PASSWORD')));
      expect(e.code).toBe('CONFIG');
      expect(e.message).toMatch(
        /^store "kv" \(azure\/keyvault\) cannot use the credentials from the service principal in options: Error: Invalid tenant id/,
      );
      expect(inspect(e)).not.toContain(CANARY);
    });

    it("an AUTH error of the app's identity resolver names the secret and the store too", async () => {
      const store = makeStore(
        { without_authentication: undefined },
        {
          identities: {
            azureCredential: () => ({
              getToken: () => Promise.reject(new AppError('AUTH', 'auth identity "azure-sso" needs a browser login')),
            }),
          },
        },
        { identity: 'azure-sso' },
      );
      const e = await rejection(store.get(inst('DB_PASSWORD')));
      expect(e).toBeInstanceOf(StoreAuthError);
      expect(e.message).toBe(
        'store "kv" refused the credentials: no Azure token for the read of secret "DB_PASSWORD" (plat-ue2-dev-app-DB-PASSWORD) from identity "azure-sso": auth identity "azure-sso" needs a browser login',
      );
    });

    it('a refused connection is unavailable (BACKEND) at once, naming the vault; status is an error, never missing', async () => {
      const down = await start();
      const url = down.url;
      await down.stop();
      sleeps.length = 0;
      const store = makeStore({}, {}, {}, url);
      const e = await rejection(store.status(inst('DB_PASSWORD')));
      expect(e).toBeInstanceOf(KeyVaultUnavailableError);
      expect(e.code).toBe('BACKEND');
      expect(e.message).toMatch(
        new RegExp(
          `^store "kv" \\(azure/keyvault\\) is unavailable: cannot reach Key Vault at ${url} for the read of secret "DB_PASSWORD" \\(plat-ue2-dev-app-DB-PASSWORD\\): ECONNREFUSED`,
        ),
      );
      expect(sleeps).toEqual([]);
      expect((await rejection(store.statusMany([inst('A'), inst('B')]))).code).toBe('BACKEND');
    });

    it('a hung call times out (not retried) with a clear error', async () => {
      const store = makeStore({ timeout_ms: 300 });
      emu.injectFault('timeout', 1, 'get');
      emu.calls.reset();
      const e = await rejection(store.get(inst('DB_PASSWORD')));
      expect(e).toBeInstanceOf(KeyVaultUnavailableError);
      expect(e.message).toBe(
        `store "kv" (azure/keyvault) is unavailable: Key Vault at ${emu.url} did not answer the read of secret "DB_PASSWORD" (plat-ue2-dev-app-DB-PASSWORD) within 300 ms`,
      );
      expect(emu.calls.of('get')).toBe(1);
    });

    it('throttling: retried after Retry-After, then succeeds; a storm fails THROTTLED naming secret and store, losing nothing', async () => {
      const store = makeStore();
      const p = inst('HOT', 'storm');
      await store.set(p, 'steady');
      sleeps.length = 0;
      emu.calls.reset();
      emu.injectFault('throttling', 2, 'get');
      expect(await store.get(p)).toBe('steady');
      expect(emu.calls.of('get')).toBe(3);
      expect(sleeps).toEqual([1000, 1000]);

      emu.injectFault('throttling', 20, 'set');
      emu.calls.reset();
      const e = await rejection(store.set(p, CANARY));
      expect(e).toBeInstanceOf(StoreThrottledError);
      expect(e.message).toContain('store "kv" is throttling requests');
      expect(e.message).toContain('answered 429 Throttled to the write of secret "HOT" (storm-app-HOT)');
      expect(e.message).toContain('(after 4 attempts)');
      expect(inspect(e)).not.toContain(CANARY);
      expect(emu.calls.of('set')).toBe(4);
      emu.clearFaults();
      expect(await store.get(p)).toBe('steady');
    });

    it('5xx: retried with backoff; a vault that stays down is unavailable with its words, the old value kept', async () => {
      const store = makeStore();
      const p = inst('FLAKY', 'down');
      await store.set(p, 'before');
      sleeps.length = 0;
      emu.injectFault('internal', 1, 'set');
      await store.set(p, 'after');
      expect(sleeps).toEqual([150]);
      emu.injectFault('unavailable', 10, 'set');
      const e = await rejection(store.set(p, CANARY));
      expect(e).toBeInstanceOf(KeyVaultUnavailableError);
      expect(e.message).toContain(
        'answered 503 ServiceUnavailable to the write of secret "FLAKY" (down-app-FLAKY): The service is temporarily unavailable. (after 4 attempts)',
      );
      expect(inspect(e)).not.toContain(CANARY);
      emu.clearFaults();
      emu.injectFault('internal', 10, 'get');
      expect((await rejection(store.status(p))).code).toBe('BACKEND');
      emu.clearFaults();
      expect(await store.get(p)).toBe('after');
    });

    it('cancellation: an aborted store makes no call; aborting mid-call ends it as CANCELLED', async () => {
      const aborted = makeStore({}, { signal: AbortSignal.abort() });
      const before = emu.calls.total;
      expect((await rejection(aborted.get(inst('DB_PASSWORD')))).code).toBe('CANCELLED');
      expect(emu.calls.total).toBe(before);
      const controller = new AbortController();
      const store = makeStore({}, { signal: controller.signal });
      await store.set(inst('WARM', 'cancel'), 'v');
      emu.injectFault('timeout', 1, 'get');
      const pending = rejection(store.get(inst('WARM', 'cancel')));
      setTimeout(() => controller.abort(), 50);
      const e = await pending;
      expect(e.code).toBe('CANCELLED');
      expect(e.message).toBe(
        'the read of secret "WARM" (cancel-app-WARM) in store "kv" (azure/keyvault) was cancelled',
      );
    });
  });

  describe('options and credentials', () => {
    const factory = keyVaultStoreFactory({ env: {} });
    const bad = (options: Record<string, unknown>, extra: Record<string, unknown> = {}): AppError => {
      try {
        factory(config(options, extra));
      } catch (e) {
        if (e instanceof AppError) return e;
        throw e;
      }
      throw new Error('expected the factory to refuse the config');
    };

    it('refuses a missing URL, a URL with a path, plain http without endpoint_insecure, unknown options', () => {
      expect(bad({}).message).toBe('store "kv" (azure/keyvault) needs options.vault_url, the vault\'s URL');
      expect(bad({ vault_url: 'https://v.vault.azure.net/secrets/x' }).code).toBe('CONFIG');
      const http = bad({ vault_url: 'http://10.0.0.5:8443' });
      expect(http.message).toContain('plain http vault URL (http://10.0.0.5:8443)');
      expect(http.hint).toContain('endpoint_insecure: true');
      expect(http.location).toEqual({ file: 'atmos.yaml', line: 7 });
      expect(bad({ vault_url: 'https://v.vault.azure.net', vault_uri: 'x' }).message).toContain(
        'unknown option(s) vault_uri',
      );
    });

    it('an identity needs a resolver; a partial service principal is refused', () => {
      const e = bad({ vault_url: 'https://v.vault.azure.net' }, { identity: 'prod' });
      expect(e.message).toContain('names identity "prod", but no auth identities are available here');
      expect(e.hint).toContain('AZURE_CLIENT_SECRET');
      const partial = bad({ vault_url: 'https://v.vault.azure.net', tenant_id: 't', client_id: 'c' });
      expect(partial.message).toContain('missing client_secret (or AZURE_CLIENT_SECRET)');
      expect(
        bad({ vault_url: 'https://v.vault.azure.net', without_authentication: true }, { identity: 'x' }).code,
      ).toBe('CONFIG');
    });

    it("the SDK's challenge resource check, left on for a host outside vault.azure.net, fails with the option to set", async () => {
      const store = makeStore({ disable_challenge_resource_verification: false });
      emu.calls.reset();
      const e = await rejection(store.get(inst('DB_PASSWORD')));
      expect(e.code).toBe('BACKEND');
      expect(e.message).toContain("The challenge resource 'vault.azure.net' does not match the requested domain");
      expect(e.hint).toBe(
        "127.0.0.1 is not under a Key Vault domain (vault.azure.net, ...), so the SDK refuses the vault's challenge: for a custom name or an emulator set options.disable_challenge_resource_verification: true.",
      );
      // Only the unauthenticated challenge reached the vault: no token was sent to it.
      expect(emu.calls.snapshot()).toEqual({ challenge: 1 });
    });

    it('endpoint wins over vault_url (a local override of the real vault)', async () => {
      const store = makeStore({ vault_url: 'https://real.vault.azure.net', endpoint: emu.url });
      await store.set(inst('OVERRIDE', 'opt'), 'local');
      expect(emu.stored('opt-app-OVERRIDE')?.[0]?.value).toBe('local');
    });
  });
});

const LIVE = process.env['ATMOS_LIVE_AZURE'] === '1' && !!process.env['AZURE_KEYVAULT_URL'];
const liveReason = LIVE
  ? 'ATMOS_LIVE_AZURE=1 and AZURE_KEYVAULT_URL set'
  : 'skipped: set ATMOS_LIVE_AZURE=1 and AZURE_KEYVAULT_URL (plus AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET or az login) to run against a real vault';
if (!LIVE) console.info(`azure/keyvault live test ${liveReason}`);

describe(`azure/keyvault live (${liveReason})`, () => {
  it.skipIf(!LIVE)('sets, gets, lists versions and deletes a throwaway secret in a real vault', async () => {
    const store = keyVaultStoreFactory()(
      parseStoreConfig('live', {
        kind: 'azure/keyvault',
        secret: true,
        options: { vault_url: process.env['AZURE_KEYVAULT_URL'], prefix: 'atmos-secrets-live' },
      }),
    ) as KeyVaultSecretStore;
    const p: SecretPath = { name: `LIVE_${Date.now()}`, scope: 'global' };
    await store.set(p, 'live-1');
    await store.set(p, 'live-2');
    expect(await store.get(p)).toBe('live-2');
    expect((await store.versions(p)).length).toBeGreaterThanOrEqual(2);
    expect(await store.delete(p)).toBe(true);
    expect(await rejection(store.get(p))).toBeInstanceOf(SecretNotFoundError);
  });
});
