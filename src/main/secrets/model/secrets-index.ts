// A component's secrets as the operations see them: each declaration validated and placed at its coordinate,
// computed from config only and cached per workspace load. Errors are kept per declaration, so one bad
// declaration does not hide the others (validate reports them all; set/get report the one asked for).
import type { SecretScope } from '../../stores';
import type { ComponentConfig, ComponentListing, SecretDeclaration, SecretsModelConfig, Workspace } from '../../config';
import { AppError } from '../../../shared/errors';
import { componentIdentity, coordinateOf, type CoordinateContext, type SecretCoordinate } from './coordinates';
import { parseDeclaration, type Declaration } from './declarations';
import type { StoreCatalog } from './store-catalog';

export interface PlacedSecret {
  readonly name: string;
  readonly declaration: Declaration;
  readonly coordinate: SecretCoordinate;
}

export interface BrokenSecret {
  readonly name: string;
  /** The raw declaration's position and location, for rows and reports. */
  readonly position: 'stack' | 'instance';
  readonly scope: SecretScope;
  /** `store:<x>`/`sops:<x>` as written, or '' when neither is set. */
  readonly provider: string;
  readonly required: boolean;
  readonly error: AppError;
}

/**
 * A component's secrets as a listing sees them (`SecretsIndex.listed`): `config` is the whole merged
 * configuration only for a dynamic stack (or when one was at hand); for a static stack it holds only what the
 * secrets model reads (`SecretsModelConfig`, `dynamic: false`).
 */
export interface ListedComponentSecrets {
  readonly stack: string;
  readonly component: string;
  readonly type: string;
  readonly abstract: boolean;
  readonly config: SecretsModelConfig | ComponentConfig;
  /** Valid declarations with their coordinates, sorted by name. */
  readonly secrets: readonly PlacedSecret[];
  readonly broken: readonly BrokenSecret[];
}

export interface ComponentSecrets extends ListedComponentSecrets {
  /** The whole merged configuration (vars, env, settings, ...). */
  readonly config: ComponentConfig;
}

export interface SecretsIndexOptions {
  readonly identityOverride?: string | undefined;
}

function rawProvider(fields: Readonly<Record<string, unknown>>): string {
  const store = fields['store'];
  const sops = fields['sops'];
  if (typeof store === 'string' && typeof sops !== 'string') return `store:${store}`;
  if (typeof sops === 'string' && typeof store !== 'string') return `sops:${sops}`;
  return '';
}

/** Declarations and coordinates of every component, computed on demand and cached for the workspace's life. */
/** What the model's lookups (targets, scope selection) need: the workspace and its secrets index. */
export interface SecretsModel {
  readonly workspace: Workspace;
  readonly index: SecretsIndex;
}

export class SecretsIndex {
  private readonly cache = new Map<string, ComponentSecrets>();
  private readonly listings = new Map<string, readonly ComponentListing[]>();
  /**
   * Parsed declarations by raw declaration and providers record: the loader shares both between the components
   * that inherit them (on the bench estate 12,000 declarations are 400 objects), and parsing depends on nothing
   * else (the store catalog is this index's). A failure is kept too, so a bad shared declaration fails alike.
   */
  private readonly parsed = new WeakMap<SecretDeclaration, WeakMap<object, Declaration | AppError>>();
  /**
   * The coordinates of one stack's stack-wide declarations (scope stack or global), by declaration and the
   * component's identity: every component of the stack has them (on the bench estate 50 components compute the
   * same STACK_TOKEN), and a walk (`list`) asks for a stack's components one after another. Such a coordinate
   * names no component (the scope path, the SOPS placement and a 1Password reference take the component only
   * for instance scope) and reads the component's sections only for its identity (componentIdentity).
   */
  private stackWide:
    { readonly stack: string; readonly byDeclaration: Map<Declaration, Map<unknown, SecretCoordinate>> } | undefined;

  constructor(
    readonly workspace: Workspace,
    readonly stores: StoreCatalog,
    private readonly options: SecretsIndexOptions = {},
  ) {}

  /** One component (canonical stack name). Loader errors (unknown stack or component, bad config) propagate. */
  component(stack: string, component: string, type?: string): ComponentSecrets {
    const cached = this.cache.get(`${stack}\0${type ?? ''}\0${component}`);
    if (cached) return cached;
    const result = this.build(stack, component, this.workspace.componentConfig(stack, component, type));
    this.cache.set(`${stack}\0${type ?? ''}\0${component}`, result);
    // Asked without a type, it is the same component as when asked with its type.
    this.cache.set(`${stack}\0${result.type}\0${component}`, result);
    if (type === undefined || type === this.defaultType(stack, component))
      this.cache.set(`${stack}\0\0${component}`, result);
    return result;
  }

