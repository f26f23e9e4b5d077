// A SecretStore over Azure Key Vault secrets (the `azure/keyvault` kind), on @azure/keyvault-secrets loaded with
// import() on the first call. One Key Vault secret per declared secret, named as Atmos names it
// (naming/azure-keyvault.ts: lossy, so `lossyNames` and validate's collision check), its value stored verbatim
// (as Atmos writes it), every version tagged with the original path and coordinate (keyvault-tags.ts).
//
// Soft delete. `delete` is Key Vault's delete: the whole secret becomes "deleted but recoverable" for the vault's
// retention period (soft delete cannot be turned off on a vault created since 2020). In that state the name
// cannot be reused: a `set` answers 409 Conflict (ObjectIsDeletedButRecoverable). Our `set` then RECOVERS the
// secret and writes the new value as its newest version. We recover rather than purge because:
//  - purge destroys the history for good, the opposite of what a soft delete promised the person who deleted;
//  - purge is refused outright on vaults with purge protection (required by many organisations' policies);
//  - recover needs the `recover` permission, which Key Vault Secrets Officer (the role that can write) has, and
//    the old versions come back as history, so `versions` and "restore an earlier version" keep working.
// A name still being deleted (409, but no deleted secret yet) is waited for with backoff and tried again.
//
// Key Vault has no batch read: getMany/statusMany run one read per path, at most `concurrency` at a time, after
// mapping every path first (an unmappable one refuses the batch before any call).
import type * as KvSdk from '@azure/keyvault-secrets';
import { AppError, type SourceLocation } from '../../../shared/errors';
import type { NamingContext } from '../naming/common';
import { azureSecretName } from '../naming/azure-keyvault';
import { scopedPath, type ScopedPath, type SecretPath } from '../paths';
import { callSignal } from '../operation-signal';
import { backoffDelay, realSleep, type Sleep } from '../retry';
import {
  ALL_SCOPES,
  utf8Bytes,
  type GetManyResult,
  type ListManagedOptions,
  type ManagedEntry,
  type SecretStatus,
  type SecretStore,
  type SecretVersion,
  type StoreCapabilities,
} from '../secret-store';
import { SecretNotFoundError, ValueTooLargeError } from '../store-errors';
import { getManyByReads, statusManyByReads, type SingleReads } from '../read-batch';
import { credentialSource, makeCredential, type CredentialPlan, type TokenCredential } from './keyvault-credential';
import {
  KeyVaultFailure,
  isSecretNotFound,
  keyVaultCall,
  failureWords,
  reduceFailure,
  toStoreError,
  type CallOptions,
  type KeyVaultCallContext,
  type KeyVaultFailureDetail,
  type KeyVaultCallPolicy,
} from './keyvault-call';
import { challengeCheckHint, type KeyVaultOptions } from './keyvault-options';
import { MANAGED_BY, otherOwner, ownerTags, TAG_MANAGED_BY, TAG_PATH } from './keyvault-tags';
import { managedRoot, pageSizeWithin, segmentsUnder } from '../managed-prefix';

/**
 * The largest value, in UTF-8 bytes: Key Vault stores "at most 25k bytes" (Microsoft's docs). 25,000 is the
 * strict reading, so a value we accept is never refused by the service under either reading.
 */
export const KEYVAULT_MAX_VALUE_BYTES = 25_000;
/** Key Vault pages hold at most 25 items. */
const PAGE_SIZE = 25;
/** How often the delete and recover pollers look again (the SDK's default is 2 s). */
const DEFAULT_POLL_INTERVAL_MS = 500;
/**
 * Writes tried while the name is soft-deleted or being deleted (each failure's own retries are separate): one
 * round recovers; a deletion still in progress is waited out with backoff (8 to 16 s over eight rounds).
 */
const CONFLICT_ROUNDS = 8;

/** A Key Vault version: the SecretVersion plus whether it is enabled and when it last changed. */
export interface KeyVaultSecretVersion extends SecretVersion {
  readonly enabled: boolean;
  readonly updatedAt: Date | undefined;
}

export interface KeyVaultStoreSettings {
  readonly name: string;
  readonly location?: SourceLocation | undefined;
  readonly options: KeyVaultOptions;
  readonly credential: CredentialPlan;
  /** Cancels every call of the store. */
  readonly signal?: AbortSignal | undefined;
  /** Tests: backoff without waiting. */
  readonly sleep?: Sleep | undefined;
  readonly random?: (() => number) | undefined;
  readonly pollIntervalMs?: number | undefined;
}

type Client = KvSdk.SecretClient;

