// A SecretStore over HashiCorp Vault's KV version 2 engine (the `hashicorp/vault` kind), through node-vault.
// One Vault secret per declared secret, at `<mount>/data/<prefix>/<stack>/<component>/<NAME>` (naming/vault.ts),
// holding one field, `value`, as Atmos writes it.
//
// `delete` is KV v2's own delete: a soft delete of the latest version (`DELETE <mount>/data/<path>`, what
// `vault kv delete` does). The history stays, so an operator can `vault kv undelete` a mistake and the app can
// restore an earlier version as a new one; removing every version (`vault kv metadata delete`) is an
// administrator's act we do not take on a person's behalf. `status`, `exists` and `get` all read the data
// endpoint, so they agree with delete by construction: a soft-deleted latest version reads as missing.
//
// Vault has no batch read: getMany/statusMany run one read per path, at most `concurrency` at a time, after
// mapping every path first (an unmappable one refuses the batch before any call).
import { readFile } from 'node:fs/promises';
import { AppError, type SourceLocation } from '../../../shared/errors';
import type { Keychain } from '../../keychain/keychain';
import { VAULT_VALUE_FIELD, vaultLocation, type VaultLocation } from '../naming/vault';
import { mapBounded } from '../bounded';
import { managedRoot, segmentsUnder } from '../managed-prefix';
import type { NamingContext } from '../naming/common';
import type { SecretPath } from '../paths';
import { callSignal, operationSignal } from '../operation-signal';
import { backoffDelay, backoffWait, realSleep, type Sleep } from '../retry';
import {
  ALL_SCOPES,
  utf8Bytes,
  type GetManyResult,
  type ManagedEntry,
  type SecretStatus,
  type SecretStore,
  type SecretVersion,
  type StoreCapabilities,
} from '../secret-store';
import { SecretNotFoundError, ValueTooLargeError } from '../store-errors';
import { getManyByReads, statusManyByReads, type SingleReads } from '../read-batch';
import { cancelledError, isTransient, isVaultNotFound, toStoreError, type VaultCallContext } from './vault-errors';
import { VaultFailure, toVaultFailure, type VaultHttp, type VaultHttpSettings } from './vault-http';
import { goJsonBytes, parseDataRead, parseMetadata, VAULT_FIELD } from './vault-wire';
import { missingTokenHint, resolveVaultToken, type ResolvedVaultToken, type VaultTokenSource } from './vault-token';

/**
 * The largest value, in UTF-8 bytes. Vault stores each version as one storage entry: integrated storage (raft)
 * refuses entries over 1 MiB by default, Consul over 512 KiB. 512 KiB of value fits raft with room for escaping
 * and is eight times the cloud stores' 64 KiB.
 */
export const VAULT_MAX_VALUE_BYTES = 512 * 1024;
/** The stored form (Go's JSON of `{"value": ...}`, escapes included) must fit raft's default entry. */
export const VAULT_MAX_ENCODED_BYTES = 1024 * 1024 - 1024;
export const DEFAULT_VAULT_CONCURRENCY = 8;
/** LIST has no paging: a listing stops with an error past this many folders, or this deep (bounded input). */
export const VAULT_LIST_MAX_FOLDERS = 10_000;
export const VAULT_LIST_MAX_DEPTH = 32;
const DEFAULT_MAX_ATTEMPTS = 4;

/** A version as Vault's metadata has it: SecretVersion plus the soft-delete and destroy state. */
export interface VaultSecretVersion extends SecretVersion {
  /** When the version was soft-deleted (undefined: live, or a deletion scheduled for later). */
  readonly deletedAt: Date | undefined;
  readonly destroyed: boolean;
}

