// The backend seam of the operations layer: one `SecretBackend` per coordinate kind, so set/get/list/... do not
// care which track a secret is on. The store-backed one sits over the store registry; the SOPS one
// (sops-provider/) is plugged in by whoever builds the service (compose.ts, always).
import { AppError } from '../../../shared/errors';
import {
  SecretNotFoundError,
  UnmappablePathError,
  type SecretStatus,
  type SecretStore,
  type StoreRegistry,
} from '../../stores';
import { type SecretCoordinate, type SopsCoordinate, type StoreCoordinate } from '../model/coordinates';

export interface SecretBackend<C extends SecretCoordinate = SecretCoordinate> {
  /** Status checks cost nothing (no network, no credentials), so `list` shows them without --verify. */
  isLocal(c: C): boolean;
  /** The largest value in UTF-8 bytes, when the backend has a limit; checked before any call. */
  maxValueBytes(c: C): number | undefined;
  /** The value; SecretNotFoundError (SECRET_NOT_FOUND) when there is none. */
  get(c: C): Promise<string>;
  /**
   * The value with its structure when it has one (a map or list in a SOPS file, which `get` gives as JSON
   * text): so `get --format json` can print it as JSON. Absent: the value is text only.
   */
  getValue?(c: C): Promise<StoredValue>;
  set(c: C, value: string): Promise<void>;
  /** True when something was deleted. */
  delete(c: C): Promise<boolean>;
  status(c: C): Promise<SecretStatus>;
  /**
   * The statuses of many coordinates of ONE provider (`c.provider` equal), in order, in as few backend calls as
   * the backend allows (a keychain store: one listing of its service). Absent: callers check one at a time.
   */
  statusMany?(cs: readonly C[]): Promise<StatusResult[]>;
  /**
   * For a caller that asks statuses a few at a time over one operation (`list`, stack by stack): batches that
   * together cost what one `statusMany` of everything would (a keychain's service is listed once, a SOPS file
   * read once), and a store that failed is not asked again (its error answers the rest). Absent: each batch
   * is a `statusMany` of its own.
   */
  statusSession?(): StatusBatcher<C>;
}

/** Statuses of one provider's coordinates, in order (see SecretBackend.statusMany). */
export interface StatusBatcher<C extends SecretCoordinate = SecretCoordinate> {
  statusMany(cs: readonly C[]): Promise<StatusResult[]>;
}

/** A value as read: its text, and for a structured value (a map or list) the value itself, JSON-shaped. */
export interface StoredValue {
  readonly text: string;
  readonly structured?: unknown;
}

/** One coordinate's status, or why it could not be had (a backend or configuration error, never a value). */
export type StatusResult =
  { readonly ok: true; readonly status: SecretStatus } | { readonly ok: false; readonly error: AppError };

/**
 * A cancellation is the operation's end, not a row's result: no status is known after it, so it propagates
 * instead of becoming the error of every row left.
 */
export function isCancellation(e: unknown): e is AppError {
  return e instanceof AppError && e.code === 'CANCELLED';
}

/**
 * Statuses one coordinate at a time, each failure kept with its coordinate. Only AppErrors are results: any
 * other exception is a bug and propagates, and so does a cancellation.
 */
export async function statusOneByOne<C extends SecretCoordinate>(
  cs: readonly C[],
  status: (c: C) => Promise<SecretStatus>,
): Promise<StatusResult[]> {
  const out: StatusResult[] = [];
  for (const c of cs) {
    try {
      out.push({ ok: true, status: await status(c) });
    } catch (e) {
      if (!(e instanceof AppError) || isCancellation(e)) throw e;
      out.push({ ok: false, error: e });
    }
  }
  return out;
}

/** Picks the backend for a coordinate. */
export interface SecretBackends {
  readonly store: SecretBackend<StoreCoordinate>;
  readonly sops: SecretBackend<SopsCoordinate>;
}

/** Store-backed secrets: the registry's SecretStore for the coordinate's store, at its scope path. */
export class StoreSecretBackend implements SecretBackend<StoreCoordinate> {
  constructor(private readonly registry: StoreRegistry) {}

  isLocal(c: StoreCoordinate): boolean {
    try {
      return this.registry.secretStore(c.store).capabilities.local;
    } catch {
      // A store whose backend is unavailable is reported by the operation itself.
      return false;
    }
  }

  maxValueBytes(c: StoreCoordinate): number {
    return this.registry.secretStore(c.store).capabilities.maxValueBytes;
  }

  get(c: StoreCoordinate): Promise<string> {
    return this.registry.secretStore(c.store).get(c.path);
  }

  set(c: StoreCoordinate, value: string): Promise<void> {
    return this.registry.secretStore(c.store).set(c.path, value);
  }

  delete(c: StoreCoordinate): Promise<boolean> {
    return this.registry.secretStore(c.store).delete(c.path);
  }

  status(c: StoreCoordinate): Promise<SecretStatus> {
    return this.registry.secretStore(c.store).status(c.path);
  }

  /**
   * One `statusMany` call of the store when it has one (its failure is every row's, reported once per store);
   * else one `status` per coordinate. A cancellation is thrown, never made into row errors.
   */
  async statusMany(cs: readonly StoreCoordinate[]): Promise<StatusResult[]> {
    const store = this.storeOf(cs);
    if (store === undefined) return [];
    if (store instanceof AppError) return cs.map(() => ({ ok: false, error: store }));
    return storeStatuses(store, cs);
  }

