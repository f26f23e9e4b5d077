// Every configured store, validated once per workspace: the good ones (to build the registry and check
// declarations against) and, per bad one, its error (so validate reports them all, not just the first).
import type { Workspace } from '../../config';
import { AppError } from '../../../shared/errors';
import { parseStoreConfig, StoreRegistry, type StoreConfig, type StoreFactoryTable } from '../../stores';

export class StoreCatalog {
  private readonly byName: ReadonlyMap<string, StoreConfig>;
  private readonly failures: ReadonlyMap<string, AppError>;

  constructor(configs: readonly StoreConfig[], errors: ReadonlyMap<string, AppError> = new Map()) {
    this.byName = new Map(configs.map((c) => [c.name, c]));
    this.failures = errors;
  }

  /** From the loader's located `stores:` records, each validated on its own. */
  static fromWorkspace(ws: Pick<Workspace, 'stores'>): StoreCatalog {
    const configs: StoreConfig[] = [];
    const failures = new Map<string, AppError>();
    for (const [name, record] of Object.entries(ws.stores)) {
      try {
        configs.push(parseStoreConfig(name, record.raw, record.location));
      } catch (e) {
        if (e instanceof AppError) failures.set(name, e);
        else throw e;
      }
    }
    return new StoreCatalog(configs, failures);
  }

  /** Every configured name, valid or not, sorted. */
  names(): string[] {
    return [...new Set([...this.byName.keys(), ...this.failures.keys()])].sort();
  }

  config(name: string): StoreConfig | undefined {
    return this.byName.get(name);
  }

  configs(): StoreConfig[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Why a configured store did not load, when it did not. */
  failure(name: string): AppError | undefined {
    return this.failures.get(name);
  }

  allFailures(): AppError[] {
    return [...this.failures.values()];
  }

  /** A registry over the stores that loaded; the bad ones are reported through `failure`. */
  registry(factories: StoreFactoryTable): StoreRegistry {
    return new StoreRegistry(this.configs(), factories);
  }
}
