// The in-memory double through the shared conformance suite, plus its call counter, versions and failures.
import { describe, expect, it } from 'vitest';
import { runStoreConformance } from '../../../../test/support/store-conformance';
import type { SecretPath } from '../paths';
import { keychainAccount } from '../naming/keychain';
import { SecretNotFoundError, StoreThrottledError } from '../store-errors';
import { retryThrottled } from '../retry';
import { MEMORY_DEFAULT_MAX_VALUE_BYTES, MemorySecretStore } from './memory-store';

/** A clock that moves one second per call, so versions carry distinct, increasing times. */
function tickingClock(): () => Date {
  let t = 0;
  return () => new Date(++t * 1000);
}

let counted: MemorySecretStore | undefined;
const listed: MemorySecretStore[] = [];
runStoreConformance(
  'memory (default limits)',
  () => {
    counted = new MemorySecretStore({ name: 'mem', now: tickingClock(), presentNames: true });
    return counted;
  },
  {
    declared: {
      versions: true,
      getMany: true,
      statusMany: true,
      presentNames: true,
      maxValueBytes: MEMORY_DEFAULT_MAX_VALUE_BYTES,
    },
    refusedPaths: [{ name: 'BAD\nNAME', scope: 'global' }],
    backendCalls: () => counted?.totalCalls() ?? 0,
    listing: {
      storeWithPrefix: (prefix) => {
        const made = new MemorySecretStore({
          name: 'mem',
          now: tickingClock(),
          mapper: { locate: (p) => keychainAccount(p, { prefix }, { store: 'mem' }) },
          listRoot: `${prefix}/`,
        });
        listed.push(made);
        return made;
      },
      pageSize: 3,
      listCalls: () => listed.reduce((n, s) => n + s.calls.listManaged, 0),
      lastChanged: true,
    },
  },
);

runStoreConformance(
  'memory (1 KiB limit, no versions, no batches)',
  () =>
    new MemorySecretStore({
      name: 'small',
      capabilities: { maxValueBytes: 1024, versions: false, batchSize: 1 },
      statusMany: false,
      getMany: false,
      listManaged: false,
    }),
  { declared: { versions: false, getMany: false, statusMany: false, maxValueBytes: 1024 } },
);

const path: SecretPath = { name: 'TOKEN', scope: 'instance', stack: 'plat-ue2-dev', component: 'app' };

describe('MemorySecretStore', () => {
  it('names entries as the keychain store does by default', () => {
    expect(new MemorySecretStore().locate(path)).toBe('atmos/plat/ue2/dev/app/TOKEN');
  });

  it('counts backend calls per operation, batching getMany by batchSize', async () => {
    const store = new MemorySecretStore({ capabilities: { batchSize: 2 } });
    await store.set(path, 'v');
    await store.get(path);
    await store.status(path);
    await store.getMany?.([path, path, path]);
    expect(store.calls).toMatchObject({ set: 1, get: 1, exists: 1, getMany: 2 });
    expect(store.totalCalls()).toBe(5);
  });

  it('keeps versions newest first', async () => {
    const store = new MemorySecretStore();
    await store.set(path, 'one');
    await store.set(path, 'two');
    const versions = (await store.versions?.(path)) ?? [];
    expect(versions.map((v) => [v.version, v.current])).toEqual([
      ['2', true],
      ['1', false],
    ]);
    await expect(store.versions?.({ ...path, name: 'NONE' })).rejects.toBeInstanceOf(SecretNotFoundError);
  });

  it('checks a whole batch of statuses in one call, and only when asked to offer statusMany', async () => {
    const store = new MemorySecretStore();
    await store.set(path, 'v');
    expect(await store.statusMany?.([path, { ...path, name: 'OTHER' }])).toEqual(['initialized', 'missing']);
    expect(store.calls.statusMany).toBe(1);
    expect(new MemorySecretStore({ statusMany: false }).statusMany).toBeUndefined();
  });

  it('fails the next call on request, which retryThrottled retries without waiting on a clock', async () => {
    const store = new MemorySecretStore();
    await store.set(path, 'v');
    store.failNext(new StoreThrottledError('memory'));
    store.failNext(new StoreThrottledError('memory'));
    const delays: number[] = [];
    const value = await retryThrottled(() => store.get(path), {
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0,
    });
    expect(value).toBe('v');
    expect(store.calls.get).toBe(3);
    expect(delays).toEqual([100, 200]);
  });
});