export interface VaultStoreSettings {
  readonly name: string;
  readonly location?: SourceLocation | undefined;
  /** Vault's address (already resolved: the url option, VAULT_ADDR, or the default). */
  readonly endpoint: string;
  readonly namespace: string | undefined;
  readonly mount: string;
  readonly prefix?: string | undefined;
  readonly stackDelimiter?: string | undefined;
  readonly token: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The OS keychain (service atmos-secrets), for the token; absent: not consulted. */
  readonly keychain?: (() => Keychain) | undefined;
  readonly timeoutMs: number;
  /** A PEM file of extra trusted CAs (options.ca_cert, else VAULT_CACERT), read when first connecting. */
  readonly caCertFile?: string | undefined;
  /** Builds the HTTP client; node-vault (loaded on first use) by default. */
  readonly connect: (settings: VaultHttpSettings) => Promise<VaultHttp>;
  readonly concurrency?: number | undefined;
  readonly retry?: { readonly maxAttempts?: number; readonly sleep?: Sleep; readonly random?: () => number };
  readonly now?: () => Date;
  /**
   * Cancels the store's calls: once aborted, the call in flight fails with CANCELLED at once (its request is
   * closed, see loadNodeVault) and no new call, retry or batch read starts.
   */
  readonly signal?: AbortSignal | undefined;
}

interface Connection {
  readonly http: VaultHttp;
  readonly tokenSource: VaultTokenSource;
}

type Capability = VaultCallContext['capability'];

export class VaultSecretStore implements SecretStore {
  readonly name: string;
  readonly kind = 'hashicorp/vault' as const;
  readonly capabilities: StoreCapabilities = {
    versions: true,
    batchSize: 1,
    maxValueBytes: VAULT_MAX_VALUE_BYTES,
    scopes: ALL_SCOPES,
    local: false,
    lossyNames: false,
  };
  private readonly ctx: NamingContext;
  private connection: Promise<Connection> | undefined;

  constructor(private readonly settings: VaultStoreSettings) {
    this.name = settings.name;
    this.ctx = { store: settings.name, location: settings.location };
  }

  /** The secret's path inside the mount (what `vault kv get -mount=<mount>` takes). */
  locate(path: SecretPath): string {
    return this.where(path).path;
  }

  private where(path: SecretPath): VaultLocation {
    return vaultLocation(
      path,
      { mount: this.settings.mount, prefix: this.settings.prefix, stackDelimiter: this.settings.stackDelimiter },
      this.ctx,
    );
  }

  async get(path: SecretPath): Promise<string> {
    const loc = this.where(path);
    const value = await this.readValue(path, loc);
    if (value === undefined) throw this.notFound(path, loc);
    return value;
  }

  /** An earlier version's value (`version` as versions() lists it), for restoring it as a new version. */
  async getVersion(path: SecretPath, version: string): Promise<string> {
    const loc = this.where(path);
    if (!/^[1-9]\d{0,9}$/.test(version)) {
      throw new AppError(
        'BAD_REQUEST',
        `a Vault version is a whole number from 1; got ${JSON.stringify(version.slice(0, 20))}`,
      );
    }
    const value = await this.readValue(path, loc, Number(version));
    if (value === undefined) throw this.notFound(path, loc);
    return value;
  }

  async set(path: SecretPath, value: string): Promise<void> {
    const loc = this.where(path);
    const subject = { secret: path.name, store: this.name };
    if (utf8Bytes(value) > VAULT_MAX_VALUE_BYTES) {
      throw new ValueTooLargeError(subject, VAULT_MAX_VALUE_BYTES, 'a Vault KV secret (as Atmos Secrets stores it)');
    }
    if (goJsonBytes({ [VAULT_FIELD]: value }) > VAULT_MAX_ENCODED_BYTES) {
      throw new ValueTooLargeError(subject, VAULT_MAX_ENCODED_BYTES, 'a Vault storage entry, after JSON escaping,');
    }
    await this.call(path, loc, 'write', 'create/update', (http) =>
      http.write(loc.dataPath, { data: { [VAULT_FIELD]: value } }),
    );
  }

