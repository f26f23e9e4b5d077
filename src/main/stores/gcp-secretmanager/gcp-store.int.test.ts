// gcp/secretmanager through the Secret Manager emulator (gRPC, the official client unmodified): the shared
// conformance suite, then what is special to Secret Manager (create-then-add, labels and the path annotation,
// Atmos' value form, `latest` and version states, pages, delete, bounded concurrency, CRC32C) and bad input
// (illegal names, oversize values, refused or missing credentials, a refused or hung endpoint, throttling
// storms, 5xx, cancellation): clear errors naming the secret and the store, nothing lost, `error` not `missing`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { IdentityResolver } from '../../auth';
import { crc32c } from '../../sops/keysources/gcp-kms/crc32c';
import { start, type GcpSecretManagerEmulator } from '../../../../test/support/emulators/gcp-secretmanager';
import { runStoreConformance } from '../../../../test/support/store-conformance';
import type { SecretPath } from '../paths';
import { parseStoreConfig } from '../store-config';
import { SecretNotFoundError, StoreAuthError, StoreThrottledError, ValueTooLargeError } from '../store-errors';
import {
  gcpSecretManagerStoreFactory,
  GcpSecretStore,
  GcpUnavailableError,
  GcpVersionNotEnabledError,
  GCP_MAX_PAYLOAD_BYTES,
  GCP_MAX_VALUE_BYTES,
  MANAGED_LABEL,
  PATH_ANNOTATION,
  type GcpStoreDeps,
} from './index';
import { rejection } from '../../../../test/support/rejection';

const PROJECT = 'emu-project';
let emu: GcpSecretManagerEmulator;
let tmp: string;
const opened: GcpSecretStore[] = [];

beforeAll(async () => {
  emu = await start();
  tmp = mkdtempSync(join(tmpdir(), 'atmos-gcp-'));
});
afterAll(async () => {
  for (const s of opened) await s.close();
  await emu.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** Backoff without waiting, recording the waits. */
function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: (ms) => (waits.push(ms), Promise.resolve()) };
}

function makeStore(
  options: Readonly<Record<string, unknown>> = {},
  deps: GcpStoreDeps = {},
  extra: { identity?: string; endpoint?: string | null } = {},
): GcpSecretStore {
  const endpoint = extra.endpoint === undefined ? emu.endpoint : extra.endpoint;
  const config = parseStoreConfig('gsm', {
    kind: 'gcp/secretmanager',
    secret: true,
    ...(extra.identity !== undefined ? { identity: extra.identity } : {}),
    options: { project_id: PROJECT, prefix: 'atmos', ...(endpoint !== null ? { endpoint } : {}), ...options },
  });
  const store = gcpSecretManagerStoreFactory({ sleep: recordingSleep().sleep, ...deps })(config);
  if (!(store instanceof GcpSecretStore)) throw new Error('expected a GcpSecretStore');
  opened.push(store);
  return store;
}

const at = (name: string, stack = 'plat-ue2-dev', component = 'api'): SecretPath => ({
  name,
  scope: 'instance',
  stack,
  component,
});

runStoreConformance('gcp/secretmanager through the Secret Manager emulator', () => makeStore({ prefix: 'conf' }), {
  // No backendCalls: the suite expects statusMany in one call, and Secret Manager has no batch read (statusMany is
  // one AccessSecretVersion per id, bounded); "no call for a refused path" is asserted below instead.
  declared: { versions: true, getMany: true, statusMany: true, maxValueBytes: GCP_MAX_VALUE_BYTES },
  refusedPaths: [
    { name: 'HAS.DOT', scope: 'global' },
    { name: 'HAS SPACE', scope: 'global' },
    { name: 'K'.repeat(260), scope: 'global' },
  ],
  listing: {
    storeWithPrefix: (prefix) => makeStore({ prefix }),
    pageSize: 3,
    listCalls: () => emu.calls.of('ListSecrets'),
    lastChanged: false,
  },
});

