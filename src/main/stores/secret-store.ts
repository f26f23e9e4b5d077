// The one interface every secret backend implements (SSM, Secrets Manager, Vault, Key Vault, Secret Manager,
// 1Password, the OS keychain) and the in-memory double. The secrets layer and the CLI talk only to this.
import { AppError } from '../../shared/errors';
import type { SecretPath, SecretScope } from './paths';
import type { StoreKind } from './store-kinds';

export type { SecretPath, SecretScope } from './paths';
export {
  SecretNotFoundError,
  StoreAuthError,
  StoreThrottledError,
  UnmappablePathError,
  ValueTooLargeError,
  isSecretNotFound,
  isThrottled,
} from './store-errors';

/** What a backend can do, so the UI and operations adapt without knowing which backend it is. */
export interface StoreCapabilities {
  /** `versions()` lists history. */
  readonly versions: boolean;
  /** Names one `getMany` call can carry (SSM 10, Secrets Manager 20); 1 when there is no batch read. */
  readonly batchSize: number;
  /** The largest value, in UTF-8 bytes, the store accepts; larger values fail with ValueTooLargeError. */
  readonly maxValueBytes: number;
  /** The scopes the store can hold (every scope on every backend in this app). */
  readonly scopes: readonly SecretScope[];
  /** Status checks are free (no network, no auth), so `list` may show them without --verify. */
  readonly local: boolean;
  /** Different paths can map to one name (Azure, GCP): validate must look for collisions. */
  readonly lossyNames: boolean;
}

export type SecretStatus = 'initialized' | 'missing';

export interface SecretVersion {
  readonly version: string;
  readonly createdAt: Date | undefined;
  /** Whether this version is the one `get` returns. */
  readonly current: boolean;
}

/** One result of a batched read: the value, or absence. Other failures reject the whole call. */
export type GetManyResult =
  | { readonly path: SecretPath; readonly found: true; readonly value: string }
  | { readonly path: SecretPath; readonly found: false };

/** Turns a scope path into the backend's legal name, or throws UnmappablePathError (CONFIG) before any call. */
export interface PathMapper {
  locate(path: SecretPath): string;
}

export interface SecretStore extends PathMapper {
  /** The store's name in atmos.yaml. */
  readonly name: string;
  readonly kind: StoreKind;
  readonly capabilities: StoreCapabilities;
  /** The value; SecretNotFoundError when there is none. */
  get(path: SecretPath): Promise<string>;
  /** Creates or overwrites. */
  set(path: SecretPath, value: string): Promise<void>;
  /** True when something was deleted; deleting a missing secret is not an error. */
  delete(path: SecretPath): Promise<boolean>;
  status(path: SecretPath): Promise<SecretStatus>;
  exists(path: SecretPath): Promise<boolean>;
  /** Batched reads, in the order given; present when the backend reads several names in one call. */
  getMany?(paths: readonly SecretPath[]): Promise<GetManyResult[]>;
  /**
   * The status of many paths, in the order given, with as few backend calls as the backend allows (the
   * keychain: one listing of its service however many paths). Present when the backend can do better than one
   * `status` per path; every path is mapped first, so an unmappable one refuses the batch before any call.
   */
  statusMany?(paths: readonly SecretPath[]): Promise<SecretStatus[]>;
  /**
   * Every name the store holds (in the form `locate()` gives), in one listing, when that listing IS the store's
   * status check (the keychain: its service's accounts, never a value). A caller that asks statuses a stack at a
   * time (`list` streaming rows) takes it once and looks each name up, instead of one `statusMany` per stack.
   * Absent: ask `statusMany`.
   */
  presentNames?(): Promise<ReadonlySet<string>>;
  /** Version history, newest first; present when capabilities.versions. */
  versions?(path: SecretPath): Promise<SecretVersion[]>;
  /**
   * The value of one earlier version, `version` being a `SecretVersion.version` that `versions()` listed
   * (for restoring it as a new version); SecretNotFoundError when that version is gone or deleted. Present
   * when the backend can read a version by id.
   */
  getVersion?(path: SecretPath, version: string): Promise<string>;
  /**
   * Every entry under the store's managed prefix (the prefix as a whole segment: `atmos/` never yields
   * `atmosx/...`), page by page as the backend lists them, never a value. Present when the backend can list;
   * a listing the backend refuses fails with the store's AUTH error, one it cannot do with StoreCannotListError.
   */
  listManaged?(options?: ListManagedOptions): AsyncIterable<ManagedEntry>;
  /**
   * The name a listing entry has for a name `locate()` gave, when the listing is coarser than one value (a
   * 1Password listing gives items, a reference names a field of one): drift compares at the listing's grain.
   */
  listingName?(locatedName: string): string;
  /**
   * `delete` on a backend that only schedules the deletion (Secrets Manager's recovery window): the same delete,
   * answering with the window and the backend's own deletion date, so nobody computes it on a clock of their own.
   */
  deleteWithRecovery?(path: SecretPath): Promise<ScheduledDeletion>;
}

/** What `deleteWithRecovery` did: whether something was deleted, the window, and when it goes for good. */
export interface ScheduledDeletion {
  readonly deleted: boolean;
  /** 0: deleted at once, no recovery. */
  readonly recoveryWindowDays: number;
  /** The backend's DeletionDate; undefined when nothing was deleted or the backend did not say. */
  readonly deletionDate: Date | undefined;
}

/**
 * One entry a store holds under its managed prefix, as its listing gives it: never a value. For drift ("stored
 * but no longer declared"): `name` is in the form `locate()` returns, so a caller compares it with the names
 * of the declared paths without any other call.
 */
export interface ManagedEntry {
  /**
   * The backend's own name: the keychain account, the SSM parameter, the Secrets Manager / Key Vault / Secret
   * Manager secret name, the Vault path inside the mount, the 1Password reference.
   */
  readonly name: string;
  /**
   * The scope path below the store's prefix, as segments (stack segments, component segments, NAME), read back
   * from the name or from the tag or label the store writes; undefined when neither says it (the name was not
   * written by this app, or the backend's naming cannot be read back).
   */
  readonly segments: readonly string[] | undefined;
  /** The last change, when the listing carries it. */
  readonly lastChanged: Date | undefined;
}

export interface ListManagedOptions {
  /** Entries asked for per listing call (a backend's max results); each backend caps it at its own maximum. */
  readonly pageSize?: number | undefined;
}

/**
 * A store whose backend cannot list what it holds (or cannot here: 1Password outside a vault) says so with this
 * error from `listManaged`, so drift reports "cannot list" instead of silently nothing.
 */
export class StoreCannotListError extends AppError {
  readonly store: string;

  constructor(store: string, reason: string, options: { hint?: string } = {}) {
    super('BACKEND', `store "${store}" cannot be listed: ${reason}`, options);
    this.name = 'StoreCannotListError';
    this.store = store;
  }
}

export const ALL_SCOPES: readonly SecretScope[] = ['instance', 'stack', 'global'];

/** UTF-8 size of a value, for the limit checks every store does before calling its backend. */
export function utf8Bytes(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}
