// The state of one emulated Key Vault: secrets (case-insensitive names, every version kept), soft-deleted
// secrets, and the bundles the REST API answers with. Pure data and rules; the HTTP side is in index.ts.
import { randomBytes } from 'node:crypto';

/** Key Vault's name rule [backends-wire.md §4]. */
export const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;
/**
 * The service stores a value of at most "25k bytes" (Microsoft's docs). 25,000 is the strict reading; the
 * adapter uses the same figure, so the emulator refuses exactly what the adapter refuses first.
 */
export const DEFAULT_MAX_VALUE_BYTES = 25_000;
/** Tags per secret, and their key/value lengths (docs: 15 tags, 512-character names, 256-character values). */
export const MAX_TAGS = 15;
export const MAX_TAG_KEY = 512;
export const MAX_TAG_VALUE = 256;

export interface SecretVersionRecord {
  readonly version: string;
  readonly value: string;
  readonly contentType: string | undefined;
  tags: Record<string, string>;
  enabled: boolean;
  /** Unix seconds, as the service sends them. */
  readonly created: number;
  updated: number;
}

export interface SecretRecord {
  /** The name as first written (the service keeps the case it was created with). */
  readonly name: string;
  /** Oldest first. */
  readonly versions: SecretVersionRecord[];
}

export interface DeletedRecord {
  readonly secret: SecretRecord;
  readonly deletedDate: number;
  readonly scheduledPurgeDate: number;
}

/** An API error: HTTP status and Key Vault's `{"error":{code,message,innererror?}}` body. */
export class KvApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly inner?: string,
  ) {
    super(message);
  }

  body(): unknown {
    return {
      error: { code: this.code, message: this.message, ...(this.inner ? { innererror: { code: this.inner } } : {}) },
    };
  }
}

export interface VaultStateOptions {
  readonly softDelete: boolean;
  readonly purgeProtection: boolean;
  readonly recoverableDays: number;
  readonly maxValueBytes: number;
  /**
   * Requests naming a secret that still see it "being deleted" after its DELETE (the real service takes a few
   * seconds): the live secret is gone, the deleted one not visible yet (404), and a PUT answers 409
   * ObjectIsBeingDeleted. 0: deleted at once.
   */
  readonly deleteLagRequests: number;
  /** Unix seconds (injected so version order within a second is the real service's, not ours). */
  readonly now: () => number;
}

const key = (name: string): string => name.toLowerCase();

export function newVersionId(): string {
  return randomBytes(16).toString('hex');
}

export class VaultState {
  readonly secrets = new Map<string, SecretRecord>();
  readonly deleted = new Map<string, DeletedRecord>();
  /** Names being deleted, with the requests left before their deleted state shows. */
  private readonly deleting = new Map<string, number>();

  constructor(readonly options: VaultStateOptions) {}

  recoveryLevel(): string {
    if (!this.options.softDelete) return 'Purgeable';
    return this.options.purgeProtection ? 'Recoverable' : 'Recoverable+Purgeable';
  }

  checkName(name: string): void {
    if (!SECRET_NAME.test(name)) {
      throw new KvApiError(
        400,
        'BadParameter',
        `The request URI contains an invalid name: ${name.slice(0, 200)}. Secret names may only contain alphanumeric characters and dashes, up to 127 characters.`,
      );
    }
  }

  private beingDeleted(name: string): boolean {
    return (this.deleting.get(key(name)) ?? 0) > 0;
  }

  /** One request named this secret: a deletion in progress comes one request closer to showing. */
  tick(name: string): void {
    const left = this.deleting.get(key(name));
    if (left === undefined) return;
    if (left <= 1) this.deleting.delete(key(name));
    else this.deleting.set(key(name), left - 1);
  }

  find(name: string): SecretRecord | undefined {
    return this.secrets.get(key(name));
  }

