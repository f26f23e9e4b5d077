// An in-memory SecretStore for unit tests: real path mapping (keychain rules by default), size limits, optional
// batching and versions, a per-operation call counter, and injectable failures. Never holds real secrets.
import { keychainAccount } from '../naming/keychain';
import type { SecretPath } from '../paths';
import {
  ALL_SCOPES,
  utf8Bytes,
  type GetManyResult,
  type ListManagedOptions,
  type ManagedEntry,
  type PathMapper,
  type SecretStatus,
  type SecretStore,
  type SecretVersion,
  type StoreCapabilities,
} from '../secret-store';
import { SecretNotFoundError, ValueTooLargeError } from '../store-errors';
import type { StoreKind } from '../store-kinds';
import { pageSizeWithin, segmentsUnder } from '../managed-prefix';

export type MemoryOperation =
  'get' | 'set' | 'delete' | 'exists' | 'getMany' | 'statusMany' | 'presentNames' | 'versions' | 'listManaged';

export interface MemoryStoreSettings {
  readonly name?: string;
  readonly kind?: StoreKind;
  readonly capabilities?: Partial<StoreCapabilities>;
  /** Maps paths to names; keychain naming (prefix `atmos`) by default. */
  readonly mapper?: PathMapper;
  readonly now?: () => Date;
  /** Offer `statusMany` (default true); false stands for a backend that checks one path at a time. */
  readonly statusMany?: boolean;
  /** Offer `presentNames` (default false): true stands for a backend whose listing is its status check. */
  readonly presentNames?: boolean;
  /** Offer `getMany` (default true); false stands for a backend without batch reads. */
  readonly getMany?: boolean;
  /** Offer `listManaged` (default true); false stands for a backend that cannot list. */
  readonly listManaged?: boolean;
  /** The managed root names are listed under (default `atmos/`, the default mapper's). */
  readonly listRoot?: string;
}

/** The largest page the memory store lists at once (pages are counted as calls, like a real backend's). */
export const MEMORY_LIST_PAGE = 50;

interface Entry {
  readonly value: string;
  readonly version: number;
  readonly createdAt: Date;
}

export const MEMORY_DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

export class MemorySecretStore implements SecretStore {
  readonly name: string;
  readonly kind: StoreKind;
  readonly capabilities: StoreCapabilities;
  /** Backend operations that ran (a path the mapper refused never counts). */
  readonly calls: Record<MemoryOperation, number> = {
    get: 0,
    set: 0,
    delete: 0,
    exists: 0,
    getMany: 0,
    statusMany: 0,
    presentNames: 0,
    versions: 0,
    listManaged: 0,
  };
  private readonly history = new Map<string, Entry[]>();
  private readonly failures: unknown[] = [];
  private readonly mapper: PathMapper;
  private readonly now: () => Date;
  /** Present only when settings.statusMany is not false (see SecretStore.statusMany). */
  readonly statusMany?: (paths: readonly SecretPath[]) => Promise<SecretStatus[]>;
  /** Present only when settings.presentNames is true (see SecretStore.presentNames). */
  readonly presentNames?: () => Promise<ReadonlySet<string>>;
  /** Present only when settings.getMany is not false (see SecretStore.getMany). */
  readonly getMany?: (paths: readonly SecretPath[]) => Promise<GetManyResult[]>;
  /** Present only when capabilities.versions (see SecretStore.versions). */
  readonly versions?: (path: SecretPath) => Promise<SecretVersion[]>;
  /** Present only when settings.listManaged is not false (see SecretStore.listManaged). */
  readonly listManaged?: (options?: ListManagedOptions) => AsyncIterable<ManagedEntry>;
  private readonly listRoot: string;

  constructor(settings: MemoryStoreSettings = {}) {
    this.name = settings.name ?? 'memory';
    this.kind = settings.kind ?? 'keychain';
    this.capabilities = {
      versions: true,
      batchSize: 10,
      maxValueBytes: MEMORY_DEFAULT_MAX_VALUE_BYTES,
      scopes: ALL_SCOPES,
      local: true,
      lossyNames: false,
      ...settings.capabilities,
    };
    const ctx = { store: this.name };
    this.mapper = settings.mapper ?? { locate: (p: SecretPath) => keychainAccount(p, {}, ctx) };
    this.now = settings.now ?? (() => new Date(0));
    if (settings.statusMany !== false) this.statusMany = (paths) => this.statusOfAll(paths);
    if (settings.presentNames === true) this.presentNames = () => this.listNames();
    if (settings.getMany !== false) this.getMany = (paths) => this.readAll(paths);
    if (this.capabilities.versions) this.versions = (path) => this.listVersions(path);
    this.listRoot = settings.listRoot ?? 'atmos/';
    if (settings.listManaged !== false) this.listManaged = (options) => this.listUnderRoot(options);
  }