export class KeyVaultSecretStore implements SecretStore {
  readonly name: string;
  readonly kind = 'azure/keyvault' as const;
  readonly capabilities: StoreCapabilities = {
    versions: true,
    batchSize: 1,
    maxValueBytes: KEYVAULT_MAX_VALUE_BYTES,
    scopes: ALL_SCOPES,
    local: false,
    lossyNames: true,
  };
  private readonly ctx: NamingContext;
  private readonly policy: KeyVaultCallPolicy;
  private client: Promise<Client> | undefined;

  constructor(private readonly settings: KeyVaultStoreSettings) {
    this.name = settings.name;
    this.ctx = { store: settings.name, location: settings.location };
    this.policy = {
      timeoutMs: settings.options.timeoutMs,
      maxAttempts: settings.options.maxAttempts,
      signal: settings.signal,
      sleep: settings.sleep,
      random: settings.random,
    };
  }

  /** The Key Vault secret name (Atmos' mapping). */
  locate(path: SecretPath): string {
    const o = this.settings.options;
    return azureSecretName(path, { prefix: o.prefix, stackDelimiter: o.stackDelimiter }, this.ctx);
  }

  private scoped(path: SecretPath): ScopedPath {
    const o = this.settings.options;
    return scopedPath(path, { prefix: o.prefix ?? '', stackDelimiter: o.stackDelimiter ?? '-' });
  }

  async get(path: SecretPath): Promise<string> {
    const name = this.locate(path);
    const value = await this.readValue(path, name);
    if (value === undefined) throw this.notFound(path, name);
    return value;
  }

  /** An earlier version's value (to restore it as a new version); SecretNotFoundError when there is no such version. */
  async getVersion(path: SecretPath, version: string): Promise<string> {
    const name = this.locate(path);
    if (!/^[0-9a-fA-F]{32}$/.test(version)) {
      throw new AppError(
        'BAD_REQUEST',
        `a Key Vault version is 32 hexadecimal characters; got "${version.slice(0, 40)}"`,
      );
    }
    const value = await this.readValue(path, name, version);
    if (value === undefined) throw this.notFound(path, name);
    return value;
  }

  async set(path: SecretPath, value: string): Promise<void> {
    const name = this.locate(path);
    if (utf8Bytes(value) > KEYVAULT_MAX_VALUE_BYTES) {
      throw new ValueTooLargeError(
        { secret: path.name, store: this.name },
        KEYVAULT_MAX_VALUE_BYTES,
        'a Key Vault secret',
      );
    }
    const tags = ownerTags(path, this.scoped(path), this.name);
    const client = await this.connect();
    const conflict = (d: KeyVaultFailureDetail): boolean => d.kind === 'status' && d.status === 409;
    const sleep = this.settings.sleep ?? realSleep;
    for (let round = 1; ; round++) {
      try {
        await this.call(path, name, 'write', (abortSignal) => client.setSecret(name, value, { tags, abortSignal }), {
          value,
          answers: conflict,
        });
        return;
      } catch (e) {
        if (!(e instanceof KeyVaultFailure)) throw e;
        // 409: the name is soft-deleted (recover it, then write), or still being deleted (wait, then write).
        if (round >= CONFLICT_ROUNDS) {
          throw toStoreError(e.detail, this.context(path, name, 'write'), round, this.policy.timeoutMs);
        }
        if (!(await this.recoverIfDeleted(path, name, client))) {
          await sleep(backoffDelay(round, undefined, { random: this.settings.random }));
        }
      }
    }
  }

  async delete(path: SecretPath): Promise<boolean> {
    const name = this.locate(path);
    const client = await this.connect();
    let attempts = 0;
    let poller: Awaited<ReturnType<Client['beginDeleteSecret']>>;
    try {
      poller = await this.call(
        path,
        name,
        'delete',
        (abortSignal) => {
          attempts += 1;
          return client.beginDeleteSecret(name, { abortSignal, intervalInMs: this.pollInterval });
        },
        { answers: isSecretNotFound },
      );
    } catch (e) {
      if (!(e instanceof KeyVaultFailure)) throw e;
      // Not found. After a failed attempt that may have reached the vault, ask whether that one deleted it.
      return attempts > 1 ? this.isDeleted(path, name, client) : false;
    }
    // Wait for the deleted state, so a `set` right after meets "deleted but recoverable" rather than "being
    // deleted". The DELETE was accepted, so a failure to watch it finish does not undo it: set copes either way.
    try {
      await poller.pollUntilDone({ abortSignal: this.deadline() });
    } catch {
      // see above
    }
    return true;
  }

  async status(path: SecretPath): Promise<SecretStatus> {
    return (await this.exists(path)) ? 'initialized' : 'missing';
  }