  async delete(path: SecretPath): Promise<boolean> {
    const loc = this.where(path);
    // Only a live latest version counts as "something deleted" (delete is idempotent).
    if ((await this.readValue(path, loc)) === undefined) return false;
    await this.call(path, loc, 'delete', 'delete', (http) => http.delete(loc.dataPath));
    return true;
  }

  async status(path: SecretPath): Promise<SecretStatus> {
    return (await this.exists(path)) ? 'initialized' : 'missing';
  }

  async exists(path: SecretPath): Promise<boolean> {
    const loc = this.where(path);
    return (await this.readValue(path, loc)) !== undefined;
  }

  async getMany(paths: readonly SecretPath[]): Promise<GetManyResult[]> {
    return getManyByReads(paths, this.singleReads);
  }

  async statusMany(paths: readonly SecretPath[]): Promise<SecretStatus[]> {
    return statusManyByReads(paths, this.singleReads);
  }

  /**
   * Every secret under the store's prefix: LIST on `<mount>/metadata/<prefix>`, folder by folder (a key ending in
   * `/` is a folder), each level's folders at most `concurrency` at a time, at most VAULT_LIST_MAX_FOLDERS folders
   * and VAULT_LIST_MAX_DEPTH levels. LIST carries no times, and a secret whose latest version is soft-deleted
   * still lists (its metadata and versions are kept).
   */
  async *listManaged(): AsyncIterable<ManagedEntry> {
    const root = managedRoot(this.settings.prefix ?? '', 'strip');
    const mount = this.settings.mount.replace(/^\/+|\/+$/g, '');
    const listing: SecretPath = { name: `(every secret under ${root || '/'})`, scope: 'global' };
    let level = [root];
    let folders = 0;
    for (let depth = 0; level.length > 0; depth++) {
      folders += level.length;
      if (depth > VAULT_LIST_MAX_DEPTH || folders > VAULT_LIST_MAX_FOLDERS) {
        throw new AppError(
          'BACKEND',
          `store "${this.name}" (hashicorp/vault) holds more than ${VAULT_LIST_MAX_FOLDERS} folders or ${VAULT_LIST_MAX_DEPTH} levels under ${mount}/${root}; the listing stopped there`,
          { hint: 'Give the store a narrower prefix.' },
        );
      }
      const answers = await mapBounded(
        level,
        Math.max(1, this.settings.concurrency ?? DEFAULT_VAULT_CONCURRENCY),
        (folder) => this.listFolder(listing, mount, folder),
        this.settings.signal,
      );
      const next: string[] = [];
      for (const [i, keys] of answers.entries()) {
        const folder = level[i] ?? '';
        for (const key of keys) {
          if (key.endsWith('/')) next.push(`${folder}${key}`);
          else
            yield { name: `${folder}${key}`, segments: segmentsUnder(`${folder}${key}`, root), lastChanged: undefined };
        }
      }
      level = next;
    }
  }

  /** One folder's keys (`[]` for a folder that does not exist: Vault answers 404). */
  private async listFolder(listing: SecretPath, mount: string, folder: string): Promise<string[]> {
    const encoded = folder === '' ? '' : `/${folder.replace(/\/$/, '').split('/').map(encodeURIComponent).join('/')}`;
    const loc: VaultLocation = {
      mount,
      path: folder,
      dataPath: `${encodeURIComponent(mount)}/data${encoded}`,
      metadataPath: `${encodeURIComponent(mount)}/metadata${encoded}`,
      field: VAULT_VALUE_FIELD,
    };
    let body: unknown;
    try {
      body = await this.call(listing, loc, 'list', 'list', (http) => http.list(loc.metadataPath), {
        policyPath: `${mount}/metadata/${folder}`,
        notFoundIsAnswer: true,
      });
    } catch (e) {
      if (e instanceof VaultFailure && e.detail.kind === 'status' && e.detail.status === 404) return [];
      throw e;
    }
    const keys = (body as { data?: { keys?: unknown } } | undefined)?.data?.keys;
    return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
  }

