// A SecretStore over the OS keychain (the `keychain` kind): one entry per secret under service
// `atmos-secrets`, account named as Atmos names it (naming/keychain.ts), value JSON-encoded as Atmos does.
import type { SourceLocation } from '../../../shared/errors';
import { DEFAULT_KEYCHAIN_SERVICE, type Keychain } from '../../keychain/keychain';
import { KEYCHAIN_DEFAULT_PREFIX, keychainNamer } from '../naming/keychain';
import { managedRoot, segmentsUnder } from '../managed-prefix';
import type { NamingContext } from '../naming/common';
import type { SecretPath } from '../paths';
import {
  ALL_SCOPES,
  utf8Bytes,
  type GetManyResult,
  type ManagedEntry,
  type SecretStatus,
  type SecretStore,
  type StoreCapabilities,
} from '../secret-store';
import { SecretNotFoundError, ValueTooLargeError } from '../store-errors';
import { decodeKeychainValue, encodeKeychainValue } from './keychain-value';
import { keychainMaxValueBytes, keychainValueLimit } from './keychain-limits';

export { DEFAULT_KEYCHAIN_SERVICE };

/**
 * Names one `getMany` may carry: any number. The keychain reads its whole service in one call
 * (findCredentials) whatever is asked, so splitting a batch would only repeat that call.
 */
export const KEYCHAIN_BATCH_SIZE = Number.MAX_SAFE_INTEGER;

/** The segment under a keychain store's prefix where SOPS age keys live (`<prefix>/sops-age/<key>`). */
const SOPS_AGE_SEGMENT = 'sops-age';

export interface KeychainStoreSettings {
  /** The store's name in atmos.yaml. */
  readonly name: string;
  /** Already bound to the store's service. */
  readonly keychain: Keychain;
  readonly prefix?: string;
  readonly stackDelimiter?: string;
  readonly platform?: NodeJS.Platform;
  readonly location?: SourceLocation;
}

export class KeychainSecretStore implements SecretStore {
  readonly name: string;
  readonly kind = 'keychain' as const;
  readonly capabilities: StoreCapabilities;
  private readonly keychain: Keychain;
  private readonly naming: { readonly prefix: string | undefined; readonly stackDelimiter: string };
  /** keychainNamer: this store's account names, with the last scope remembered (statusMany names thousands). */
  private readonly account: (path: SecretPath) => string;
  private readonly platform: NodeJS.Platform;

  constructor(settings: KeychainStoreSettings) {
    this.name = settings.name;
    this.keychain = settings.keychain;
    this.platform = settings.platform ?? process.platform;
    this.naming = { prefix: settings.prefix, stackDelimiter: settings.stackDelimiter ?? '-' };
    const ctx: NamingContext = { store: settings.name, location: settings.location };
    this.account = keychainNamer(this.naming, ctx);
    this.capabilities = {
      versions: false,
      batchSize: KEYCHAIN_BATCH_SIZE,
      maxValueBytes: keychainMaxValueBytes(this.platform),
      scopes: ALL_SCOPES,
      local: true,
      lossyNames: false,
    };
  }

  get service(): string {
    return this.keychain.service;
  }

  locate(path: SecretPath): string {
    return this.account(path);
  }

  async get(path: SecretPath): Promise<string> {
    const account = this.locate(path);
    const raw = await this.keychain.get(account);
    if (raw === null) throw new SecretNotFoundError({ secret: path.name, store: this.name }, account);
    return decodeKeychainValue(raw);
  }

  async set(path: SecretPath, value: string): Promise<void> {
    const account = this.locate(path);
    const limit = keychainValueLimit(this.platform);
    const subject = { secret: path.name, store: this.name };
    if (utf8Bytes(value) > this.capabilities.maxValueBytes) {
      throw new ValueTooLargeError(subject, this.capabilities.maxValueBytes, limit.where);
    }
    const encoded = encodeKeychainValue(value);
    // Escaped characters (newlines, quotes) grow the stored form past the plain-value figure.
    if (utf8Bytes(encoded) > limit.maxEncodedBytes) {
      throw new ValueTooLargeError(subject, limit.maxEncodedBytes, `${limit.where}, after JSON encoding,`);
    }
    await this.keychain.set(account, encoded);
  }

  async delete(path: SecretPath): Promise<boolean> {
    return this.keychain.delete(this.locate(path));
  }

  async status(path: SecretPath): Promise<SecretStatus> {
    return (await this.exists(path)) ? 'initialized' : 'missing';
  }

  /**
   * Values for many paths in ONE keychain call (the service's credentials, keytar's findCredentials) instead
   * of a D-Bus round trip per path; every path is named first, so an unmappable one refuses the batch.
   */
  async getMany(paths: readonly SecretPath[]): Promise<GetManyResult[]> {
    const accounts = paths.map((p) => this.locate(p));
    const values = await this.keychain.getMany(accounts);
    return paths.map((path, i) => {
      const raw = values.get(accounts[i] ?? '');
      return raw === undefined ? { path, found: false } : { path, found: true, value: decodeKeychainValue(raw) };
    });
  }

  /**
   * One listing of the service (keytar's findCredentials) for the whole batch instead of one read per path:
   * a D-Bus round trip per secret made `list` on a large estate take minutes.
   */
  async statusMany(paths: readonly SecretPath[]): Promise<SecretStatus[]> {
    const accounts = paths.map((p) => this.locate(p));
    const present = await this.presentNames();
    return accounts.map((a) => (present.has(a) ? 'initialized' : 'missing'));
  }

  /** The service's accounts (names only), in the one listing that statusMany makes. */
  async presentNames(): Promise<ReadonlySet<string>> {
    return new Set(await this.keychain.list());
  }

  /**
   * The service's accounts under the store's prefix: one listing (account names only, never values). The
   * SOPS age keys kept in a keychain store (`<prefix>/sops-age/<key>`, sops-provider/sops-keys.ts) are the app's
   * own keys, not secrets, and are left out. The keychain keeps no change time.
   */
  async *listManaged(): AsyncIterable<ManagedEntry> {
    const prefix =
      this.naming.prefix === undefined || this.naming.prefix === '' ? KEYCHAIN_DEFAULT_PREFIX : this.naming.prefix;
    const root = managedRoot(prefix);
    for (const account of await this.keychain.list()) {
      const segments = segmentsUnder(account, root);
      if (!segments || segments[0] === SOPS_AGE_SEGMENT) continue;
      yield { name: account, segments, lastChanged: undefined };
    }
  }

  async exists(path: SecretPath): Promise<boolean> {
    // The Keychain interface has no "has": read and drop the value at once.
    return (await this.keychain.get(this.locate(path))) !== null;
  }
}
