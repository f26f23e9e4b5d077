// The state and rules of one KV v2 secrets engine mount, as vault-plugin-secrets-kv implements them
// (backends-wire.md §3): versioned data, soft delete / undelete / destroy, metadata, `max_versions` retention
// (0 means 10), check-and-set, and the storage entry size limit of integrated storage (raft `max_entry_size`,
// 1 MiB by default). No HTTP here: index.ts routes requests to these methods.

export const DEFAULT_MAX_VERSIONS = 10;
/** Integrated storage's default `max_entry_size`. */
export const RAFT_MAX_ENTRY_BYTES = 1024 * 1024;
/** What a stored version adds around its data (protobuf framing, timestamps, barrier encryption), roughly. */
const ENTRY_OVERHEAD_BYTES = 64;

export interface VersionRecord {
  readonly createdTime: string;
  deletionTime: string;
  destroyed: boolean;
  data: Record<string, unknown> | null;
}

export interface SecretRecord {
  readonly versions: Map<number, VersionRecord>;
  currentVersion: number;
  oldestVersion: number;
  readonly createdTime: string;
  updatedTime: string;
  maxVersions: number;
  casRequired: boolean;
  customMetadata: Record<string, string> | null;
}

export interface MountConfig {
  maxVersions: number;
  casRequired: boolean;
}

/** A KV failure with Vault's status and `errors` array. */
/** A secret with metadata and no versions yet: what the first write (of data or metadata) starts from. */
function emptySecret(now: string): SecretRecord {
  return {
    versions: new Map(),
    currentVersion: 0,
    oldestVersion: 0,
    createdTime: now,
    updatedTime: now,
    maxVersions: 0,
    casRequired: false,
    customMetadata: null,
  };
}

export class KvError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly string[],
  ) {
    super(errors[0] ?? `status ${status}`);
  }
}

/** Deleted "now or earlier": a deletion_time in the future (delete_version_after) is not yet deleted. */
export function isDeleted(v: VersionRecord, now: Date): boolean {
  return v.deletionTime !== '' && new Date(v.deletionTime).getTime() <= now.getTime();
}

/** Go's encoding/json escapes <, > and & (and U+2028/9) as \u003c...: the stored form is that big. */
export function goJsonBytes(value: unknown): number {
  const text = JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return Buffer.byteLength(text, 'utf8');
}

export class KvMount {
  readonly secrets = new Map<string, SecretRecord>();
  readonly config: MountConfig;

  constructor(
    readonly path: string,
    options: { maxVersions?: number; casRequired?: boolean } = {},
    private readonly maxEntryBytes = RAFT_MAX_ENTRY_BYTES,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.config = { maxVersions: options.maxVersions ?? 0, casRequired: options.casRequired ?? false };
  }

  private now(): string {
    return this.clock().toISOString();
  }

  private effectiveMaxVersions(s: SecretRecord | undefined): number {
    if (s && s.maxVersions > 0) return s.maxVersions;
    return this.config.maxVersions > 0 ? this.config.maxVersions : DEFAULT_MAX_VERSIONS;
  }

  metadata(path: string): SecretRecord | undefined {
    return this.secrets.get(path);
  }

  /** GET data: the version (current when 0), or why not. */
  read(path: string, version: number): { status: 200 | 404; record: VersionRecord; number: number } | undefined {
    const s = this.secrets.get(path);
    if (!s) return undefined;
    const number = version === 0 ? s.currentVersion : version;
    const record = s.versions.get(number);
    if (!record) return undefined;
    const gone = record.destroyed || isDeleted(record, this.clock());
    return { status: gone ? 404 : 200, record, number };
  }

