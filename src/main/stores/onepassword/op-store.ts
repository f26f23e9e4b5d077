// A SecretStore over 1Password (the `onepassword` kind). Addressing is by reference: each declaration's
// `reference` (op://vault/item[/section]/field, a template; naming/onepassword.ts) names one field of one item.
// `set` writes that field, creating the item (API Credential, the value in a concealed field) or the field (and
// its section) when missing; `delete` removes the field, and the item with its last field. 1Password keeps no
// value history we can read, so `capabilities.versions` is false.
//
// Rate limits are tight (service accounts: about 1,000 reads and 100 writes an hour), so nothing is retried: a
// 429 is an OpThrottledError with the wait the server asked for. A batch reads each item once, through the
// backend's batch read where it has one (the SDK's items.getAll). Every write checks first that the vault is not
// the built-in Private/Personal/Employee vault, which neither a service account nor Connect can reach.
import { AppError, type SourceLocation } from '../../../shared/errors';
import type { Keychain } from '../../keychain/keychain';
import { onePasswordReference, type OnePasswordReference } from '../naming/onepassword';
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
import { StoreAuthError, ValueTooLargeError } from '../store-errors';
import { StoreCannotListError } from '../secret-store';
import { callSignal } from '../operation-signal';
import { STORE_TOKEN_SERVICE, storeTokenAccount } from '../store-token';
import { OpBackendError, type OpBackend, type OpField, type OpItem, type OpSection } from './op-backend';
import { declaredAt, OpSecretNotFoundError, OpThrottledError, OpVaultNotVisibleError } from './op-errors';
import { newOpId } from './op-ids';
import { chooseOpMode, type OpCredentials, type OpModeChoice, type OpStoreOptions } from './op-options';

/**
 * The largest value we write, in UTF-8 bytes. 1Password documents no per-field limit; 64 KiB (the cloud stores'
 * limit) holds any credential and keeps items small for every client that syncs them.
 */
export const OP_MAX_VALUE_BYTES = 64 * 1024;

/** Vaults no service account or Connect server can reach (1Password's built-in personal vaults). */
const PERSONAL_VAULTS = new Set(['private', 'personal', 'employee']);

export interface OpConnectors {
  connect(settings: { host: string; token: string; timeoutMs: number }): Promise<OpBackend>;
  serviceAccount(token: string): Promise<OpBackend>;
}

export interface OpStoreSettings {
  readonly name: string;
  readonly location?: SourceLocation | undefined;
  readonly options: OpStoreOptions;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The OS keychain of service atmos-secrets (the token typed into the app); absent: that step is skipped. */
  readonly keychain: (() => Keychain) | undefined;
  readonly connectors: OpConnectors;
}

interface Connection {
  readonly backend: OpBackend;
  readonly choice: OpModeChoice;
  readonly tokenSource: string;
  vaults?: Promise<Map<string, string>>;
}

export class OnePasswordSecretStore implements SecretStore {
  readonly kind = 'onepassword' as const;
  readonly capabilities: StoreCapabilities = {
    versions: false,
    batchSize: 100,
    maxValueBytes: OP_MAX_VALUE_BYTES,
    scopes: ALL_SCOPES,
    local: false,
    lossyNames: false,
  };
  readonly name: string;
  private connection: Promise<Connection> | undefined;

  constructor(private readonly settings: OpStoreSettings) {
    this.name = settings.name;
  }

  locate(path: SecretPath): string {
    return this.where(path).reference;
  }

  /**
   * The items of the store's default vault (`options.vault`): one listing, titles and times, never a field or a
   * value. References name fields of items, so an entry is an item (`op://<vault>/<item>`, see listingName), and
   * it cannot be read back as a scope path (references are templates). References into other vaults are not
   * listed; without a default vault the store says it cannot be listed.
   */
  async *listManaged(): AsyncIterable<ManagedEntry> {
    const vault = this.settings.options.vault;
    if (vault === undefined) {
      throw new StoreCannotListError(
        this.name,
        'it has no default vault (options.vault), and its references may name any vault',
        { hint: `Set options.vault on stores.${this.name} to the vault its secrets live in.` },
      );
    }
    const path: SecretPath = { name: `(every item of vault ${vault})`, scope: 'global' };
    const ref: OnePasswordReference = { vault, item: '', section: undefined, field: '', reference: `op://${vault}` };
    const conn = await this.connect(path, ref);
    const vaultId = await this.vaultId(conn, path, ref);
    const items = await this.call(path, ref, () => conn.backend.listItems(vaultId));
    for (const i of items) yield { name: `op://${vault}/${i.title}`, segments: undefined, lastChanged: i.updatedAt };
  }

