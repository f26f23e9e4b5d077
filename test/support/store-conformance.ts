// The shared SecretStore conformance suite. Every backend (the memory double, the OS keychain, and each cloud
// backend through its emulator) registers it with runStoreConformance() so they all behave alike: get/set/
// delete/status, not-found, overwrite, unicode/multi-line/empty values, size limits, refused names, and the
// optional abilities (versions, batched reads, batched status). Each store DECLARES what it offers (`declared`),
// the suite checks its capability flags agree, and registers the tests for exactly that: an ability present is
// tested, an ability absent is asserted absent. No test branches on the store at run time.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { assertNever, type SecretPath, type SecretScope } from '../../src/main/stores/paths';
import {
  SecretNotFoundError,
  ValueTooLargeError,
  type ManagedEntry,
  type SecretStore,
} from '../../src/main/stores/secret-store';

/** What a store offers beyond get/set/delete/status, declared by its test file. */
export interface DeclaredAbilities {
  /** `capabilities.versions` and `versions()`: history, newest first. */
  readonly versions: boolean;
  /** `getMany()`: several values in one call. */
  readonly getMany: boolean;
  /** `statusMany()`: the status of many paths in one call. */
  readonly statusMany: boolean;
  /** `presentNames()`: every name held, in one listing that is the store's status check (default false). */
  readonly presentNames?: boolean;
  /** `capabilities.maxValueBytes`, exactly. */
  readonly maxValueBytes: number;
}

/**
 * How the suite checks `listManaged` on a store that has it. Absent: the store must have no `listManaged`.
 */
export interface ListingConformance {
  /** A store of the same kind over the same backend whose prefix is `prefix` (the suite makes two). */
  readonly storeWithPrefix: (prefix: string) => SecretStore | Promise<SecretStore>;
  /** A page size the backend accepts that is small enough to make the suite's listing take several pages. */
  readonly pageSize: number;
  /** The backend's listing calls so far (the emulator's counter): the suite checks the listing went page by page. */
  readonly listCalls?: () => number;
  /** Whether entries carry their last change (the backend's listing has it). */
  readonly lastChanged: boolean;
  /** Whether entries carry their segments below the prefix (false: the backend's names cannot be read back). */
  readonly segments?: boolean;
  /**
   * The two prefixes listed, the second the first plus a letter (default: fresh ones per run); for a store whose
   * "prefix" is a place that must exist first (a 1Password vault).
   */
  readonly prefixes?: readonly [string, string];
  /** Reference-based stores: the reference of a path written through `storeWithPrefix(prefix)`. */
  readonly referenceFor?: (prefix: string, path: SecretPath) => string;
}

export interface ConformanceOptions {
  readonly declared: DeclaredAbilities;
  /** The listing of what is under the store's prefix, when the store has one. */
  readonly listing?: ListingConformance;
  /** Paths this backend's mapper must refuse, on top of the malformed ones every store refuses. */
  readonly refusedPaths?: readonly SecretPath[];
  /** Backend calls made so far; when given, a refused path must make none. */
  readonly backendCalls?: () => number;
  /**
   * For reference-based stores (1Password): the `reference` to attach to each path the suite uses. Give each
   * (scope, stack, component, name) its own reference, e.g. `op://Vault/${stack}-${component}/${name}`.
   */
  readonly referenceFor?: (path: SecretPath) => string;
  /** Runs once after the suite (after the suite has deleted what it wrote). */
  readonly cleanup?: () => Promise<void> | void;
}

const KIB_64 = 64 * 1024;

/** Malformed coordinates: every store refuses them before any call. */
const MALFORMED: readonly SecretPath[] = [
  { name: '', scope: 'global' },
  { name: 'NO_STACK', scope: 'stack' },
  { name: 'NO_COMPONENT', scope: 'instance', stack: 'dev' },
];

function bigValue(bytes: number): string {
  // Varied ASCII so a truncation or reordering would show.
  const unit = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

/** The largest value the at-limit test writes; a store declaring more is tested at this size and one past it. */
const LIMIT_TESTED_UP_TO = 4 * 1024 * 1024;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected the operation to fail, and it succeeded');
}