  /** From the metadata endpoint, newest first; [] when Vault has no metadata for the path. */
  async versions(path: SecretPath): Promise<VaultSecretVersion[]> {
    const loc = this.where(path);
    let body: unknown;
    try {
      body = await this.call(path, loc, 'read the versions of', 'read', (http) => http.read(loc.metadataPath), {
        policyPath: `${loc.mount}/metadata/${loc.path}`,
        notFoundIsAnswer: true,
      });
    } catch (e) {
      if (e instanceof VaultFailure && isVaultNotFound(e)) return [];
      throw e;
    }
    const meta = parseMetadata(body, this.describe(path, loc));
    const now = (this.settings.now ?? (() => new Date()))();
    const list = meta.versions.map((v) => {
      const deletedAt = v.deletionTime !== undefined && v.deletionTime <= now ? v.deletionTime : undefined;
      return {
        version: String(v.version),
        createdAt: v.createdTime,
        current: v.version === meta.currentVersion && deletedAt === undefined && !v.destroyed,
        deletedAt,
        destroyed: v.destroyed,
      };
    });
    return list.sort((a, b) => Number(b.version) - Number(a.version));
  }

  private get singleReads(): SingleReads<VaultLocation> {
    return {
      locate: (path) => this.where(path),
      read: (path, loc) => this.readValue(path, loc),
      concurrency: Math.max(1, this.settings.concurrency ?? DEFAULT_VAULT_CONCURRENCY),
      ...(this.settings.signal ? { signal: this.settings.signal } : {}),
    };
  }

  private describe(path: SecretPath, loc: VaultLocation): { store: string; secret: string; location: string } {
    return { store: this.name, secret: path.name, location: `${loc.mount}/${loc.path}` };
  }

  private notFound(path: SecretPath, loc: VaultLocation): SecretNotFoundError {
    return new SecretNotFoundError({ secret: path.name, store: this.name }, `${loc.mount}/${loc.path}`);
  }

  /** The live value (of `version`, else the latest), or undefined when there is none. */
  private async readValue(path: SecretPath, loc: VaultLocation, version?: number): Promise<string | undefined> {
    const target = version === undefined ? loc.dataPath : `${loc.dataPath}?version=${version}`;
    let body: unknown;
    try {
      body = await this.call(path, loc, 'read', 'read', (http) => http.read(target), { notFoundIsAnswer: true });
    } catch (e) {
      // 404 `{"errors":[]}`: never written or all metadata deleted. 404 with `data`: that version is
      // soft-deleted or destroyed. Both are "no value here".
      if (e instanceof VaultFailure && e.detail.kind === 'status' && e.detail.status === 404) {
        if (isVaultNotFound(e) || e.detail.hasData) return undefined;
      }
      throw e;
    }
    return parseDataRead(body, this.describe(path, loc));
  }

  /** The token and client, made once; a failure (no token yet) is not cached, so a saved token is picked up. */
  private connect(path: SecretPath, loc: VaultLocation): Promise<Connection> {
    this.connection ??= (async (): Promise<Connection> => {
      const token: ResolvedVaultToken | undefined = await resolveVaultToken({
        store: this.name,
        optionToken: this.settings.token,
        env: this.settings.env,
        keychain: this.settings.keychain,
      });
      if (!token) {
        throw new AppError(
          'AUTH',
          `store "${this.name}" (hashicorp/vault) has no Vault token, so secret "${path.name}" (${loc.mount}/${loc.path}) cannot be reached`,
          { hint: missingTokenHint(this.name) },
        );
      }
      const http = await this.settings.connect({
        endpoint: this.settings.endpoint,
        token: token.token,
        namespace: this.settings.namespace,
        timeoutMs: this.settings.timeoutMs,
        ca: await this.readCaCert(),
        signal: this.settings.signal,
      });
      return { http, tokenSource: token.source };
    })();
    const made = this.connection;
    made.catch(() => {
      if (this.connection === made) this.connection = undefined;
    });
    return made;
  }