  /** A reference's item (`op://<vault>/<item>`): the grain of the listing. */
  listingName(locatedName: string): string {
    const m = /^op:\/\/([^/]+)\/([^/]+)/.exec(locatedName);
    return m ? `op://${m[1] ?? ''}/${m[2] ?? ''}` : locatedName;
  }

  /** Which backend this store uses and why (reads the keychain, makes no 1Password call). */
  async modeChoice(): Promise<OpModeChoice> {
    return chooseOpMode(this.settings.options.mode, await this.credentials());
  }

  /**
   * The Stores page's connection test: connects (choosing the mode), lists the vaults the token sees and checks
   * the default vault is among them. Returns one line for the page: the mode, why, and what is visible.
   */
  async testConnection(): Promise<string> {
    const vault = this.settings.options.vault;
    const path: SecretPath = { name: 'connection test', scope: 'global' };
    const ref: OnePasswordReference = {
      vault: vault ?? '',
      item: '',
      section: undefined,
      field: '',
      reference: vault === undefined ? 'no reference' : `op://${vault}/...`,
    };
    const conn = await this.connect(path, ref);
    const vaults = await this.call(path, ref, () => conn.backend.listVaults());
    if (vault !== undefined) await this.vaultId(conn, path, ref);
    const seen = `${vaults.length} vault${vaults.length === 1 ? '' : 's'} visible`;
    return `${conn.choice.mode} (${conn.choice.reason}); ${seen}${vault === undefined ? '' : `, including the default vault "${vault}"`}`;
  }

  async get(path: SecretPath): Promise<string> {
    const ref = this.where(path);
    const conn = await this.connect(path, ref);
    const vaultId = await this.vaultId(conn, path, ref);
    const item = await this.call(path, ref, () => conn.backend.getItem(vaultId, ref.item));
    return this.fieldOf(path, ref, item).value;
  }

  async set(path: SecretPath, value: string): Promise<void> {
    const ref = this.where(path);
    this.refusePersonalVault(path, ref);
    if (utf8Bytes(value) > OP_MAX_VALUE_BYTES) {
      throw new ValueTooLargeError({ secret: path.name, store: this.name }, OP_MAX_VALUE_BYTES, 'a 1Password field');
    }
    const conn = await this.connect(path, ref);
    const vaultId = await this.vaultId(conn, path, ref);
    const item = await this.call(path, ref, () => conn.backend.getItem(vaultId, ref.item));
    if (item === undefined) {
      await this.call(path, ref, () =>
        conn.backend.createItem({ vaultId, title: ref.item, section: ref.section, field: ref.field, value }),
      );
      return;
    }
    let sections: OpSection[] = [...item.sections];
    let sectionId: string | undefined;
    if (ref.section !== undefined) {
      const section = findSection(item, ref.section);
      if (section === undefined) {
        sectionId = newOpId();
        sections = [...sections, { id: sectionId, label: ref.section }];
      } else {
        sectionId = section.id;
      }
    }
    const existing = this.matchingFields(path, ref, item, sectionId);
    const fields: OpField[] =
      existing === undefined
        ? [...item.fields, { id: '', label: ref.field, sectionId, value }]
        : item.fields.map((f) => (f === existing ? { ...f, value } : f));
    await this.call(path, ref, () => conn.backend.updateItem(item, sections, fields));
  }

  async delete(path: SecretPath): Promise<boolean> {
    const ref = this.where(path);
    this.refusePersonalVault(path, ref);
    const conn = await this.connect(path, ref);
    const vaultId = await this.vaultId(conn, path, ref);
    const item = await this.call(path, ref, () => conn.backend.getItem(vaultId, ref.item));
    if (item === undefined) return false;
    let sectionId: string | undefined;
    if (ref.section !== undefined) {
      const section = findSection(item, ref.section);
      if (section === undefined) return false;
      sectionId = section.id;
    }
    const field = this.matchingFields(path, ref, item, sectionId);
    if (field === undefined) return false;
    const rest = item.fields.filter((f) => f !== field);
    if (rest.length === 0) {
      await this.call(path, ref, () => conn.backend.deleteItem(vaultId, item.id));
    } else {
      await this.call(path, ref, () => conn.backend.updateItem(item, item.sections, rest));
    }
    return true;
  }