  async exists(path: SecretPath): Promise<boolean> {
    const name = this.locate(path);
    return (await this.readValue(path, name)) !== undefined;
  }

  async getMany(paths: readonly SecretPath[]): Promise<GetManyResult[]> {
    return getManyByReads(paths, this.singleReads);
  }

  async statusMany(paths: readonly SecretPath[]): Promise<SecretStatus[]> {
    return statusManyByReads(paths, this.singleReads);
  }

  /**
   * Every version, newest first by creation time. Key Vault lists versions in no promised order and without
   * saying which is current, so the latest is read too (in parallel) to mark it and to order versions created
   * within the same second. [] when the secret does not exist (or is deleted).
   */
  /**
   * The secrets of the vault this app wrote under the store's prefix: `listPropertiesOfSecrets` (names, tags
   * and times, never a value), pages of 25, kept when their `managed-by` tag is ours and their `atmos-path` tag
   * (the original path: Key Vault names are lossy) starts with the prefix. Secrets without our tags (written by
   * Atmos or by hand) cannot be told apart from other tools' and are left out. Last change: the latest
   * version's `updatedOn`.
   */
  async *listManaged(options: ListManagedOptions = {}): AsyncIterable<ManagedEntry> {
    const client = await this.connect();
    const root = managedRoot(
      (this.settings.options.prefix ?? '')
        .split('/')
        .filter((s) => s !== '')
        .join('/'),
    ).replace(/^\/+/, '');
    const listing: SecretPath = { name: `(every secret under ${root || 'the vault'})`, scope: 'global' };
    const size = pageSizeWithin(options.pageSize, PAGE_SIZE);
    const listed = await this.call(listing, '(list)', 'list the secrets of', async (abortSignal) => {
      const out: KvSdk.SecretProperties[] = [];
      for await (const page of client.listPropertiesOfSecrets({ abortSignal }).byPage({ maxPageSize: size })) {
        out.push(...page);
      }
      return out;
    });
    for (const p of listed) {
      const tags = p.tags ?? {};
      const path = tags[TAG_PATH];
      if (tags[TAG_MANAGED_BY] !== MANAGED_BY || path === undefined) continue;
      const segments = segmentsUnder(path, root);
      if (!segments) continue;
      yield { name: p.name, segments, lastChanged: p.updatedOn ?? p.createdOn };
    }
  }

  async versions(path: SecretPath): Promise<KeyVaultSecretVersion[]> {
    const name = this.locate(path);
    const client = await this.connect();
    const notFoundIsEmpty = <T>(p: Promise<T>): Promise<T | undefined> =>
      p.catch((e: unknown) => {
        if (e instanceof KeyVaultFailure && isSecretNotFound(e.detail)) return undefined;
        throw e;
      });
    const [listed, latest] = await Promise.all([
      notFoundIsEmpty(
        this.call(
          path,
          name,
          'list the versions of',
          async (abortSignal) => {
            const out: KvSdk.SecretProperties[] = [];
            const pages = client
              .listPropertiesOfSecretVersions(name, { abortSignal })
              .byPage({ maxPageSize: PAGE_SIZE });
            for await (const page of pages) out.push(...page);
            return out;
          },
          { answers: isSecretNotFound },
        ),
      ),
      this.call(path, name, 'read', (abortSignal) => client.getSecret(name, { abortSignal }), {
        // A disabled latest version answers 403 to get: the history is still listed, with no version current.
        answers: (d) => isSecretNotFound(d) || (d.kind === 'status' && d.status === 403),
      }).catch((e: unknown) => {
        if (e instanceof KeyVaultFailure) return undefined;
        throw e;
      }),
    ]);
    if (!listed) return [];
    const currentId = latest?.properties.version;
    const list = listed.map((p) => ({
      version: p.version ?? '',
      createdAt: p.createdOn,
      updatedAt: p.updatedOn,
      enabled: p.enabled !== false,
      current: p.version !== undefined && p.version === currentId,
    }));
    return list.sort(
      (a, b) =>
        (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0) ||
        Number(b.current) - Number(a.current) ||
        (b.updatedAt?.getTime() ?? 0) - (a.updatedAt?.getTime() ?? 0) ||
        a.version.localeCompare(b.version),
    );
  }

  private get singleReads(): SingleReads<string> {
    return {
      locate: (path) => this.locate(path),
      read: (path, name) => this.readValue(path, name),
      concurrency: this.settings.options.concurrency,
      signal: this.settings.signal,
    };
  }

  private get pollInterval(): number {
    return this.settings.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  }

