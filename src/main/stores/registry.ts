// The store registry: the validated `stores:` records, and store instances made lazily (once per store) by the
// factory each backend folder registers for its kind. A kind without an adapter in this build fails clearly
// when used, never with a stand-in that pretends to work.
import { AppError, type SourceLocation } from '../../shared/errors';
import type { SecretStore } from './secret-store';
import {
  loadStoreConfigs,
  parseStoreRecords,
  type LocatedStoreRecord,
  type StoreConfig,
  type StoreLocator,
} from './store-config';
import type { StoreFactory } from './store-factory';
import { isSecretCapableKind, type SecretCapableKind } from './store-kinds';

export {
  loadStoreConfigs,
  parseStoreConfig,
  parseStoreConfigs,
  parseStoreRecords,
  type LocatedStoreRecord,
  type ParsedStores,
  type StoreConfig,
  type StoreLocator,
} from './store-config';
export type { StoreFactory, StoreFactories } from './store-factory';

/** The exact refusal for `!store`/`!store.get` on a secret store (the spec fixes the wording). */
export function storeFunctionOnSecretStoreError(storeName: string, location?: SourceLocation): AppError {
  return new AppError('CONFIG', `store "${storeName}" is a secret store; use !secret instead of !store`, { location });
}

/** Throws the refusal when `!store`/`!store.get` names a secret store. */
export function assertStoreFunctionAllowed(config: StoreConfig, location?: SourceLocation): void {
  if (config.secret) throw storeFunctionOnSecretStoreError(config.name, location);
}

/** Which kinds have an adapter; each backend folder registers its own. */
export class StoreFactoryTable {
  private readonly factories = new Map<SecretCapableKind, StoreFactory>();

  register(kind: SecretCapableKind, factory: StoreFactory): this {
    if (this.factories.has(kind))
      throw new AppError('INTERNAL', `a store factory is already registered for kind "${kind}"`);
    this.factories.set(kind, factory);
    return this;
  }

  get(kind: SecretCapableKind): StoreFactory | undefined {
    return this.factories.get(kind);
  }

  kinds(): SecretCapableKind[] {
    return [...this.factories.keys()].sort();
  }
}

export class StoreRegistry {
  private readonly configs: ReadonlyMap<string, StoreConfig>;
  private readonly instances = new Map<string, SecretStore>();

  constructor(
    configs: readonly StoreConfig[],
    private readonly factories: StoreFactoryTable,
  ) {
    this.configs = new Map(configs.map((c) => [c.name, c]));
  }

  /** From the raw `stores:` section; throws the first configuration error. */
  static fromSection(stores: unknown, factories: StoreFactoryTable, locate?: StoreLocator): StoreRegistry {
    return new StoreRegistry(loadStoreConfigs(stores, locate), factories);
  }

  /** From the config loader's located records; throws the first configuration error. */
  static fromRecords(
    records: Readonly<Record<string, LocatedStoreRecord>>,
    factories: StoreFactoryTable,
  ): StoreRegistry {
    const { configs, errors } = parseStoreRecords(records);
    const first = errors[0];
    if (first) throw first;
    return new StoreRegistry(configs, factories);
  }

  names(): string[] {
    return [...this.configs.keys()].sort();
  }

  /** Every configured store (secret or not), sorted by name: for the stores page and validate. */
  list(): StoreConfig[] {
    return this.names().map((n) => this.config(n));
  }

  has(name: string): boolean {
    return this.configs.has(name);
  }

  config(name: string): StoreConfig {
    const config = this.configs.get(name);
    if (!config) {
      const known = this.names();
      throw new AppError(
        'CONFIG',
        `store "${name}" is not configured; ${known.length > 0 ? `configured stores: ${known.join(', ')}` : 'atmos.yaml has no stores'}`,
      );
    }
    return config;
  }

  /** Whether the kind's adapter is in this build (for the stores page and `validate`). */
  isAvailable(name: string): boolean {
    const kind = this.config(name).kind;
    return isSecretCapableKind(kind) && this.factories.get(kind) !== undefined;
  }

  /**
   * The store a `!secret` declaration resolves through, made on first use. Refuses a store that is not a secret
   * store, and a kind whose backend this build does not have.
   */
  secretStore(name: string): SecretStore {
    const existing = this.instances.get(name);
    if (existing) return existing;
    const config = this.config(name);
    if (!config.secret) {
      throw new AppError('CONFIG', `store "${name}" is not a secret store, so !secret cannot use it`, {
        location: config.location,
        hint: `Add \`secret: true\` to stores.${name} in atmos.yaml.`,
      });
    }
    const store = this.create(config);
    this.instances.set(name, store);
    return store;
  }

  private create(config: StoreConfig): SecretStore {
    const kind = config.kind;
    // Plaintext kinds never load as secret stores (store-config refuses `secret: true` on them).
    const factory = isSecretCapableKind(kind) ? this.factories.get(kind) : undefined;
    if (!factory) {
      throw new AppError(
        'CONFIG',
        `store "${config.name}" uses kind "${kind}", whose backend is not available in this build yet`,
        {
          location: config.location,
          hint: `Available kinds: ${this.factories.kinds().join(', ') || 'none'}. Use one of them or a SOPS provider meanwhile.`,
        },
      );
    }
    return factory(config);
  }
}