  async status(path: SecretPath): Promise<SecretStatus> {
    return (await this.exists(path)) ? 'initialized' : 'missing';
  }

  async exists(path: SecretPath): Promise<boolean> {
    const [result] = await this.getMany([path]);
    return result?.found === true;
  }

  /** Reads each item once per batch (grouped by vault; the SDK reads a vault's items in one getAll). */
  async getMany(paths: readonly SecretPath[]): Promise<GetManyResult[]> {
    const located = paths.map((path) => ({ path, ref: this.where(path) }));
    if (located.length === 0) return [];
    const first = located[0] as { path: SecretPath; ref: OnePasswordReference };
    const conn = await this.connect(first.path, first.ref);
    const byVault = new Map<string, { path: SecretPath; ref: OnePasswordReference; index: number }[]>();
    located.forEach((entry, index) => {
      const list = byVault.get(entry.ref.vault) ?? [];
      list.push({ ...entry, index });
      byVault.set(entry.ref.vault, list);
    });
    const results = new Array<GetManyResult>(located.length);
    for (const entries of byVault.values()) {
      const head = entries[0] as { path: SecretPath; ref: OnePasswordReference };
      const vaultId = await this.vaultId(conn, head.path, head.ref);
      const items = await this.call(head.path, head.ref, () =>
        conn.backend.getItems(
          vaultId,
          entries.map((e) => e.ref.item),
        ),
      );
      entries.forEach((e, i) => {
        try {
          const value = this.fieldOf(e.path, e.ref, items[i]).value;
          results[e.index] = { path: e.path, found: true, value };
        } catch (err) {
          if (!(err instanceof OpSecretNotFoundError)) throw err;
          results[e.index] = { path: e.path, found: false };
        }
      });
    }
    return results;
  }

  async statusMany(paths: readonly SecretPath[]): Promise<SecretStatus[]> {
    return (await this.getMany(paths)).map((r) => (r.found ? 'initialized' : 'missing'));
  }

  private where(path: SecretPath): OnePasswordReference {
    return onePasswordReference(
      path,
      { vault: this.settings.options.vault },
      { store: this.name, location: this.settings.location },
    );
  }

  private subject(path: SecretPath): { secret: string; store: string } {
    return { secret: path.name, store: this.name };
  }

  /** Where a refusal about the secret points: its declaration's file and line, else the store in atmos.yaml. */
  private locationOf(path: SecretPath): SourceLocation | undefined {
    return path.source ?? this.settings.location;
  }

  private refusePersonalVault(path: SecretPath, ref: OnePasswordReference): void {
    if (PERSONAL_VAULTS.has(ref.vault.toLowerCase())) {
      throw new AppError(
        'CONFIG',
        `secret "${path.name}" (${ref.reference}) is in 1Password's built-in "${ref.vault}" vault, which neither a service account nor a Connect server can write${declaredAt(path.source)}`,
        {
          location: this.locationOf(path),
          hint: "Use a shared, named vault in the reference (or the store's `vault` option) and grant the token access to it.",
        },
      );
    }
  }

  /** The one field the reference names, or an OpSecretNotFoundError saying which part is missing. */
  private fieldOf(path: SecretPath, ref: OnePasswordReference, item: OpItem | undefined): OpField {
    const subject = this.subject(path);
    if (item === undefined) {
      throw new OpSecretNotFoundError(
        subject,
        ref.reference,
        'item',
        `vault "${ref.vault}" has no item "${ref.item}"`,
        path.source,
      );
    }
    let sectionId: string | undefined;
    if (ref.section !== undefined) {
      const section = findSection(item, ref.section);
      if (section === undefined) {
        throw new OpSecretNotFoundError(
          subject,
          ref.reference,
          'section',
          `item "${ref.item}" has no section "${ref.section}"`,
          path.source,
        );
      }
      sectionId = section.id;
    }
    const field = this.matchingFields(path, ref, item, sectionId);
    if (field === undefined) {
      throw new OpSecretNotFoundError(
        subject,
        ref.reference,
        'field',
        `item "${ref.item}" has no field "${ref.field}"`,
        path.source,
      );
    }
    return field;
  }