  /** One call's time, joined with the store's cancellation. */
  private deadline(): AbortSignal {
    const timeout = AbortSignal.timeout(this.policy.timeoutMs);
    const outer = callSignal(this.settings.signal);
    return outer ? AbortSignal.any([outer, timeout]) : timeout;
  }

  private context(path: SecretPath, name: string, action: string): KeyVaultCallContext {
    return {
      store: this.name,
      secret: path.name,
      name,
      action,
      vaultUrl: this.settings.options.vaultUrl,
      credentialSource: credentialSource(this.settings.credential),
      sdkHint: challengeCheckHint(this.settings.options),
    };
  }

  private call<T>(
    path: SecretPath,
    name: string,
    action: string,
    send: (abortSignal: AbortSignal) => Promise<T>,
    options: CallOptions = {},
  ): Promise<T> {
    return keyVaultCall(this.context(path, name, action), this.policy, send, options);
  }

  private notFound(path: SecretPath, name: string): SecretNotFoundError {
    return new SecretNotFoundError({ secret: path.name, store: this.name }, name);
  }

  /** The value (of `version`, else the latest), or undefined when there is none. */
  private async readValue(path: SecretPath, name: string, version?: string): Promise<string | undefined> {
    const client = await this.connect();
    let secret: KvSdk.KeyVaultSecret;
    try {
      secret = await this.call(
        path,
        name,
        'read',
        (abortSignal) => client.getSecret(name, { abortSignal, ...(version !== undefined ? { version } : {}) }),
        { answers: isSecretNotFound },
      );
    } catch (e) {
      if (e instanceof KeyVaultFailure) return undefined;
      throw e;
    }
    const other = otherOwner(secret.properties.tags, path);
    if (other !== undefined) {
      throw new AppError(
        'CONFIG',
        `secret "${path.name}" maps to Key Vault name "${name}" in store "${this.name}", which holds another secret (${other}): the two names collide`,
        {
          location: this.settings.location,
          hint: 'Run `atmos-secret validate` to see every collision; rename one secret or give the store another prefix.',
        },
      );
    }
    return secret.value ?? '';
  }

  /** Whether the name is soft-deleted now (404 from the deleted-secrets endpoint: no). */
  private async isDeleted(path: SecretPath, name: string, client: Client): Promise<boolean> {
    try {
      await this.call(path, name, 'delete', (abortSignal) => client.getDeletedSecret(name, { abortSignal }), {
        answers: isSecretNotFound,
      });
      return true;
    } catch (e) {
      if (e instanceof KeyVaultFailure) return false;
      throw e;
    }
  }

  /** Recovers a soft-deleted secret and waits until it reads again; false when the name is not (yet) deleted. */
  private async recoverIfDeleted(path: SecretPath, name: string, client: Client): Promise<boolean> {
    if (!(await this.isDeleted(path, name, client))) return false;
    await this.call(path, name, 'recover (before writing)', async (abortSignal) => {
      const poller = await client.beginRecoverDeletedSecret(name, { abortSignal, intervalInMs: this.pollInterval });
      await poller.pollUntilDone({ abortSignal });
    });
    return true;
  }

  /** The credential; one @azure/identity refuses to build (a malformed tenant id) is a CONFIG error naming the store. */
  private async credential(): Promise<TokenCredential> {
    const plan = this.settings.credential;
    try {
      return await makeCredential(plan);
    } catch (e) {
      if (e instanceof AppError) throw e;
      const secret = plan.kind === 'client-secret' ? plan.clientSecret : undefined;
      throw new AppError(
        'CONFIG',
        `store "${this.name}" (azure/keyvault) cannot use the credentials from ${credentialSource(plan)}: ${failureWords(reduceFailure(e, secret))}`,
        {
          location: this.settings.location,
          hint: 'Check tenant_id, client_id and client_secret (or the AZURE_* variables).',
        },
      );
    }
  }

  /** The SDK and one client, made on the first call; a failure is not cached, so the next call tries again. */
  private connect(): Promise<Client> {
    this.client ??= (async (): Promise<Client> => {
      const o = this.settings.options;
      const [sdk, credential] = await Promise.all([import('@azure/keyvault-secrets'), this.credential()]);
      return new sdk.SecretClient(o.vaultUrl, credential, {
        allowInsecureConnection: o.allowInsecureConnection,
        disableChallengeResourceVerification: o.disableChallengeResourceVerification,
        // keyvault-call.ts retries, so attempts stay countable and bounded by our policy.
        retryOptions: { maxRetries: 0 },
        userAgentOptions: { userAgentPrefix: 'atmos-secrets' },
      });
    })();
    const made = this.client;
    made.catch(() => {
      if (this.client === made) this.client = undefined;
    });
    return made;
  }
}