export function runStoreConformance(
  name: string,
  makeStore: () => SecretStore | Promise<SecretStore>,
  options: ConformanceOptions,
): void {
  const declared = options.declared;
  describe(`SecretStore conformance: ${name}`, () => {
    // A fresh stack per run keeps shared backends (a real keychain, an emulator) from seeing old entries.
    const runId = randomBytes(4).toString('hex');
    const stack = `conf${runId}-dev`;
    const written = new Map<string, SecretPath>();
    let store: SecretStore;

    const withRef = (p: SecretPath): SecretPath =>
      options.referenceFor ? { ...p, reference: options.referenceFor(p) } : p;
    const at = (secret: string, scope: SecretScope = 'instance'): SecretPath => {
      switch (scope) {
        case 'instance':
          return withRef({ name: secret, scope, stack, component: 'app' });
        case 'stack':
          return withRef({ name: secret, scope, stack });
        case 'global':
          return withRef({ name: `${secret}_${runId}`, scope });
        default:
          return assertNever(scope);
      }
    };
    /** An optional method the store declared it has; a missing one fails the test that needs it. */
    const declaredMethod = <K extends 'getMany' | 'statusMany' | 'versions'>(key: K): NonNullable<SecretStore[K]> => {
      const method = store[key];
      if (typeof method !== 'function') throw new Error(`${name} declares ${key} but has no ${key}()`);
      return method.bind(store) as NonNullable<SecretStore[K]>;
    };
    const put = async (p: SecretPath, value: string): Promise<void> => {
      written.set(store.locate(p), p);
      await store.set(p, value);
    };

    beforeAll(async () => {
      store = await makeStore();
    });

    afterAll(async () => {
      for (const p of written.values()) {
        try {
          await store.delete(p);
        } catch {
          // best effort: a failed cleanup must not hide the test results
        }
      }
      await options.cleanup?.();
    });

    it('declares sane capabilities, matching what its test file declares', () => {
      expect(store.capabilities.maxValueBytes).toBe(declared.maxValueBytes);
      expect(store.capabilities.maxValueBytes).toBeGreaterThan(0);
      expect(store.capabilities.batchSize).toBeGreaterThanOrEqual(1);
      expect(store.capabilities.scopes.length).toBeGreaterThan(0);
      expect(store.capabilities.versions).toBe(declared.versions);
      expect(typeof store.versions === 'function').toBe(declared.versions);
      expect(typeof store.getMany === 'function').toBe(declared.getMany);
      expect(typeof store.statusMany === 'function').toBe(declared.statusMany);
      expect(typeof store.presentNames === 'function').toBe(declared.presentNames === true);
    });

    it('sets, gets, reports status and deletes', async () => {
      const p = at('ROUNDTRIP');
      await put(p, 's3cr3t-value');
      expect(await store.get(p)).toBe('s3cr3t-value');
      expect(await store.status(p)).toBe('initialized');
      expect(await store.exists(p)).toBe(true);
      expect(await store.delete(p)).toBe(true);
      expect(await store.status(p)).toBe('missing');
      expect(await store.exists(p)).toBe(false);
    });

    it('throws SecretNotFoundError for a missing secret, naming it and the store', async () => {
      const p = at('NEVER_SET');
      const e = await rejection(store.get(p));
      expect(e).toBeInstanceOf(SecretNotFoundError);
      expect((e as SecretNotFoundError).code).toBe('SECRET_NOT_FOUND');
      expect((e as SecretNotFoundError).message).toContain('"NEVER_SET"');
      expect((e as SecretNotFoundError).message).toContain(`"${store.name}"`);
      expect(await store.status(p)).toBe('missing');
    });

    it('reads not-found again after a delete', async () => {
      const p = at('DELETED');
      await put(p, 'gone soon');
      await store.delete(p);
      expect(await rejection(store.get(p))).toBeInstanceOf(SecretNotFoundError);
    });

    it('overwrites', async () => {
      const p = at('OVERWRITE');
      await put(p, 'first');
      await put(p, 'second');
      expect(await store.get(p)).toBe('second');
    });

    it.each([
      ['unicode', 'pässwörd ✓ 🔑 密码 Ωμέγα'],
      ['multi-line', 'line one\nline two\r\nline three\n\ttabbed\n'],
      ['JSON object text', '{"user":"app","password":"x"}'],
      ['JSON string text', '"quoted"'],
      ['number-like', '012345678901234567890'],
      ['boolean-like', 'true'],
      ['null-like', 'null'],
      ['surrounding spaces', '  padded  '],
      ['backslashes and quotes', 'C:\\path\\"to"\\file'],
    ])('round-trips a %s value exactly', async (label, value) => {
      const p = at(`VALUE_${label.replace(/[^A-Za-z]/g, '_').toUpperCase()}`);
      await put(p, value);
      expect(await store.get(p)).toBe(value);
    });

    it('round-trips an empty value', async () => {
      const p = at('EMPTY');
      await put(p, '');
      expect(await store.get(p)).toBe('');
      expect(await store.status(p)).toBe('initialized');
    });

    if (declared.maxValueBytes >= KIB_64) {
      it('stores a 64 KiB value', async () => {
        const p = at('BIG');
        const value = bigValue(KIB_64);
        await put(p, value);
        expect(await store.get(p)).toBe(value);
      });
    } else {
      it('refuses a 64 KiB value clearly, naming its smaller limit, without echoing it', async () => {
        const p = at('BIG');
        const value = bigValue(KIB_64);
        const e = await rejection(put(p, value));
        expect(e).toBeInstanceOf(ValueTooLargeError);
        expect((e as ValueTooLargeError).message).toContain(String(declared.maxValueBytes));
        expect((e as ValueTooLargeError).message).not.toContain(value.slice(0, 16));
        expect(await store.exists(p)).toBe(false);
      });
    }

    // A limit too large to write in a test (a cloud store's 64 KiB is fine, 4 MiB is the cap) is tested at the
    // cap: the value fits; the refusal past the real limit is the store's own unit test.
    const limitTested = Math.min(declared.maxValueBytes, LIMIT_TESTED_UP_TO);
    it(`accepts a value of ${limitTested} bytes (its declared limit, up to 4 MiB)`, async () => {
      const p = at('AT_LIMIT');
      const fits = bigValue(limitTested);
      await put(p, fits);
      expect(await store.get(p)).toBe(fits);
    });

    if (declared.maxValueBytes <= LIMIT_TESTED_UP_TO) {
      it('refuses one byte past its declared limit, without echoing it, keeping the old value', async () => {
        const p = at('PAST_LIMIT');
        const fits = bigValue(declared.maxValueBytes);
        await put(p, fits);
        const over = `${fits}Z`;
        const e = await rejection(store.set(p, over));
        expect(e).toBeInstanceOf(ValueTooLargeError);
        expect((e as AppError).message).not.toContain(over.slice(0, 16));
        expect(await store.get(p)).toBe(fits);
      });
    }

    it('deletes a missing secret without error', async () => {
      expect(await store.delete(at('NOT_THERE'))).toBe(false);
    });

    it('keeps the scopes apart: instance, stack and global each hold their own value', async () => {
      const scopes = store.capabilities.scopes;
      for (const scope of scopes) await put(at('SCOPED', scope), `value for ${scope}`);
      for (const scope of scopes) expect(await store.get(at('SCOPED', scope))).toBe(`value for ${scope}`);
      const names = new Set(scopes.map((s) => store.locate(at('SCOPED', s))));
      expect(names.size).toBe(scopes.length);
    });

    it('refuses malformed and unmappable paths with a CONFIG error before any backend call', async () => {
      const refused = [...MALFORMED, ...(options.refusedPaths ?? [])];
      const calls = options.backendCalls ?? (() => 0);
      const before = calls();
      for (const p of refused) {
        expect(() => store.locate(p)).toThrow(AppError);
        const attempts: Promise<unknown>[] = [
          store.get(p),
          store.set(p, 'v'),
          store.delete(p),
          store.status(p),
          store.exists(p),
        ];
        for (const attempt of attempts) {
          const e = await rejection(attempt);
          expect(e).toBeInstanceOf(AppError);
          expect((e as AppError).code).toBe('CONFIG');
        }
      }
      expect(calls()).toBe(before);
    });

    if (declared.getMany) {
      it('reads a batch in order with getMany', async () => {
        const a = at('BATCH_A');
        const b = at('BATCH_B');
        const missing = at('BATCH_MISSING');
        await put(a, 'a-value');
        await put(b, 'b-value');
        const results = await declaredMethod('getMany')([a, missing, b]);
        expect(results).toEqual([
          { path: a, found: true, value: 'a-value' },
          { path: missing, found: false },
          { path: b, found: true, value: 'b-value' },
        ]);
      });
    } else {
      it('has no getMany and declares no batch reads (batchSize 1)', () => {
        expect(store.getMany).toBeUndefined();
        expect(store.capabilities.batchSize).toBe(1);
      });
    }

    if (declared.statusMany) {
      it('reports many statuses in order with statusMany, in one backend call', async () => {
        const a = at('STATUS_A');
        const b = at('STATUS_B', 'stack');
        const missing = at('STATUS_MISSING');
        await put(a, 'a-value');
        await put(b, '');
        const calls = options.backendCalls ?? (() => 0);
        const before = calls();
        const statuses = await declaredMethod('statusMany')([a, missing, b, a]);
        expect(statuses).toEqual(['initialized', 'missing', 'initialized', 'initialized']);
        expect(calls() - before).toBe(options.backendCalls ? 1 : 0);
      });

      it('refuses a batch holding an unmappable path before any backend call', async () => {
        const calls = options.backendCalls ?? (() => 0);
        const before = calls();
        const statusMany = declaredMethod('statusMany');
        const e = await rejection(statusMany([at('STATUS_OK'), { name: '', scope: 'global' }]));
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).code).toBe('CONFIG');
        expect(calls()).toBe(before);
      });
    } else {
      it('has no statusMany (callers check one path at a time)', () => {
        expect(store.statusMany).toBeUndefined();
      });
    }

    if (declared.presentNames === true) {
      it('lists the names it holds with presentNames, in the form locate() gives, in one backend call', async () => {
        const a = at('PRESENT_A');
        const gone = at('PRESENT_GONE', 'stack');
        await put(a, 'a-value');
        await put(gone, 'g-value');
        await store.delete(gone);
        const calls = options.backendCalls ?? (() => 0);
        const before = calls();
        const present = store.presentNames ? await store.presentNames() : new Set<string>();
        expect(calls() - before).toBe(options.backendCalls ? 1 : 0);
        expect(present.has(store.locate(a))).toBe(true);
        expect(present.has(store.locate(gone))).toBe(false);
        expect(present.has(store.locate(at('PRESENT_NEVER')))).toBe(false);
      });
    }

    const listing = options.listing;
    if (listing) {
      describe('listManaged', () => {
        // Two prefixes where one is the other plus a letter: a listing that matched on text, not whole segments,
        // would show the second store's entries in the first's.
        const [prefixA, prefixB] = listing.prefixes ?? [`lst${runId}`, `lst${runId}x`];
        const ref = (prefix: string, p: SecretPath): SecretPath =>
          listing.referenceFor ? { ...p, reference: listing.referenceFor(prefix, p) } : withRef(p);
        /** The name a listing gives for a path: `locate`'s, at the listing's grain (a 1Password item). */
        const listedName = (s: SecretStore, p: SecretPath): string =>
          s.listingName ? s.listingName(s.locate(p)) : s.locate(p);
        const namesOf = (s: SecretStore, ps: readonly SecretPath[]): string[] =>
          [...new Set(ps.map((p) => listedName(s, p)))].sort();
        let a: SecretStore;
        let b: SecretStore;
        const writtenA: SecretPath[] = [];
        const writtenB: SecretPath[] = [];
        const listAll = async (s: SecretStore): Promise<ManagedEntry[]> => {
          if (typeof s.listManaged !== 'function')
            throw new Error(`${name} declares a listing but has no listManaged()`);
          const out: ManagedEntry[] = [];
          for await (const e of s.listManaged({ pageSize: listing.pageSize })) out.push(e);
          return out;
        };

        beforeAll(async () => {
          a = await listing.storeWithPrefix(prefixA);
          b = await listing.storeWithPrefix(prefixB);
          // More entries than two pages hold, in every scope.
          const count = listing.pageSize * 2 + 1;
          for (let i = 0; i < count; i++)
            writtenA.push(ref(prefixA, { name: `LISTED_${i}`, scope: 'instance', stack, component: `app${i}` }));
          writtenA.push(ref(prefixA, { name: 'LISTED_STACK', scope: 'stack', stack }));
          writtenA.push(ref(prefixA, { name: 'LISTED_GLOBAL', scope: 'global' }));
          writtenB.push(ref(prefixB, { name: 'OTHER_PREFIX', scope: 'instance', stack, component: 'app' }));
          for (const p of writtenA) await a.set(p, 'listed');
          for (const p of writtenB) await b.set(p, 'elsewhere');
        });

        afterAll(async () => {
          for (const [s, ps] of [
            [a, writtenA],
            [b, writtenB],
          ] as const) {
            for (const p of ps) {
              try {
                await s.delete(p);
              } catch {
                // best effort, as above
              }
            }
          }
        });

        it('lists every entry under its prefix, and nothing under another prefix', async () => {
          const entries = await listAll(a);
          expect(entries.map((e) => e.name).sort()).toEqual(namesOf(a, writtenA));
          const other = await listAll(b);
          expect(other.map((e) => e.name)).toEqual(namesOf(b, writtenB));
        });

        const listCalls = listing.listCalls;
        if (listCalls) {
          it('lists page by page (the backend is asked at least three times for 2 pages and more)', async () => {
            const before = listCalls();
            expect((await listAll(a)).length).toBe(namesOf(a, writtenA).length);
            expect(listCalls() - before).toBeGreaterThanOrEqual(3);
          });
        }

        if (listing.segments !== false) {
          it('gives each entry the segments below the prefix, ending with the NAME', async () => {
            const entries = await listAll(a);
            const byName = new Map(entries.map((e) => [e.name, e]));
            const global = byName.get(a.locate(writtenA.at(-1) as SecretPath));
            expect(global?.segments).toEqual(['LISTED_GLOBAL']);
            for (const p of writtenA) expect(byName.get(a.locate(p))?.segments?.at(-1)).toBe(p.name);
          });
        } else {
          it('gives no segments (its names cannot be read back as scope paths)', async () => {
            for (const e of await listAll(a)) expect(e.segments).toBeUndefined();
          });
        }

        it(`${listing.lastChanged ? 'carries' : 'carries no'} last change time`, async () => {
          const entries = await listAll(a);
          expect(entries.length).toBeGreaterThan(0);
          for (const e of entries) expect(e.lastChanged instanceof Date).toBe(listing.lastChanged);
        });
      });
    } else {
      it('has no listManaged (drift reports it as a store that cannot be listed)', () => {
        expect(store.listManaged).toBeUndefined();
      });
    }

    if (declared.versions) {
      it('lists versions newest first, exactly one current', async () => {
        const p = at('VERSIONED');
        await put(p, 'v1');
        await put(p, 'v2');
        await put(p, 'v3');
        const versions = await declaredMethod('versions')(p);
        expect(versions.length).toBeGreaterThanOrEqual(3);
        expect(versions[0]?.current).toBe(true);
        expect(versions.filter((v) => v.current)).toHaveLength(1);
        const created = versions.map((v) => v.createdAt?.getTime() ?? 0);
        expect(created).toEqual([...created].sort((x, y) => y - x));
        // Newest first: reading the newest version gives the last value written.
        expect(await store.get(p)).toBe('v3');
      });
    } else {
      it('keeps no versions, and says so (capabilities.versions false, no versions())', () => {
        expect(store.capabilities.versions).toBe(false);
        expect(store.versions).toBeUndefined();
      });
    }
  });
}