  /** The field the reference names (in its section when it names one); two matches are an error, not a guess. */
  private matchingFields(
    path: SecretPath,
    ref: OnePasswordReference,
    item: OpItem,
    sectionId: string | undefined,
  ): OpField | undefined {
    const matches = item.fields.filter(
      (f) => (f.label === ref.field || f.id === ref.field) && (sectionId === undefined || f.sectionId === sectionId),
    );
    if (matches.length > 1) {
      throw new AppError(
        'CONFIG',
        `secret "${path.name}" (${ref.reference}): item "${ref.item}" has ${matches.length} fields named "${ref.field}"${declaredAt(path.source)}`,
        {
          location: this.locationOf(path),
          hint: "Name the section too (op://vault/item/section/field), or use the field's ID.",
        },
      );
    }
    return matches[0];
  }

  private async credentials(): Promise<OpCredentials> {
    const o = this.settings.options;
    const env = this.settings.env;
    let stored: string | undefined | null;
    const keychainToken = async (): Promise<string | undefined> => {
      if (stored === undefined) stored = (await this.settings.keychain?.().get(storeTokenAccount(this.name))) ?? null;
      return stored ?? undefined;
    };
    const pick = async (
      option: string | undefined,
      optionName: string,
      envName: string,
      keychain: boolean,
    ): Promise<OpCredentials['connectHost']> => {
      if (option) return { value: option, source: `options.${optionName}` };
      const fromEnv = env[envName];
      if (fromEnv) return { value: fromEnv, source: `${envName} (environment)` };
      const fromKeychain = keychain ? await keychainToken() : undefined;
      return fromKeychain ? { value: fromKeychain, source: 'OS keychain' } : undefined;
    };
    return {
      connectHost: await pick(o.connectHost, 'connect_host', 'OP_CONNECT_HOST', false),
      connectToken: await pick(o.connectToken, 'connect_token', 'OP_CONNECT_TOKEN', true),
      serviceToken: await pick(o.token, 'token', 'OP_SERVICE_ACCOUNT_TOKEN', true),
    };
  }

  /** The backend, made once; a failure is not cached, so a token saved later (in the app) is used next time. */
  private connect(path: SecretPath, ref: OnePasswordReference): Promise<Connection> {
    this.connection ??= (async (): Promise<Connection> => {
      const creds = await this.credentials();
      const choice = chooseOpMode(this.settings.options.mode, creds);
      const where = `store "${this.name}" (onepassword, ${choice.mode}; ${choice.reason})`;
      // The connection test has no secret (its reference has no item): then the store itself is what cannot be reached.
      const cannot =
        ref.item === '' ? 'so it cannot be reached' : `so secret "${path.name}" (${ref.reference}) cannot be reached`;
      const keychainPlace = `the OS keychain (service ${STORE_TOKEN_SERVICE}, account ${storeTokenAccount(this.name)}; the app's Stores page saves it there)`;
      if (choice.mode === 'connect') {
        if (!creds.connectHost) {
          throw new AppError('CONFIG', `${where} has no Connect host, ${cannot}`, {
            location: this.settings.location,
            hint: 'Set options.connect_host or export OP_CONNECT_HOST (e.g. http://connect.internal:8080).',
          });
        }
        if (!creds.connectToken) {
          throw new AppError('AUTH', `${where} has no Connect token, ${cannot}`, {
            hint: `Set options.connect_token (e.g. \`connect_token: !env OP_CONNECT_TOKEN\`), export OP_CONNECT_TOKEN, or save it in ${keychainPlace}.`,
          });
        }
        const backend = await this.settings.connectors.connect({
          host: creds.connectHost.value,
          token: creds.connectToken.value,
          timeoutMs: this.settings.options.timeoutMs,
        });
        return { backend, choice, tokenSource: creds.connectToken.source };
      }
      if (!creds.serviceToken) {
        throw new AppError('AUTH', `${where} has no service-account token, ${cannot}`, {
          hint: `Set options.token (e.g. \`token: !env OP_SERVICE_ACCOUNT_TOKEN\`), export OP_SERVICE_ACCOUNT_TOKEN, or save it in ${keychainPlace}.`,
        });
      }
      const source = creds.serviceToken.source;
      try {
        return {
          backend: await this.settings.connectors.serviceAccount(creds.serviceToken.value),
          choice,
          tokenSource: source,
        };
      } catch (e) {
        if (e instanceof OpBackendError) throw this.toStoreError(e, path, ref, source, choice);
        throw e;
      }
    })();
    const made = this.connection;
    made.catch(() => {
      if (this.connection === made) this.connection = undefined;
    });
    return made;
  }