  private async readCaCert(): Promise<Buffer | undefined> {
    const file = this.settings.caCertFile;
    if (file === undefined) return undefined;
    try {
      return await readFile(file);
    } catch (e) {
      const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : 'unreadable';
      throw new AppError(
        'CONFIG',
        `store "${this.name}" (hashicorp/vault) cannot read its CA certificate ${file} (${code})`,
        {
          location: this.settings.location,
          hint: "Fix options.ca_cert (or VAULT_CACERT): a PEM file of the CA that signed Vault's certificate.",
        },
      );
    }
  }

  /**
   * One API call with retries (throttling, 5xx, dropped connections) and backoff with jitter. A 404 is
   * rethrown as the VaultFailure for the caller to read as "not found"; any other failure becomes a store error.
   */
  private async call<T>(
    path: SecretPath,
    loc: VaultLocation,
    action: string,
    capability: Capability,
    op: (http: VaultHttp) => Promise<T>,
    extra: { policyPath?: string; notFoundIsAnswer?: boolean } = {},
  ): Promise<T> {
    // The store's own cancellation joined with the running operation's (operation-signal.ts).
    const signal = callSignal(this.settings.signal);
    const cancelled = (): AppError =>
      cancelledError({ store: this.name, secret: path.name, action, location: `${loc.mount}/${loc.path}` });
    if (signal?.aborted) throw cancelled();
    const connection = this.connect(path, loc);
    const { http: storeHttp, tokenSource } = await connection;
    // The running operation's calls go through a pool its cancellation closes (vault-http.ts), so a cancelled
    // request does not run on to its timeout.
    const opSignal = operationSignal();
    const http = opSignal && storeHttp.forSignal ? storeHttp.forSignal(opSignal) : storeHttp;
    const retry = this.settings.retry ?? {};
    const maxAttempts = Math.max(1, retry.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    const sleep = retry.sleep ?? realSleep;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw cancelled();
      try {
        return await untilAborted(op(http), signal);
      } catch (e) {
        // Whatever the aborted request failed with (a closed socket), the answer is "cancelled".
        if (signal?.aborted) throw cancelled();
        const failure = toVaultFailure(e);
        if (!(failure instanceof VaultFailure)) throw failure;
        if (isTransient(failure) && attempt < maxAttempts) {
          await backoffWait(sleep, backoffDelay(attempt, undefined, { random: retry.random }), signal);
          continue;
        }
        // A refused token is looked up again next time: the person may have saved a new one in the app.
        if (failure.detail.kind === 'status' && (failure.detail.status === 401 || failure.detail.status === 403)) {
          if (this.connection === connection) this.connection = undefined;
        }
        const nothingThere =
          isVaultNotFound(failure) ||
          (failure.detail.kind === 'status' && failure.detail.status === 404 && failure.detail.hasData);
        if (extra.notFoundIsAnswer === true && nothingThere) throw failure;
        throw toStoreError(failure, {
          store: this.name,
          secret: path.name,
          action,
          location: `${loc.mount}/${loc.path}`,
          endpoint: this.settings.endpoint,
          namespace: this.settings.namespace,
          tokenSource,
          policyPath: extra.policyPath ?? `${loc.mount}/data/${loc.path}`,
          capability,
          timeoutMs: this.settings.timeoutMs,
          attempts: attempt,
        });
      }
    }
  }
}

/**
 * `call` settled, or rejected as soon as `signal` aborts. The abort also closes the request (the store's or the
 * operation's agent is destroyed), but how node-vault and axios then fail is theirs to choose; the caller reads
 * `signal.aborted`.
 */
function untilAborted<T>(call: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return call;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    call.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