  /** All backend operations so far. */
  totalCalls(): number {
    return Object.values(this.calls).reduce((a, b) => a + b, 0);
  }

  /** The next backend operation throws this (queue several for several operations). */
  failNext(error: unknown): void {
    this.failures.push(error);
  }

  /** The stored names, sorted; for assertions. */
  names(): string[] {
    return [...this.history.keys()].sort();
  }

  locate(path: SecretPath): string {
    return this.mapper.locate(path);
  }

  private call(op: MemoryOperation): void {
    this.calls[op] += 1;
    if (this.failures.length > 0) throw this.failures.shift();
  }

  private current(name: string): Entry | undefined {
    return this.history.get(name)?.at(-1);
  }

  async get(path: SecretPath): Promise<string> {
    const name = this.locate(path);
    this.call('get');
    const entry = this.current(name);
    if (!entry) throw new SecretNotFoundError({ secret: path.name, store: this.name }, name);
    return entry.value;
  }

  async set(path: SecretPath, value: string): Promise<void> {
    const name = this.locate(path);
    if (utf8Bytes(value) > this.capabilities.maxValueBytes) {
      throw new ValueTooLargeError(
        { secret: path.name, store: this.name },
        this.capabilities.maxValueBytes,
        'the memory store',
      );
    }
    this.call('set');
    const versions = this.history.get(name) ?? [];
    versions.push({ value, version: (versions.at(-1)?.version ?? 0) + 1, createdAt: this.now() });
    this.history.set(name, versions);
  }

  async delete(path: SecretPath): Promise<boolean> {
    const name = this.locate(path);
    this.call('delete');
    return this.history.delete(name);
  }

  async status(path: SecretPath): Promise<SecretStatus> {
    return (await this.exists(path)) ? 'initialized' : 'missing';
  }

  async exists(path: SecretPath): Promise<boolean> {
    const name = this.locate(path);
    this.call('exists');
    return this.history.has(name);
  }

  private async readAll(paths: readonly SecretPath[]): Promise<GetManyResult[]> {
    // Map every path first: one unmappable name refuses the batch before any call.
    const names = paths.map((p) => this.locate(p));
    const size = Math.max(1, this.capabilities.batchSize);
    for (let i = 0; i < names.length; i += size) this.call('getMany');
    return paths.map((path, i): GetManyResult => {
      const entry = this.current(names[i] ?? '');
      return entry ? { path, found: true, value: entry.value } : { path, found: false };
    });
  }

  /** Every stored name, in one counted call. */
  private async listNames(): Promise<ReadonlySet<string>> {
    this.call('presentNames');
    return new Set(this.history.keys());
  }

  /** One listing for the whole batch, as the keychain store does. */
  private async statusOfAll(paths: readonly SecretPath[]): Promise<SecretStatus[]> {
    const names = paths.map((p) => this.locate(p));
    this.call('statusMany');
    return names.map((name) => (this.history.has(name) ? 'initialized' : 'missing'));
  }

  /** The names under the root, a page (one counted call) at a time; last change = the newest version's time. */
  private async *listUnderRoot(options: ListManagedOptions = {}): AsyncIterable<ManagedEntry> {
    const size = pageSizeWithin(options.pageSize, MEMORY_LIST_PAGE);
    const names = this.names().filter((n) => segmentsUnder(n, this.listRoot) !== undefined);
    for (let i = 0; i === 0 || i < names.length; i += size) {
      this.call('listManaged');
      for (const name of names.slice(i, i + size)) {
        yield { name, segments: segmentsUnder(name, this.listRoot), lastChanged: this.current(name)?.createdAt };
      }
    }
  }

  private async listVersions(path: SecretPath): Promise<SecretVersion[]> {
    const name = this.locate(path);
    this.call('versions');
    const entries = this.history.get(name);
    if (!entries) throw new SecretNotFoundError({ secret: path.name, store: this.name }, name);
    const latest = entries.at(-1)?.version;
    return [...entries]
      .reverse()
      .map((e) => ({ version: String(e.version), createdAt: e.createdAt, current: e.version === latest }));
  }
}