  /**
   * Per store, for the whole session: the store's `presentNames` listed once (the keychain) and each
   * coordinate's native name looked up in it; else a `statusMany` per batch, until one fails: that failure
   * (an unreachable or refusing backend) then answers the store's later batches without another call.
   */
  statusSession(): StatusBatcher<StoreCoordinate> {
    const present = new Map<string, Promise<ReadonlySet<string> | AppError>>();
    const failed = new Map<string, AppError>();
    return {
      statusMany: async (cs) => {
        const store = this.storeOf(cs);
        if (store === undefined) return [];
        if (store instanceof AppError) return cs.map(() => ({ ok: false, error: store }));
        const failure = failed.get(store.name);
        if (failure) return cs.map(() => ({ ok: false, error: failure }));
        if (store.presentNames) {
          let names = present.get(store.name);
          if (!names) present.set(store.name, (names = listOnce(store.presentNames.bind(store))));
          const listed = await names;
          if (listed instanceof AppError) return cs.map(() => ({ ok: false, error: listed }));
          return cs.map((c) => ({ ok: true, status: listed.has(c.nativeName) ? 'initialized' : 'missing' }));
        }
        const results = await storeStatuses(store, cs);
        const first = results[0];
        // A batch that failed as a whole shares one error: the backend's, not a row's (a path the backend cannot
        // name is that batch's own problem).
        if (store.statusMany && first && !first.ok && !(first.error instanceof UnmappablePathError))
          failed.set(store.name, first.error);
        return results;
      },
    };
  }

  /** The one store of a batch; its registry error when it cannot be had; undefined for an empty batch. */
  private storeOf(cs: readonly StoreCoordinate[]): SecretStore | AppError | undefined {
    const first = cs[0];
    if (!first) return undefined;
    if (cs.some((c) => c.store !== first.store)) {
      throw new AppError('INTERNAL', 'statusMany takes the coordinates of one store');
    }
    try {
      return this.registry.secretStore(first.store);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return e;
    }
  }
}

/** One `statusMany` of the store when it has one (its failure is every row's), else one `status` each. */
async function storeStatuses(store: SecretStore, cs: readonly StoreCoordinate[]): Promise<StatusResult[]> {
  if (!store.statusMany) return statusOneByOne(cs, (c) => store.status(c.path));
  try {
    const statuses = await store.statusMany(cs.map((c) => c.path));
    return statuses.map((status) => ({ ok: true, status }));
  } catch (e) {
    if (!(e instanceof AppError) || isCancellation(e)) throw e;
    return cs.map(() => ({ ok: false, error: e }));
  }
}

/** The listing, or the AppError it failed with (kept as the answer); a cancellation or a bug propagates. */
async function listOnce(list: () => Promise<ReadonlySet<string>>): Promise<ReadonlySet<string> | AppError> {
  try {
    return await list();
  } catch (e) {
    if (!(e instanceof AppError) || isCancellation(e)) throw e;
    return e;
  }
}

export function createBackends(
  registry: StoreRegistry,
  sops: SecretBackend<SopsCoordinate>,
  remember?: (value: string) => void,
): SecretBackends {
  const store = new StoreSecretBackend(registry);
  if (!remember) return { store, sops };
  return { store: rememberingBackend(store, remember), sops: rememberingBackend(sops, remember) };
}

/**
 * Tells `remember` (the process redactor) every value that goes through a backend, read or written, so a log
 * line or error that quotes one is masked.
 */
export function rememberingBackend<C extends SecretCoordinate>(
  inner: SecretBackend<C>,
  remember: (value: string) => void,
): SecretBackend<C> {
  const getValue = inner.getValue?.bind(inner);
  return {
    isLocal: (c) => inner.isLocal(c),
    maxValueBytes: (c) => inner.maxValueBytes(c),
    get: async (c) => {
      const v = await inner.get(c);
      remember(v);
      return v;
    },
    ...(getValue
      ? {
          getValue: async (c: C) => {
            const v = await getValue(c);
            remember(v.text);
            return v;
          },
        }
      : {}),
    set: (c, value) => {
      remember(value);
      return inner.set(c, value);
    },
    delete: (c) => inner.delete(c),
    status: (c) => inner.status(c),
    // A status never carries a value: nothing to remember.
    ...(inner.statusMany ? { statusMany: inner.statusMany.bind(inner) } : {}),
    ...(inner.statusSession ? { statusSession: inner.statusSession.bind(inner) } : {}),
  };
}

/** Runs `fn` with the backend of the coordinate's kind (keeps the per-kind types exact). */
export function withBackend<T>(
  backends: SecretBackends,
  c: SecretCoordinate,
  fn: <C extends SecretCoordinate>(b: SecretBackend<C>, c: C) => T,
): T {
  switch (c.kind) {
    case 'store':
      return fn(backends.store, c);
    case 'sops':
      return fn(backends.sops, c);
    default: {
      const never: never = c;
      throw new AppError('INTERNAL', `unexpected coordinate ${String(never)}`);
    }
  }
}

/** The value, or undefined when the backend holds none. */
export async function readOptional(backends: SecretBackends, c: SecretCoordinate): Promise<string | undefined> {
  try {
    return await withBackend(backends, c, (b, x) => b.get(x));
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

function isNotFound(e: unknown): boolean {
  return e instanceof SecretNotFoundError || (e instanceof AppError && e.code === 'SECRET_NOT_FOUND');
}

/** The value with its structure when the backend knows it (getValue), or undefined when it holds none. */
export async function readOptionalValue(
  backends: SecretBackends,
  c: SecretCoordinate,
): Promise<StoredValue | undefined> {
  try {
    return await withBackend(backends, c, async (b, x): Promise<StoredValue> =>
      b.getValue ? b.getValue(x) : { text: await b.get(x) },
    );
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
