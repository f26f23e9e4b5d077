// StoreSecretBackend.statusMany and statusOneByOne under cancellation: a cancelled call ends the whole batch with
// CANCELLED (the operation's end), while any other store error stays one result per row. statusSession: a
// listing's batches cost one listing of a store that has presentNames, and a store that failed is not asked again.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { MemorySecretStore } from '../../stores/memory/memory-store';
import { parseStoreConfig } from '../../stores/store-config';
import { StoreFactoryTable, StoreRegistry } from '../../stores/registry';
import type { SecretPath } from '../../stores';
import { rejection } from '../../../../test/support/rejection';
import type { StoreCoordinate } from '../model/coordinates';
import { isCancellation, statusOneByOne, StoreSecretBackend, type StatusResult } from './backend';

function setup(settings: { statusMany: boolean; presentNames?: boolean }): {
  backend: StoreSecretBackend;
  store: MemorySecretStore;
} {
  const store = new MemorySecretStore({
    name: 'kc',
    statusMany: settings.statusMany,
    presentNames: settings.presentNames ?? false,
    mapper: { locate: (p) => p.name },
  });
  const registry = new StoreRegistry(
    [parseStoreConfig('kc', { kind: 'keychain', secret: true })],
    new StoreFactoryTable().register('keychain', () => store),
  );
  return { backend: new StoreSecretBackend(registry), store };
}

function coordinate(name: string): StoreCoordinate {
  const path: SecretPath = { name, scope: 'global' };
  return {
    kind: 'store',
    provider: 'store:kc',
    store: 'kc',
    storeKind: 'keychain',
    nativeName: name,
    path,
    key: `store:kc\0${name}`,
    identity: { name: undefined, source: 'default' },
  };
}

const cs = [coordinate('A'), coordinate('B')];
const cancelled = (): AppError => new AppError('CANCELLED', 'the operation was cancelled');

describe('StoreSecretBackend.statusMany', () => {
  it("re-throws a cancellation from the store's statusMany instead of making it every row's error", async () => {
    const { backend, store } = setup({ statusMany: true });
    store.failNext(cancelled());
    const e = await rejection(backend.statusMany(cs));
    expect(e.code).toBe('CANCELLED');
  });

  it('re-throws a cancellation from a one-by-one status', async () => {
    const { backend, store } = setup({ statusMany: false });
    store.failNext(cancelled());
    expect((await rejection(backend.statusMany(cs))).code).toBe('CANCELLED');
  });

  it("keeps any other store error as each row's result (reported once per store)", async () => {
    const { backend, store } = setup({ statusMany: true });
    store.failNext(new AppError('AUTH', 'the keychain is locked'));
    const results = await backend.statusMany(cs);
    expect(results.map((r) => (r.ok ? r.status : r.error.code))).toEqual(['AUTH', 'AUTH']);
  });
});

describe('statusOneByOne', () => {
  it('keeps a row error and goes on; stops at a cancellation', async () => {
    let calls = 0;
    const results = await statusOneByOne(cs, async (c) => {
      calls++;
      if (c.path.name === 'A') throw new AppError('BACKEND', 'unreachable');
      return 'initialized';
    });
    expect(results.map((r) => (r.ok ? r.status : r.error.code))).toEqual(['BACKEND', 'initialized']);
    expect(calls).toBe(2);
    calls = 0;
    const e = await rejection(
      statusOneByOne(cs, async () => {
        calls++;
        throw cancelled();
      }),
    );
    expect(e.code).toBe('CANCELLED');
    expect(calls).toBe(1);
  });

  it('isCancellation reads the code, not the text', () => {
    expect(isCancellation(new AppError('CANCELLED', 'anything'))).toBe(true);
    expect(isCancellation(new AppError('BACKEND', 'the operation was cancelled'))).toBe(false);
    expect(isCancellation(new Error('CANCELLED'))).toBe(false);
  });
});

const answers = (rs: readonly StatusResult[]): string[] => rs.map((r) => (r.ok ? r.status : r.error.code));

describe('StoreSecretBackend.statusSession', () => {
  it("lists a store with presentNames once for the session's batches and looks each native name up", async () => {
    const { backend, store } = setup({ statusMany: true, presentNames: true });
    await store.set({ name: 'A', scope: 'global' }, 'a');
    const session = backend.statusSession();
    expect(answers(await session.statusMany([coordinate('A')]))).toEqual(['initialized']);
    expect(answers(await session.statusMany(cs))).toEqual(['initialized', 'missing']);
    expect(store.calls.presentNames).toBe(1);
    expect(store.calls.statusMany + store.calls.exists + store.calls.get).toBe(0);
  });

  it('answers every later batch with a failed listing, without listing again', async () => {
    const { backend, store } = setup({ statusMany: true, presentNames: true });
    store.failNext(new AppError('KEYCHAIN_UNAVAILABLE', 'The OS keychain is not reachable'));
    const session = backend.statusSession();
    const first = await session.statusMany(cs);
    const second = await session.statusMany([coordinate('C')]);
    expect(answers([...first, ...second])).toEqual([
      'KEYCHAIN_UNAVAILABLE',
      'KEYCHAIN_UNAVAILABLE',
      'KEYCHAIN_UNAVAILABLE',
    ]);
    const errors = [...first, ...second].map((r) => (r.ok ? undefined : r.error));
    expect(new Set(errors).size).toBe(1);
    expect(store.calls.presentNames).toBe(1);
  });

  it('asks statusMany per batch, and after a batch failed as a whole answers the rest with that failure', async () => {
    const { backend, store } = setup({ statusMany: true });
    await store.set({ name: 'B', scope: 'global' }, 'b');
    const session = backend.statusSession();
    expect(answers(await session.statusMany(cs))).toEqual(['missing', 'initialized']);
    store.failNext(new AppError('AUTH', 'the token was refused'));
    expect(answers(await session.statusMany([coordinate('A')]))).toEqual(['AUTH']);
    expect(answers(await session.statusMany(cs))).toEqual(['AUTH', 'AUTH']);
    expect(store.calls.statusMany).toBe(2);
  });

  it('keeps asking after a one-by-one failure, which is that row’s alone', async () => {
    const { backend, store } = setup({ statusMany: false });
    await store.set({ name: 'B', scope: 'global' }, 'b');
    const session = backend.statusSession();
    store.failNext(new AppError('BACKEND', 'one read failed'));
    expect(answers(await session.statusMany(cs))).toEqual(['BACKEND', 'initialized']);
    expect(answers(await session.statusMany(cs))).toEqual(['missing', 'initialized']);
  });

  it('re-throws a cancellation of the listing', async () => {
    const { backend, store } = setup({ statusMany: true, presentNames: true });
    store.failNext(cancelled());
    expect((await rejection(backend.statusSession().statusMany(cs))).code).toBe('CANCELLED');
  });
});