  write(
    path: string,
    data: Record<string, unknown>,
    cas: number | undefined,
  ): { version: number; record: VersionRecord } {
    const existing = this.secrets.get(path);
    const casRequired = this.config.casRequired || (existing?.casRequired ?? false);
    if (casRequired && cas === undefined) throw new KvError(400, ['check-and-set parameter required for this call']);
    if (cas !== undefined && cas !== (existing?.currentVersion ?? 0)) {
      throw new KvError(400, ['check-and-set parameter did not match the current version']);
    }
    const size = goJsonBytes(data) + ENTRY_OVERHEAD_BYTES;
    const number = (existing?.currentVersion ?? 0) + 1;
    if (size > this.maxEntryBytes) {
      throw new KvError(500, [
        `1 error occurred:\n\t* failed to write versioned data: put failed due to value being too large, max value size for key versions/${path}/${number} is ${this.maxEntryBytes}, got ${size}\n\n`,
      ]);
    }
    const now = this.now();
    const s = existing ?? emptySecret(now);
    const record: VersionRecord = { createdTime: now, deletionTime: '', destroyed: false, data };
    s.versions.set(number, record);
    s.currentVersion = number;
    s.updatedTime = now;
    if (s.oldestVersion === 0) s.oldestVersion = number;
    // Retention: only the newest max_versions versions are kept.
    const keep = this.effectiveMaxVersions(s);
    for (const v of [...s.versions.keys()]) if (v <= number - keep) s.versions.delete(v);
    s.oldestVersion = Math.min(...s.versions.keys());
    this.secrets.set(path, s);
    return { version: number, record };
  }

  /** DELETE data: soft-deletes the current version (a no-op when there is none). */
  deleteLatest(path: string): void {
    const s = this.secrets.get(path);
    const latest = s?.versions.get(s.currentVersion);
    if (latest && latest.deletionTime === '' && !latest.destroyed) latest.deletionTime = this.now();
  }

  deleteVersions(path: string, versions: readonly number[]): void {
    const s = this.secrets.get(path);
    for (const n of versions) {
      const v = s?.versions.get(n);
      if (v && !v.destroyed && v.deletionTime === '') v.deletionTime = this.now();
    }
  }

  undelete(path: string, versions: readonly number[]): void {
    const s = this.secrets.get(path);
    for (const n of versions) {
      const v = s?.versions.get(n);
      if (v && !v.destroyed) v.deletionTime = '';
    }
  }

  destroy(path: string, versions: readonly number[]): void {
    const s = this.secrets.get(path);
    for (const n of versions) {
      const v = s?.versions.get(n);
      if (v) {
        v.destroyed = true;
        v.data = null;
      }
    }
  }

  deleteMetadata(path: string): void {
    this.secrets.delete(path);
  }

  writeMetadata(
    path: string,
    update: { maxVersions?: number; casRequired?: boolean; customMetadata?: Record<string, string> },
  ): void {
    const now = this.now();
    const s = this.secrets.get(path) ?? emptySecret(now);
    if (update.maxVersions !== undefined) s.maxVersions = update.maxVersions;
    if (update.casRequired !== undefined) s.casRequired = update.casRequired;
    if (update.customMetadata !== undefined) s.customMetadata = update.customMetadata;
    s.updatedTime = now;
    this.secrets.set(path, s);
  }

  /** LIST metadata/<dir>/: the names one level below `dir`, folders ending in `/`; undefined when none. */
  list(dir: string): string[] | undefined {
    const prefix = dir === '' ? '' : `${dir.replace(/\/+$/, '')}/`;
    const keys = new Set<string>();
    for (const path of this.secrets.keys()) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      keys.add(slash < 0 ? rest : rest.slice(0, slash + 1));
    }
    return keys.size === 0 ? undefined : [...keys].sort();
  }

  /** The `data.metadata` block of a data read or write. */
  versionMetadata(s: SecretRecord, number: number, v: VersionRecord): Record<string, unknown> {
    return {
      created_time: v.createdTime,
      custom_metadata: s.customMetadata,
      deletion_time: v.deletionTime,
      destroyed: v.destroyed,
      version: number,
    };
  }

  /** The `data` of a metadata read. */
  metadataBody(s: SecretRecord): Record<string, unknown> {
    const versions: Record<string, unknown> = {};
    for (const [n, v] of s.versions) {
      versions[String(n)] = { created_time: v.createdTime, deletion_time: v.deletionTime, destroyed: v.destroyed };
    }
    return {
      cas_required: s.casRequired,
      created_time: s.createdTime,
      current_version: s.currentVersion,
      custom_metadata: s.customMetadata,
      delete_version_after: '0s',
      max_versions: s.maxVersions,
      oldest_version: s.oldestVersion,
      updated_time: s.updatedTime,
      versions,
    };
  }
}
