// Rotation: values generated in main within bounds; consumers as a list and by stack; write once, read back
// through every consumer (one batched read per store), roll back automatically or later, with a check that
// nobody wrote since; a cancelled read-back keeps the write; the rotation age.
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { MemorySecretStore, type MemoryStoreSettings } from '../../stores/memory';
import {
  SecretNotFoundError,
  StoreFactoryTable,
  type SecretPath,
  type SecretStore,
  type SecretVersion,
} from '../../stores';
import { keychainAccount } from '../../stores/naming/keychain';
import { memoryService, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import {
  ALPHABETS,
  ageOf,
  alphabetChars,
  entropyBits,
  generateValue,
  RollbackConflictError,
  verifyConsumers,
} from './rotate';
import { ageAgainst } from '../health/age';
import type { HistoryReport } from './history';

afterAll(removeWrittenWorkspaces);

const ATMOS = `base_path: "."
stacks:
  base_path: stacks
  included_paths: ["deploy/*.yaml"]
stores:
  kc:
    kind: keychain
    options: {prefix: r, service: rotate-test}
  other:
    kind: keychain
    options: {prefix: o, service: rotate-test}
`;

const STACK = `secrets:
  vars:
    STACKWIDE: {store: kc}
components:
  terraform:
    api:
      secrets:
        vars:
          SHARED: {store: kc, scope: global}
          OWN: {store: kc}
    worker:
      secrets:
        vars:
          SHARED: {store: kc, scope: global}
    odd:
      secrets:
        vars:
          SHARED: {store: other, scope: global}
`;

function dir(): string {
  return writeWorkspace({ 'atmos.yaml': ATMOS, 'stacks/deploy/dev.yaml': STACK, 'stacks/deploy/prod.yaml': STACK });
}

/** A memory store per configured store name, built through the service's store seam (its factories). */
function storesFor(make: (name: string) => SecretStore): {
  factories: StoreFactoryTable;
  stores: Map<string, SecretStore>;
} {
  const stores = new Map<string, SecretStore>();
  const factories = new StoreFactoryTable().register('keychain', (config) => {
    const s = make(config.name);
    stores.set(config.name, s);
    return s;
  });
  return { factories, stores };
}

function memory(name: string, o: MemoryStoreSettings = {}): MemorySecretStore {
  return new MemorySecretStore({ name, capabilities: { versions: false }, ...o });
}

/** Reads of a value starting with "new" come back changed (a replica that did not catch up with the write). */
function corrupting(inner: MemorySecretStore): SecretStore {
  const stale = (v: string): string => (v.startsWith('new') ? `${v}-stale` : v);
  return {
    name: inner.name,
    kind: inner.kind,
    capabilities: inner.capabilities,
    locate: (p) => inner.locate(p),
    get: async (p) => stale(await inner.get(p)),
    set: (p, v) => inner.set(p, v),
    delete: (p) => inner.delete(p),
    status: (p) => inner.status(p),
    exists: (p) => inner.exists(p),
    getMany: async (paths) => (await inner.getMany!(paths)).map((r) => (r.found ? { ...r, value: stale(r.value) } : r)),
  };
}

/** A store that keeps every version and reads one back by id (as Vault or Secrets Manager do). */
class VersionedStore implements SecretStore {
  readonly kind = 'keychain' as const;
  readonly capabilities = {
    versions: true,
    batchSize: 1,
    maxValueBytes: 4096,
    scopes: ['instance', 'stack', 'global'] as const,
    local: true,
    lossyNames: false,
  };
  readonly entries = new Map<string, string[]>();
  gets = 0;
  constructor(readonly name: string) {}
  locate(p: SecretPath): string {
    return keychainAccount(p, {}, { store: this.name });
  }
  private list(p: SecretPath): string[] {
    const l = this.entries.get(this.locate(p));
    if (!l || l.length === 0) throw new SecretNotFoundError({ secret: p.name, store: this.name }, this.locate(p));
    return l;
  }
  async get(p: SecretPath): Promise<string> {
    this.gets += 1;
    return this.list(p).at(-1) as string;
  }
  async set(p: SecretPath, v: string): Promise<void> {
    const k = this.locate(p);
    this.entries.set(k, [...(this.entries.get(k) ?? []), v]);
  }
  async delete(p: SecretPath): Promise<boolean> {
    return this.entries.delete(this.locate(p));
  }
  async status(p: SecretPath): Promise<'initialized' | 'missing'> {
    return this.entries.has(this.locate(p)) ? 'initialized' : 'missing';
  }
  async exists(p: SecretPath): Promise<boolean> {
    return this.entries.has(this.locate(p));
  }
  async versions(p: SecretPath): Promise<SecretVersion[]> {
    const l = this.list(p);
    return l.map((_, i) => ({ version: String(i + 1), createdAt: undefined, current: i === l.length - 1 })).reverse();
  }
  async getVersion(p: SecretPath, version: string): Promise<string> {
    const v = this.list(p)[Number(version) - 1];
    if (v === undefined) throw new SecretNotFoundError({ secret: p.name, store: this.name }, version);
    return v;
  }
}

const yes = async (): Promise<boolean> => true;
const SHARED = { stack: 'deploy/dev', component: 'api', name: 'SHARED' };

describe('generated values', () => {
  it('draws each character from the alphabet, at the length asked', () => {
    for (const alphabet of ['alphanumeric', 'hex', 'base64url', 'symbols', 'abcdefghij'] as const) {
      const chars = alphabetChars(alphabet);
      const v = generateValue({ length: 64, alphabet });
      expect(v).toHaveLength(64);
      expect([...v].every((ch) => chars.includes(ch))).toBe(true);
    }
    // 4,000 hex characters use every one of the 16 (a biased or constant generator would not).
    expect(new Set(generateValue({ length: 4000, alphabet: 'hex' }))).toEqual(new Set(ALPHABETS.hex));
    expect(generateValue({ length: 32, alphabet: 'alphanumeric' })).not.toBe(
      generateValue({ length: 32, alphabet: 'alphanumeric' }),
    );
  });

  it('refuses lengths out of bounds, weak values and bad alphabets, naming the rule', () => {
    expect(() => generateValue({ length: 7, alphabet: 'symbols' })).toThrow(/from 8 to 4096/);
    expect(() => generateValue({ length: 4097, alphabet: 'hex' })).toThrow(/from 8 to 4096/);
    expect(() => generateValue({ length: 8.5, alphabet: 'hex' })).toThrow(/whole number/);
    expect(() => generateValue({ length: 15, alphabet: 'hex' })).toThrow(/60 bits of entropy; at least 64/);
    expect(() => alphabetChars('aab')).toThrow(/each character once/);
    expect(() => alphabetChars('a b')).toThrow(/printable ASCII/);
    expect(() => alphabetChars('x')).toThrow(/printable ASCII/);
    expect(entropyBits({ length: 16, alphabet: 'hex' })).toBe(64);
  });
});

describe('consumers report', () => {
  it('lists a global secret in every stack with its path, grouped by stack, without another store', async () => {
    const { svc } = await memoryService(dir());
    const r = svc.consumersReport(SHARED);
    expect(r.consumers.map((c) => `${c.stack}/${c.component}`)).toEqual([
      'deploy/dev/api',
      'deploy/dev/worker',
      'deploy/prod/api',
      'deploy/prod/worker',
    ]);
    expect(r.stacks).toEqual([
      { stack: 'deploy/dev', components: ['api', 'worker'] },
      { stack: 'deploy/prod', components: ['api', 'worker'] },
    ]);
    expect(new Set(r.consumers.map((c) => c.where))).toEqual(new Set(['store "kc" (keychain) at r/SHARED']));
  });

  it('an instance secret has its own component only', async () => {
    const { svc } = await memoryService(dir());
    const r = svc.consumersReport({ stack: 'deploy/prod', component: 'api', name: 'OWN' });
    expect(r.stacks).toEqual([{ stack: 'deploy/prod', components: ['api'] }]);
  });
});

describe('rotate', () => {
  it('writes once and reads back every consumer in one batched read per store', async () => {
    const { factories, stores } = storesFor((n) => memory(n));
    const { svc } = await memoryService(dir(), { factories, confirm: yes });
    await svc.set({ ...SHARED, value: 'old' });
    const kc = stores.get('kc') as MemorySecretStore;
    const before = { ...kc.calls };
    const r = await svc.rotate({ ...SHARED, value: { kind: 'generate', length: 40, alphabet: 'base64url' } });
    expect(r.ok).toBe(true);
    expect(r.generated).toBe(true);
    expect(r.entropyBits).toBe(240);
    expect(r.checks.map((c) => `${c.stack}/${c.component}:${c.status}`)).toEqual([
      'deploy/dev/api:ok',
      'deploy/dev/worker:ok',
      'deploy/prod/api:ok',
      'deploy/prod/worker:ok',
    ]);
    expect(kc.calls.set - before.set).toBe(1);
    expect(kc.calls.getMany - before.getMany).toBe(1);
    const now = (await svc.get(SHARED)).value;
    expect(now).toHaveLength(40);
    expect(now).not.toBe('old');
    // The value is in no part of the result.
    expect(JSON.stringify(r)).not.toContain(now);
  });

  it('a failed verification rolls back to the previous value when asked, and says so', async () => {
    const inner = memory('kc');
    const { factories } = storesFor((n) => (n === 'kc' ? corrupting(inner) : memory(n)));
    const { svc } = await memoryService(dir(), { factories, confirm: yes });
    await svc.set({ ...SHARED, value: 'old' });
    const r = await svc.rotate({ ...SHARED, value: { kind: 'given', value: 'new-value' }, rollbackOnFailure: true });
    expect(r.ok).toBe(false);
    expect(r.checks.every((c) => c.status === 'mismatch')).toBe(true);
    expect(r.rolledBack?.method).toBe('value');
    expect(r.rolledBack?.message).toMatch(/restored the previous value of SHARED/);
    expect(r.rollback).toBeUndefined();
    expect(await inner.get({ name: 'SHARED', scope: 'global' })).toBe('old');
  });

  it('without automatic roll back, the handle restores later; it refuses when someone wrote since', async () => {
    const inner = memory('kc');
    const { factories } = storesFor((n) => (n === 'kc' ? corrupting(inner) : memory(n)));
    const { svc } = await memoryService(dir(), { factories, confirm: yes });
    await svc.set({ ...SHARED, value: 'old' });
    const first = await svc.rotate({ ...SHARED, value: { kind: 'given', value: 'new-1' } });
    expect(first.ok).toBe(false);
    expect(first.rolledBack).toBeUndefined();
    // The value read back (a stale replica's) counts as the rotation's, so the later roll back goes ahead.
    const done = await first.rollback!.restore({ checkUnchanged: true });
    expect(done.method).toBe('value');
    expect(await inner.get({ name: 'SHARED', scope: 'global' })).toBe('old');

    const second = await svc.rotate({ ...SHARED, value: { kind: 'given', value: 'new-2' } });
    await inner.set({ name: 'SHARED', scope: 'global' }, 'someone else');
    await expect(second.rollback!.restore({ checkUnchanged: true })).rejects.toBeInstanceOf(RollbackConflictError);
    expect(await inner.get({ name: 'SHARED', scope: 'global' })).toBe('someone else');
  });

  it('a secret that had no value is deleted by its roll back', async () => {
    const { factories, stores } = storesFor((n) => memory(n));
    const { svc } = await memoryService(dir(), { factories, confirm: yes });
    const r = await svc.rotate({ ...SHARED, value: { kind: 'given', value: 'first' } });
    expect(r.ok).toBe(true);
    expect(r.rollback?.method).toBe('delete');
    await r.rollback!.restore({ checkUnchanged: true });
    expect(await stores.get('kc')!.exists({ name: 'SHARED', scope: 'global' })).toBe(false);
  });

  it('a store that reads versions back keeps the version id, not the value, and restores it', async () => {
    const { factories, stores } = storesFor((n) => new VersionedStore(n));
    const { svc } = await memoryService(dir(), { factories, confirm: yes });
    await svc.set({ ...SHARED, value: 'v1' });
    const kc = stores.get('kc') as VersionedStore;
    const r = await svc.rotate({ ...SHARED, value: { kind: 'given', value: 'v2' } });
    expect(r.ok).toBe(true);
    expect(r.rollback?.method).toBe('version');
    expect(r.rollback?.previousVersion).toBe('1');
    await r.rollback!.restore({ checkUnchanged: true });
    expect(kc.entries.get(kc.locate({ name: 'SHARED', scope: 'global' }))).toEqual(['v1', 'v2', 'v1']);
  });

  it('a shared secret needs confirmation; without one nothing is written', async () => {
    const { factories, stores } = storesFor((n) => memory(n));
    const { svc } = await memoryService(dir(), { factories });
    await expect(svc.rotate({ ...SHARED, value: { kind: 'given', value: 'x' } })).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/rotate SHARED \(global\) changes the value for 2 stacks and 4 components/),
    });
    expect(await stores.get('kc')?.exists({ name: 'SHARED', scope: 'global' })).toBe(false);
  });

  it('a backend that fails the read-back is one failure for its store; every consumer is marked', async () => {
    const inner = memory('kc');
    const { factories } = storesFor((n) => (n === 'kc' ? inner : memory(n)));
    const { svc } = await memoryService(dir(), { factories, confirm: yes });
    await svc.set({ ...SHARED, value: 'old' });
    // The read-back (the store's batched read) fails; the reads and the write before it succeed.
    Object.defineProperty(inner, 'getMany', {
      value: async () => {
        throw new AppError('BACKEND', 'the store is down');
      },
    });
    const r = await svc.rotate({ ...SHARED, value: { kind: 'given', value: 'n' }, rollbackOnFailure: true });
    expect(r.failures).toEqual([{ provider: 'store:kc', code: 'BACKEND', message: 'the store is down' }]);
    expect(r.checks.every((c) => c.status === 'error')).toBe(true);
    expect(r.rolledBack?.method).toBe('value');
    expect(await inner.get({ name: 'SHARED', scope: 'global' })).toBe('old');
  });

  it('a read-back cancelled after the write keeps the write and says verification was skipped', async () => {
    const controller = new AbortController();
    const inner = memory('kc');
    const aborting: SecretStore = Object.assign(Object.create(inner) as MemorySecretStore, {
      set: async (p: SecretPath, v: string) => {
        await inner.set(p, v);
        controller.abort();
      },
    });
    const { factories } = storesFor((n) => (n === 'kc' ? aborting : memory(n)));
    const { svc } = await memoryService(dir(), { factories, confirm: yes });
    const r = await svc.rotate({ ...SHARED, value: { kind: 'given', value: 'kept' }, signal: controller.signal });
    expect(r.verifyCancelled).toBe(true);
    expect(r.checks.every((c) => c.status === 'skipped')).toBe(true);
    expect(await inner.get({ name: 'SHARED', scope: 'global' })).toBe('kept');
    expect(r.rollback?.method).toBe('delete');
  });

  it('a consumer whose own resolution reaches another store is marked elsewhere; the rest are ok', async () => {
    const { factories } = storesFor((n) => memory(n));
    const { svc } = await memoryService(dir(), { factories, confirm: yes });
    await svc.rotate({ ...SHARED, value: { kind: 'given', value: 'n' } });
    const written = svc.component('deploy/dev', 'api').secrets.find((s) => s.name === 'SHARED')!.coordinate;
    const consumers = [
      { stack: 'deploy/dev', component: 'api', secret: 'SHARED', scope: 'global' as const },
      { stack: 'deploy/dev', component: 'odd', secret: 'SHARED', scope: 'global' as const },
      { stack: 'deploy/dev', component: 'api', secret: 'NOPE', scope: 'global' as const },
    ];
    // The service's operation context, reached the way the service itself passes it.
    const ctx = (svc as unknown as { ctx: Parameters<typeof verifyConsumers>[0] }).ctx;
    const v = await verifyConsumers(ctx, consumers, written, 'n');
    expect(v.checks.map((c) => c.status)).toEqual(['ok', 'elsewhere', 'elsewhere']);
    expect(v.checks[1]?.detail).toBe(
      'reads store "other" (keychain) at o/SHARED, not store "kc" (keychain) at r/SHARED',
    );
    expect(v.checks[2]?.detail).toBe('no longer declares NOPE');
    expect(v.ok).toBe(false);
  });
});