  /**
   * Like `component`, but what it computes is not kept (one already kept is returned): a caller that walks every
   * component of the estate once (`list`) must not hold 50,000 merged configurations until the listing ends.
   */
  componentOnce(stack: string, component: string, type?: string): ComponentSecrets {
    return (
      this.cache.get(`${stack}\0${type ?? ''}\0${component}`) ??
      this.build(stack, component, this.workspace.componentConfig(stack, component, type))
    );
  }

  /**
   * Like `componentOnce`, for a listing: in a static stack only what the secrets model reads is merged
   * (`Workspace.secretsModelConfig`), so its `config` lacks vars, env, settings and the rest. Same secrets,
   * coordinates and errors as `component`.
   */
  listed(stack: string, component: string, type?: string): ListedComponentSecrets {
    return (
      this.cache.get(`${stack}\0${type ?? ''}\0${component}`) ??
      this.build(stack, component, this.workspace.secretsModelConfig(stack, component, type))
    );
  }

  private build(stack: string, component: string, config: ComponentConfig): ComponentSecrets;
  private build(stack: string, component: string, config: SecretsModelConfig | ComponentConfig): ListedComponentSecrets;
  private build(
    stack: string,
    component: string,
    config: SecretsModelConfig | ComponentConfig,
  ): ListedComponentSecrets {
    const ctx = {
      stores: this.stores,
      basePath: this.workspace.basePath,
      identityOverride: this.options.identityOverride,
    };
    const secrets: PlacedSecret[] = [];
    const broken: BrokenSecret[] = [];
    for (const name of Object.keys(config.secretDeclarations).sort()) {
      const raw = config.secretDeclarations[name];
      if (!raw) continue;
      try {
        const declaration = this.parse(raw, config.secretProviders);
        secrets.push({ name, declaration, coordinate: this.coordinate(declaration, config, ctx) });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        broken.push({
          name,
          position: raw.position,
          scope: raw.scope,
          provider: rawProvider(raw.fields),
          required: raw.fields['required'] === true,
          error: e,
        });
      }
    }
    return { stack, component, type: config.type, abstract: config.abstract, config, secrets, broken };
  }

  private coordinate(
    declaration: Declaration,
    config: SecretsModelConfig | ComponentConfig,
    ctx: CoordinateContext,
  ): SecretCoordinate {
    if (declaration.scope === 'instance') return coordinateOf(declaration, config, ctx);
    if (this.stackWide?.stack !== config.stack) this.stackWide = { stack: config.stack, byDeclaration: new Map() };
    let byIdentity = this.stackWide.byDeclaration.get(declaration);
    if (!byIdentity) this.stackWide.byDeclaration.set(declaration, (byIdentity = new Map()));
    const identity = componentIdentity(config.sections);
    let coordinate = byIdentity.get(identity);
    // A declaration whose coordinate cannot be made throws here for each component, as without the cache.
    if (!coordinate) byIdentity.set(identity, (coordinate = coordinateOf(declaration, config, ctx)));
    return coordinate;
  }

  private parse(raw: SecretDeclaration, providers: SecretsModelConfig['secretProviders']): Declaration {
    let byProviders = this.parsed.get(raw);
    if (!byProviders) {
      byProviders = new WeakMap();
      this.parsed.set(raw, byProviders);
    }
    let result = byProviders.get(providers);
    if (!result) {
      try {
        result = parseDeclaration(raw, this.stores, providers);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        result = e;
      }
      byProviders.set(providers, result);
    }
    if (result instanceof AppError) throw result;
    return result;
  }

  private defaultType(stack: string, component: string): string | undefined {
    return this.listing(stack).find((c) => c.name === component)?.type;
  }

  /** The loader's component listing of a stack, kept for the workspace's life. */
  listing(stack: string): readonly ComponentListing[] {
    let l = this.listings.get(stack);
    if (!l) {
      l = this.workspace.components(stack);
      this.listings.set(stack, l);
    }
    return l;
  }

  /** The deployable (non-abstract) components of a stack, as listed by the loader. */
  deployable(stack: string): { readonly name: string; readonly type: string }[] {
    return this.listing(stack).filter((c) => !c.abstract);
  }
}