  /** The id of the reference's vault (by title or id), from one listing per connection. */
  private async vaultId(conn: Connection, path: SecretPath, ref: OnePasswordReference): Promise<string> {
    conn.vaults ??= this.call(path, ref, async () => {
      const map = new Map<string, string>();
      for (const v of await conn.backend.listVaults()) {
        map.set(v.id, v.id);
        if (!map.has(v.title)) map.set(v.title, v.id);
      }
      return map;
    });
    const listing = conn.vaults;
    listing.catch(() => {
      if (conn.vaults === listing) conn.vaults = undefined;
    });
    const id = (await listing).get(ref.vault);
    if (id === undefined) {
      throw new OpVaultNotVisibleError(
        this.subject(path),
        ref.reference,
        ref.vault,
        `Check the vault's name in the reference, and grant the ${conn.choice.mode === 'connect' ? 'Connect server' : 'service account'} access to it (token from ${conn.tokenSource}).`,
        path.source,
      );
    }
    return id;
  }

  private async call<T>(path: SecretPath, ref: OnePasswordReference, op: () => Promise<T>): Promise<T> {
    // The running operation's cancellation (operation-signal.ts): no call starts after it, and one it cut short
    // reports "cancelled", not the closed connection.
    const signal = callSignal();
    const cancelled = (): AppError =>
      new AppError(
        'CANCELLED',
        `reading or writing secret "${path.name}" (${ref.reference}) in store "${this.name}" was cancelled`,
      );
    if (signal?.aborted) throw cancelled();
    const conn = await this.connection;
    try {
      return await op();
    } catch (e) {
      if (signal?.aborted) throw cancelled();
      if (!(e instanceof OpBackendError)) throw e;
      if (e.kind === 'auth' && this.connection !== undefined) this.connection = undefined;
      throw this.toStoreError(e, path, ref, conn?.tokenSource ?? 'unknown', conn?.choice);
    }
  }

  private toStoreError(
    e: OpBackendError,
    path: SecretPath,
    ref: OnePasswordReference,
    tokenSource: string,
    choice: OpModeChoice | undefined,
  ): AppError {
    const subject = this.subject(path);
    const mode = choice?.mode ?? 'unknown mode';
    const about = `secret "${path.name}" (${ref.reference})`;
    switch (e.kind) {
      case 'auth':
        return new StoreAuthError(
          this.name,
          `1Password refused the ${mode} token from ${tokenSource} for ${about}: ${e.message}`,
          {
            hint: `Check or replace the token (${tokenSource}); the app's Stores page can save a new one in the OS keychain.`,
          },
        );
      case 'forbidden':
      case 'not-found':
        return new OpVaultNotVisibleError(
          subject,
          ref.reference,
          ref.vault,
          `1Password said: ${e.message}. Grant the token access to the vault (token from ${tokenSource}).`,
          path.source,
        );
      case 'throttled':
        return new OpThrottledError(subject, ref.reference, e.retryAfterMs);
      case 'unavailable':
        return new AppError(
          'BACKEND',
          `store "${this.name}" (1Password ${mode}) is unavailable for ${about}: ${e.message}`,
        );
      case 'other':
        return new AppError('BACKEND', `store "${this.name}" (1Password ${mode}) failed for ${about}: ${e.message}`);
      default:
        return e.kind satisfies never;
    }
  }
}

function findSection(item: OpItem, section: string): OpSection | undefined {
  return item.sections.find((s) => s.label === section || s.id === section);
}