describe('rotation age', () => {
  function report(provider: string, createdAt: string | undefined): HistoryReport {
    return {
      target: {
        stack: 's',
        component: 'c',
        secret: 'X',
        scope: 'global',
        provider,
        where: 'w',
        required: false,
        description: undefined,
        identity: undefined,
      },
      supported: true,
      canRestore: false,
      versions: createdAt
        ? [
            { version: '2', createdAt, current: true, stages: undefined, state: undefined },
            {
              version: '1',
              createdAt: '2000-01-01T00:00:00.000Z',
              current: false,
              stages: undefined,
              state: undefined,
            },
          ]
        : [],
      note: undefined,
    };
  }
  const now = new Date('2026-06-30T00:00:00.000Z');

  it('flags a current version older than the maximum age, from version metadata or the SOPS file', () => {
    expect(ageOf(report('store:kc', '2026-01-01T00:00:00.000Z'), now, 90)).toEqual({
      lastChanged: '2026-01-01T00:00:00.000Z',
      source: 'versions',
      ageDays: 180,
      maxAgeDays: 90,
      overdue: true,
    });
    expect(ageOf(report('sops:p', '2026-06-01T00:00:00.000Z'), now, 90)).toMatchObject({
      source: 'sops-lastmodified',
      ageDays: 29,
      overdue: false,
    });
  });

  it("follows audit's age rule (health/age.ts): exactly the maximum is not overdue, a day more is", () => {
    const at = (days: number): string => new Date(now.getTime() - days * 24 * 60 * 60 * 1000).toISOString();
    for (const days of [89, 90, 91]) {
      const age = ageOf(report('store:kc', at(days)), now, 90);
      expect({ days: age.ageDays, overdue: age.overdue }).toEqual(ageAgainst(new Date(at(days)), now, 90));
    }
    expect(ageOf(report('store:kc', at(90)), now, 90).overdue).toBe(false);
    expect(ageOf(report('store:kc', at(91)), now, 90).overdue).toBe(true);
  });

  it('says unknown (never overdue) where the backend keeps no dates, and refuses a bad maximum', () => {
    expect(ageOf(report('store:kc', undefined), now, 90)).toEqual({
      lastChanged: undefined,
      source: 'unknown',
      ageDays: undefined,
      maxAgeDays: 90,
      overdue: false,
    });
    expect(() => ageOf(report('store:kc', undefined), now, 0)).toThrow(/at least 1/);
  });

  it('the service reads the SOPS-less keychain history as unknown', async () => {
    const { svc } = await memoryService(dir(), { confirm: yes });
    const h = await svc.rotationHistory(SHARED, 30);
    expect(h.age).toMatchObject({ source: 'unknown', maxAgeDays: 30, overdue: false });
    expect(h.history.supported).toBe(false);
  });
});