describe('gcp/secretmanager specifics', () => {
  it('adds a version, creating the secret (automatic replication, label, path annotation) when it is missing', async () => {
    const store = makeStore();
    emu.calls.reset();
    await store.set(at('DB_PASSWORD'), 'hunter2');
    // NOT_FOUND on the first add, then CreateSecret and the add again.
    expect(emu.calls.snapshot()).toEqual({ AddSecretVersion: 2, CreateSecret: 1 });
    const id = 'atmos_plat_ue2_dev_api_DB_PASSWORD';
    expect(store.locate(at('DB_PASSWORD'))).toBe(id);
    const secret = emu.secret(PROJECT, id);
    expect(secret?.replication).toBe('automatic');
    expect(secret?.labels).toEqual(MANAGED_LABEL);
    expect(secret?.annotations).toEqual({ [PATH_ANNOTATION]: 'atmos/plat/ue2/dev/api/DB_PASSWORD' });
    // Atmos json.Marshal's the value; the CRC32C went with it.
    expect(secret?.versions[0]?.data.toString()).toBe('"hunter2"');
    expect(secret?.versions[0]?.clientChecksum).toBe(true);
    expect(await store.get(at('DB_PASSWORD'))).toBe('hunter2');

    // A rotation is one call, and works for an identity that may only add versions.
    emu.denyAccess('CreateSecret');
    try {
      emu.calls.reset();
      await store.set(at('DB_PASSWORD'), 'rotated');
      expect(emu.calls.snapshot()).toEqual({ AddSecretVersion: 1 });
    } finally {
      emu.allowAll();
    }
    expect(emu.secret(PROJECT, id)?.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(await store.get(at('DB_PASSWORD'))).toBe('rotated');
  });

  it('adds to a secret another writer created in between (ALREADY_EXISTS is fine)', async () => {
    const store = makeStore();
    const id = 'atmos_plat_ue2_dev_api_RACED';
    // The first add finds no secret; by the time we create it, someone else has.
    emu.beforeNext('CreateSecret', () => emu.seed(PROJECT, id, []));
    emu.calls.reset();
    await store.set(at('RACED'), 'mine');
    expect(emu.calls.snapshot()).toEqual({ AddSecretVersion: 2, CreateSecret: 1 });
    expect(emu.secret(PROJECT, id)?.versions).toHaveLength(1);
    expect(emu.secret(PROJECT, id)?.annotations).toEqual({});
    expect(await store.get(at('RACED'))).toBe('mine');
  });

  it('replicates to `locations` when given (user-managed replication)', async () => {
    const store = makeStore({ locations: ['us-east1', 'europe-west4'] });
    await store.set(at('REPLICATED'), 'v');
    const secret = emu.secret(PROJECT, 'atmos_plat_ue2_dev_api_REPLICATED');
    expect(secret?.replication).toBe('userManaged');
    expect(secret?.locations).toEqual(['us-east1', 'europe-west4']);
  });

  it('reads what Atmos and other tools wrote: a JSON string as its text, raw or structured text as stored', async () => {
    const store = makeStore();
    emu.seed(PROJECT, 'atmos_plat_ue2_dev_api_FROM_ATMOS', ['"atmos value"']);
    emu.seed(PROJECT, 'atmos_plat_ue2_dev_api_RAW', ['raw text, not JSON']);
    emu.seed(PROJECT, 'atmos_plat_ue2_dev_api_STRUCT', ['{"user":"app","port":5432}']);
    emu.seed(PROJECT, 'atmos_plat_ue2_dev_api_BINARY', [Buffer.from([0xff, 0xfe, 0x00])]);
    expect(await store.get(at('FROM_ATMOS'))).toBe('atmos value');
    expect(await store.get(at('RAW'))).toBe('raw text, not JSON');
    expect(await store.get(at('STRUCT'))).toBe('{"user":"app","port":5432}');
    const binary = await rejection(store.get(at('BINARY')));
    expect(binary.code).toBe('BACKEND');
    expect(binary.message).toContain('not UTF-8 text');
  });

  it('reads `latest`: a disabled or destroyed latest version has no value (status missing), with the state named', async () => {
    const store = makeStore();
    const id = 'atmos_plat_ue2_dev_api_STATES';
    emu.seed(PROJECT, id, ['"v1"', '"v2"']);
    emu.setVersionState(PROJECT, id, 2, 'DISABLED');
    const e = await rejection(store.get(at('STATES')));
    expect(e).toBeInstanceOf(GcpVersionNotEnabledError);
    expect(e).toBeInstanceOf(SecretNotFoundError);
    expect(e.message).toContain('"STATES"');
    expect(e.message).toContain('"gsm"');
    expect(e.message).toContain('DISABLED');
    expect(await store.status(at('STATES'))).toBe('missing');
    // Setting again makes a new enabled latest version.
    await store.set(at('STATES'), 'v3');
    expect(await store.get(at('STATES'))).toBe('v3');
  });

  it('lists versions newest first through every page, with states; current only when the newest is enabled', async () => {
    const paged = await start({ maxPageSize: 2 });
    try {
      const store = makeStore({}, {}, { endpoint: paged.endpoint });
      const id = 'atmos_plat_ue2_dev_api_HISTORY';
      for (const v of ['a', 'b', 'c', 'd', 'e']) await store.set(at('HISTORY'), v);
      paged.setVersionState(PROJECT, id, 2, 'DESTROYED');
      paged.calls.reset();
      const versions = await store.versions(at('HISTORY'));
      expect(paged.calls.of('ListSecretVersions')).toBe(3);
      expect(versions.map((v) => [v.version, v.state, v.current])).toEqual([
        ['5', 'ENABLED', true],
        ['4', 'ENABLED', false],
        ['3', 'ENABLED', false],
        ['2', 'DESTROYED', false],
        ['1', 'ENABLED', false],
      ]);
      expect(versions[3]?.destroyedAt).toBeInstanceOf(Date);
      expect(versions.every((v) => v.createdAt instanceof Date)).toBe(true);
      paged.setVersionState(PROJECT, id, 5, 'DISABLED');
      expect((await store.versions(at('HISTORY'))).filter((v) => v.current)).toEqual([]);
      expect(await rejection(store.versions(at('NO_HISTORY')))).toBeInstanceOf(SecretNotFoundError);
    } finally {
      await paged.stop();
    }
  });

  it('deletes the whole secret with every version (DeleteSecret); deleting again is false', async () => {
    const store = makeStore();
    await store.set(at('DOOMED'), 'one');
    await store.set(at('DOOMED'), 'two');
    expect(await store.delete(at('DOOMED'))).toBe(true);
    expect(emu.secret(PROJECT, 'atmos_plat_ue2_dev_api_DOOMED')).toBeUndefined();
    expect(await store.delete(at('DOOMED'))).toBe(false);
  });

  it('checks many secrets with one access per distinct id, at most `concurrency` at a time', async () => {
    const store = makeStore({ concurrency: 3 });
    const paths = Array.from({ length: 10 }, (_, i) => at(`MANY_${i}`));
    for (const p of paths.slice(0, 4)) await store.set(p, `value of ${p.name}`);
    emu.setLatency(20, 'AccessSecretVersion');
    try {
      emu.calls.reset();
      emu.resetPeak();
      const statuses = await store.statusMany([...paths, paths[0] as SecretPath]);
      expect(statuses).toEqual([...Array(4).fill('initialized'), ...Array(6).fill('missing'), 'initialized']);
      expect(emu.calls.snapshot()).toEqual({ AccessSecretVersion: 10 });
      expect(emu.peakInFlight).toBe(3);
      const got = await store.getMany([paths[1] as SecretPath, paths[9] as SecretPath]);
      expect(got).toEqual([
        { path: paths[1], found: true, value: 'value of MANY_1' },
        { path: paths[9], found: false },
      ]);
    } finally {
      emu.setLatency(0, 'AccessSecretVersion');
    }
  });

  it('sends CRC32C with every version: the service refuses a payload that does not match it', async () => {
    const store = makeStore();
    await store.set(at('CHECKED'), 'checked ✓');
    const version = emu.secret(PROJECT, 'atmos_plat_ue2_dev_api_CHECKED')?.versions[0];
    expect(version?.clientChecksum).toBe(true);
    expect(crc32c(version?.data ?? Buffer.alloc(0))).toBe(crc32c(Buffer.from('"checked ✓"')));
  });
});

describe('gcp/secretmanager bad input', () => {
  it('refuses an illegal name before any call, naming the secret, the store and the rule', async () => {
    const store = makeStore();
    emu.calls.reset();
    for (const p of [at('BAD.NAME'), at('K'.repeat(260)), { name: 'x y', scope: 'global' } as const]) {
      for (const attempt of [store.get(p), store.set(p, 'v'), store.status(p), store.delete(p), store.versions(p)]) {
        const e = await rejection(attempt);
        expect(e.code).toBe('CONFIG');
        expect(e.message).toContain(`"${p.name}"`);
        expect(e.message).toContain('"gsm"');
      }
    }
    const e = await rejection(store.statusMany([at('GOOD'), at('BAD.NAME')]));
    expect(e.code).toBe('CONFIG');
    expect(emu.calls.total).toBe(0);
  });

  it('refuses an oversize value before any call, without echoing it, keeping the old value', async () => {
    const store = makeStore();
    await store.set(at('SIZED'), 'old');
    emu.calls.reset();
    const plain = 'a'.repeat(GCP_MAX_VALUE_BYTES + 1);
    const e1 = await rejection(store.set(at('SIZED'), plain));
    expect(e1).toBeInstanceOf(ValueTooLargeError);
    expect(e1.message).toContain(String(GCP_MAX_VALUE_BYTES));
    expect(e1.message).not.toContain('aaaaaaaaaaaaaaaa');
    // Under the plain limit, but JSON escaping (each newline is \n) takes it over 64 KiB.
    const escaped = '\n'.repeat(40_000);
    const e2 = await rejection(store.set(at('SIZED'), escaped));
    expect(e2).toBeInstanceOf(ValueTooLargeError);
    expect(e2.message).toContain(String(GCP_MAX_PAYLOAD_BYTES));
    expect(emu.calls.total).toBe(0);
    expect(await store.get(at('SIZED'))).toBe('old');
  });

  it('maps refused credentials to StoreAuthError naming the secret and store; status is an error, never missing', async () => {
    const store = makeStore();
    await store.set(at('GUARDED'), 'top secret value');
    emu.injectFault('unauthenticated', 1, 'AccessSecretVersion');
    const unauth = await rejection(store.get(at('GUARDED')));
    expect(unauth).toBeInstanceOf(StoreAuthError);
    expect(unauth.message).toContain('"gsm"');
    expect(unauth.message).toContain('"GUARDED"');
    expect(unauth.message).toContain('UNAUTHENTICATED');

    emu.denyAccess('AccessSecretVersion', 'atmos_plat_ue2_dev_api_GUARDED');
    emu.denyAccess('AddSecretVersion');
    try {
      const denied = await rejection(store.status(at('GUARDED')));
      expect(denied).toBeInstanceOf(StoreAuthError);
      expect(denied.message).toContain("Permission 'secretmanager.versions.access' denied");
      expect(denied.hint).toContain('roles/secretmanager');
      expect(await rejection(store.statusMany([at('GUARDED')]))).toBeInstanceOf(StoreAuthError);
      const write = await rejection(store.set(at('GUARDED'), 'new secret value'));
      expect(write).toBeInstanceOf(StoreAuthError);
      expect(write.message).not.toContain('new secret value');
    } finally {
      emu.allowAll();
    }
    expect(await store.get(at('GUARDED'))).toBe('top secret value');
  });

  it('fails with AUTH before any request when there are no usable credentials (ADC missing, broken key file)', async () => {
    const saved = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.GOOGLE_APPLICATION_CREDENTIALS = join(tmp, 'no-such-key.json');
    try {
      const adc = makeStore({ endpoint: 'https://127.0.0.1:1' }, {}, { endpoint: null });
      const e = await rejection(adc.get(at('ANY')));
      expect(e).toBeInstanceOf(StoreAuthError);
      expect(e.message).toContain('store "gsm" refused the credentials: no usable Google credentials');
      expect(e.hint).toContain('gcloud auth application-default login');
    } finally {
      if (saved === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      else process.env.GOOGLE_APPLICATION_CREDENTIALS = saved;
    }

    const keyFile = join(tmp, 'broken-key.json');
    writeFileSync(keyFile, JSON.stringify({ type: 'service_account', project_id: PROJECT }));
    const identities = new IdentityResolver({
      auth: {
        identities: {
          broken: { kind: 'gcp/service-account', credentials: { key_file: keyFile } },
          missing: { kind: 'gcp/service-account', credentials: { key_file: join(tmp, 'absent.json') } },
          aws: { kind: 'aws/user', credentials: { access_key_id: 'AKID', secret_access_key: 's' } },
        },
      },
      env: {},
    });
    const broken = makeStore(
      { endpoint: 'https://127.0.0.1:1' },
      { identities },
      { identity: 'broken', endpoint: null },
    );
    const e = await rejection(broken.get(at('ANY')));
    expect(e).toBeInstanceOf(StoreAuthError);
    expect(e.hint).toContain('broken-key.json');
    // A key file that is not there, or an identity of another cloud: CONFIG when the store is built.
    expect(() => makeStore({}, { identities }, { identity: 'missing', endpoint: null })).toThrow(AppError);
    expect(() => makeStore({}, { identities }, { identity: 'aws', endpoint: null })).toThrow(/needs GCP credentials/);
    expect(() => makeStore({}, {}, { identity: 'broken', endpoint: null })).toThrow(/no auth identities/);
  });

  it('refuses bad options clearly: unknown keys, options.credentials, plain http off this machine, no project for an emulator', () => {
    expect(() => makeStore({ projet_id: 'x' })).toThrow(/unknown option\(s\) projet_id/);
    expect(() => makeStore({ credentials: '{"type":"service_account"}' })).toThrow(/options\.credentials/);
    expect(() => makeStore({ endpoint: 'http://10.0.0.5:8080' })).toThrow(/plain http is only for an emulator/);
    expect(() => makeStore({ project_id: undefined })).toThrow(/sets no options\.project_id/);
    expect(() => makeStore({ project_id: 'Bad_Project' })).toThrow(/options\.project_id/);
  });

  it('a refused connection is unavailable after the retries, naming the secret and store; status is an error', async () => {
    const down = await start();
    const endpoint = down.endpoint;
    await down.stop();
    const { sleep, waits } = recordingSleep();
    const store = makeStore({ max_attempts: 3 }, { sleep }, { endpoint });
    const e = await rejection(store.get(at('UNREACHABLE')));
    expect(e).toBeInstanceOf(GcpUnavailableError);
    expect(e.code).toBe('BACKEND');
    expect(e.message).toContain('store "gsm" is unavailable for secret "UNREACHABLE"');
    expect(e.message).toContain('UNAVAILABLE');
    expect(waits).toHaveLength(2);
    expect(await rejection(store.status(at('UNREACHABLE')))).toBeInstanceOf(GcpUnavailableError);
    expect(await rejection(store.statusMany([at('UNREACHABLE'), at('OTHER')]))).toBeInstanceOf(GcpUnavailableError);
  });

  it('a hung endpoint times out (DEADLINE_EXCEEDED) without a retry that could double a write', async () => {
    const store = makeStore({ timeout_ms: 200 });
    emu.calls.reset();
    emu.injectFault('hang', 1, 'AccessSecretVersion');
    const e = await rejection(store.get(at('SLOW')));
    expect(e).toBeInstanceOf(GcpUnavailableError);
    expect(e.message).toContain('DEADLINE_EXCEEDED');
    expect(emu.calls.of('AccessSecretVersion')).toBe(1);
  });

  it('rides out a short throttling storm and 5xx with growing, jittered waits; a long storm is a clear THROTTLED error', async () => {
    const { sleep, waits } = recordingSleep();
    const store = makeStore({ max_attempts: 4 }, { sleep, random: () => 0.5 });
    await store.set(at('STORMY'), 'kept');
    emu.calls.reset();
    emu.injectFault('resource-exhausted', 2, 'AccessSecretVersion');
    emu.injectFault('unavailable', 1, 'AccessSecretVersion');
    expect(await store.get(at('STORMY'))).toBe('kept');
    expect(emu.calls.of('AccessSecretVersion')).toBe(4);
    expect(waits).toEqual([150, 300, 600]);

    emu.injectFault('resource-exhausted', 20, 'AddSecretVersion');
    try {
      const e = await rejection(store.set(at('STORMY'), 'lost?'));
      expect(e).toBeInstanceOf(StoreThrottledError);
      expect(e.message).toContain('"gsm"');
      expect(e.message).toContain('"STORMY"');
      expect(e.message).toContain('RESOURCE_EXHAUSTED');
    } finally {
      emu.clearFaults();
    }
    // Nothing lost: the old value is still the latest, and the write goes through once the storm is over.
    expect(await store.get(at('STORMY'))).toBe('kept');
    await store.set(at('STORMY'), 'after the storm');
    expect(await store.get(at('STORMY'))).toBe('after the storm');

    emu.injectFault('internal', 1, 'DeleteSecret');
    expect(await store.delete(at('STORMY'))).toBe(true);
  });

  it('is cancelled by the store signal, mid-call and before the next one', async () => {
    const controller = new AbortController();
    const store = makeStore({}, { signal: controller.signal });
    await store.set(at('CANCELLED'), 'v');
    emu.setLatency(2_000, 'AccessSecretVersion');
    try {
      const pending = rejection(store.get(at('CANCELLED')));
      setTimeout(() => controller.abort(), 50);
      const e = await pending;
      expect(e.code).toBe('CANCELLED');
      expect(e.message).toContain('"CANCELLED"');
      expect((await rejection(store.status(at('CANCELLED')))).code).toBe('CANCELLED');
    } finally {
      emu.setLatency(0, 'AccessSecretVersion');
    }
  });
});