  notFound(name: string): KvApiError {
    return new KvApiError(
      404,
      'SecretNotFound',
      `A secret with (name/id) ${name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
    );
  }

  /** A version (latest when `version` is empty), or 404 SecretNotFound. */
  version(name: string, version: string): { secret: SecretRecord; v: SecretVersionRecord } {
    const secret = this.find(name);
    const latest = secret?.versions.at(-1);
    if (!secret || !latest) throw this.notFound(name);
    if (version === '') return { secret, v: latest };
    const v = secret.versions.find((x) => x.version === version.toLowerCase());
    if (!v) throw this.notFound(`${name}/${version}`);
    return { secret, v };
  }

  set(
    name: string,
    input: {
      value: string;
      tags: Record<string, string> | undefined;
      contentType: string | undefined;
      enabled: boolean;
    },
  ): { secret: SecretRecord; v: SecretVersionRecord } {
    this.checkName(name);
    if (this.beingDeleted(name)) {
      // [U] the exact words; the code pair is the service's for a name whose deletion is still in progress.
      throw new KvApiError(409, 'Conflict', `Secret ${name} is currently being deleted.`, 'ObjectIsBeingDeleted');
    }
    if (this.deleted.has(key(name))) {
      throw new KvApiError(
        409,
        'Conflict',
        `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
        'ObjectIsDeletedButRecoverable',
      );
    }
    if (Buffer.byteLength(input.value, 'utf8') > this.options.maxValueBytes) {
      // [U] the real service's exact code and words for an oversize value.
      throw new KvApiError(
        400,
        'BadParameter',
        `The secret value exceeds the maximum allowed size of ${this.options.maxValueBytes} bytes.`,
      );
    }
    const tags = input.tags ?? {};
    const entries = Object.entries(tags);
    if (entries.length > MAX_TAGS || entries.some(([k, v]) => k.length > MAX_TAG_KEY || v.length > MAX_TAG_VALUE)) {
      throw new KvApiError(
        400,
        'BadParameter',
        `Tags are limited to ${MAX_TAGS}, names to ${MAX_TAG_KEY} and values to ${MAX_TAG_VALUE} characters.`,
      );
    }
    let secret = this.find(name);
    if (!secret) {
      secret = { name, versions: [] };
      this.secrets.set(key(name), secret);
    }
    const now = this.options.now();
    const v: SecretVersionRecord = {
      version: newVersionId(),
      value: input.value,
      contentType: input.contentType,
      tags: { ...tags },
      enabled: input.enabled,
      created: now,
      updated: now,
    };
    secret.versions.push(v);
    return { secret, v };
  }

  /** Deletes the whole secret (every version): soft delete keeps it recoverable; otherwise it is gone. */
  delete(name: string): { secret: SecretRecord; deleted: DeletedRecord | undefined } {
    const secret = this.find(name);
    if (!secret) throw this.notFound(name);
    this.secrets.delete(key(name));
    if (!this.options.softDelete) return { secret, deleted: undefined };
    const now = this.options.now();
    const deleted: DeletedRecord = {
      secret,
      deletedDate: now,
      scheduledPurgeDate: now + this.options.recoverableDays * 86_400,
    };
    this.deleted.set(key(name), deleted);
    if (this.options.deleteLagRequests > 0) this.deleting.set(key(name), this.options.deleteLagRequests);
    return { secret, deleted };
  }

  findDeleted(name: string): DeletedRecord {
    const d = this.beingDeleted(name) ? undefined : this.deleted.get(key(name));
    if (!d) {
      throw new KvApiError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
    }
    return d;
  }

  purge(name: string): void {
    this.findDeleted(name);
    if (this.options.purgeProtection) {
      // [U] the exact words; the status and code are the service's for an operation the vault does not allow.
      throw new KvApiError(
        403,
        'Forbidden',
        `Operation "purge" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed.`,
        'PurgeProtectionEnabled',
      );
    }
    this.deleted.delete(key(name));
  }

  recover(name: string): SecretRecord {
    const d = this.findDeleted(name);
    if (this.secrets.has(key(name))) {
      throw new KvApiError(409, 'Conflict', `Secret ${name} already exists.`);
    }
    this.deleted.delete(key(name));
    this.secrets.set(key(name), d.secret);
    return d.secret;
  }
}

/** The bundle shapes of the REST API (integer unix seconds in `attributes`). */
export class Bundles {
  constructor(
    private readonly base: () => string,
    private readonly state: VaultState,
  ) {}

  attributes(v: SecretVersionRecord): Record<string, unknown> {
    return {
      enabled: v.enabled,
      created: v.created,
      updated: v.updated,
      recoveryLevel: this.state.recoveryLevel(),
      ...(this.state.options.softDelete ? { recoverableDays: this.state.options.recoverableDays } : {}),
    };
  }

  secret(s: SecretRecord, v: SecretVersionRecord, withValue: boolean): Record<string, unknown> {
    return {
      ...(withValue ? { value: v.value } : {}),
      id: `${this.base()}/secrets/${s.name}/${v.version}`,
      attributes: this.attributes(v),
      tags: v.tags,
      ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    };
  }

  /** A list item: the secret's id without version (secrets list) or with it (versions list); never a value. */
  item(s: SecretRecord, v: SecretVersionRecord, withVersion: boolean): Record<string, unknown> {
    return {
      id: `${this.base()}/secrets/${s.name}${withVersion ? `/${v.version}` : ''}`,
      attributes: this.attributes(v),
      tags: v.tags,
      ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    };
  }

  deleted(d: DeletedRecord, withValue: boolean): Record<string, unknown> {
    const latest = d.secret.versions.at(-1);
    const base = latest ? this.secret(d.secret, latest, withValue) : {};
    return {
      ...base,
      recoveryId: `${this.base()}/deletedsecrets/${d.secret.name}`,
      deletedDate: d.deletedDate,
      scheduledPurgeDate: d.scheduledPurgeDate,
    };
  }
}
