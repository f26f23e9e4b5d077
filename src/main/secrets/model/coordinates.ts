// Coordinates: where a declared secret's value lives, computed from config alone (no backend call). A store
// secret becomes store name + scope path + the backend's native name (the stores' naming, which refuses a path
// the backend cannot hold before any call); a SOPS secret becomes provider + file + key. Also the identity the
// backend call would use: the store's (or provider's) own, else --identity/ATMOS_IDENTITY, else the
// component's effective identity, else the SDK's default chain.
import { isPlainObject } from '../../config/merge';
import type { ComponentConfig } from '../../config';
import { AppError } from '../../../shared/errors';
import {
  coordinateKey,
  nameMapperFor,
  type PathMapper,
  type SecretPath,
  type StoreConfig,
  type StoreKind,
} from '../../stores';
import { onePasswordReferenceAt, providerLabel, type Declaration } from './declarations';
import { sopsPlacement, templateVaries, type SopsProvider, type SopsProviderKind } from './providers';
import type { StoreCatalog } from './store-catalog';

export type IdentitySource = 'store' | 'provider' | 'flag' | 'component' | 'default';

export interface ResolvedIdentity {
  /** Undefined means the SDK's default credential chain. */
  readonly name: string | undefined;
  readonly source: IdentitySource;
}

interface CoordinateBase {
  /** `store:<name>` or `sops:<name>`. */
  readonly provider: string;
  readonly path: SecretPath;
  /** Equal for every consumer that shares the value (a stack or global secret), different otherwise. */
  readonly key: string;
  readonly identity: ResolvedIdentity;
}

export interface StoreCoordinate extends CoordinateBase {
  readonly kind: 'store';
  readonly store: string;
  readonly storeKind: StoreKind;
  /** The backend's own name for the path (SSM parameter, keychain account, ...). */
  readonly nativeName: string;
}

export interface SopsCoordinate extends CoordinateBase {
  readonly kind: 'sops';
  readonly providerName: string;
  readonly providerKind: SopsProviderKind;
  /** As configured, relative to the base path unless absolute. */
  readonly file: string;
  readonly absoluteFile: string;
  /** The key inside the file. */
  readonly keyPath: string;
  /** The file template does not name the stack, so stacks can share the file. */
  readonly spansStacks: boolean;
  /** The provider as configured (its raw record holds age_key, recipients, KMS ids for the SOPS backend). */
  readonly sopsProvider: SopsProvider;
}

export type SecretCoordinate = StoreCoordinate | SopsCoordinate;

export interface CoordinateContext {
  readonly stores: StoreCatalog;
  readonly basePath: string;
  /** `--identity` / `ATMOS_IDENTITY`. */
  readonly identityOverride?: string | undefined;
}

/** Where the component is: its stack, instance name and merged sections (for its effective identity). */
export type ComponentPlace = Pick<ComponentConfig, 'stack' | 'component' | 'sections'>;

/**
 * The component's effective identity: `auth.identity` when set, else the one identity under
 * `auth.identities` marked `default: true` (how Atmos' auth config names the identity a component runs as).
 */
export function componentIdentity(sections: Readonly<Record<string, unknown>>): string | undefined {
  const auth = sections['auth'];
  if (!isPlainObject(auth)) return undefined;
  const direct = auth['identity'];
  if (typeof direct === 'string' && direct !== '') return direct;
  const identities = auth['identities'];
  if (!isPlainObject(identities)) return undefined;
  const defaults = Object.entries(identities).filter(([, v]) => isPlainObject(v) && v['default'] === true);
  return defaults.length === 1 ? defaults[0]?.[0] : undefined;
}

export function resolveIdentity(
  own: string | undefined,
  ownSource: 'store' | 'provider',
  override: string | undefined,
  component: string | undefined,
): ResolvedIdentity {
  if (own) return { name: own, source: ownSource };
  if (override) return { name: override, source: 'flag' };
  if (component) return { name: component, source: 'component' };
  return DEFAULT_IDENTITY;
}

/** The identity most coordinates have: one shared, frozen object rather than one per secret (150,000 in `list`). */
const DEFAULT_IDENTITY: ResolvedIdentity = Object.freeze({ name: undefined, source: 'default' });

// One mapper per store config: building it validates the options, which need not happen per secret.
const mappers = new WeakMap<StoreConfig, PathMapper>();
function mapperOf(config: StoreConfig): PathMapper {
  let m = mappers.get(config);
  if (!m) {
    m = nameMapperFor(config);
    mappers.set(config, m);
  }
  return m;
}

/** The scope path of a declaration in a component. */
export function secretPathOf(decl: Declaration, place: Pick<ComponentConfig, 'stack' | 'component'>): SecretPath {
  // Properties set one by one, not spread from conditional literals: `list` builds 150,000 of these, and each
  // spread made a throwaway object. Same properties, same order.
  const path: { -readonly [K in keyof SecretPath]: SecretPath[K] } = { name: decl.name, scope: decl.scope };
  if (decl.scope !== 'global') path.stack = place.stack;
  if (decl.scope === 'instance') path.component = place.component;
  if (decl.reference !== undefined) path.reference = decl.reference;
  return path;
}

/** The declaration's coordinate in this component. CONFIG errors (unmappable path, bad SOPS placement) before any call. */
export function coordinateOf(decl: Declaration, place: ComponentPlace, ctx: CoordinateContext): SecretCoordinate {
  const path = secretPathOf(decl, place);
  const backend = decl.backend;
  const effective = componentIdentity(place.sections);
  switch (backend.type) {
    case 'store': {
      const config = ctx.stores.config(backend.name);
      if (!config)
        throw new AppError('CONFIG', `secret "${decl.name}" uses store "${backend.name}", which is not configured`, {
          location: decl.location,
        });
      // A 1Password reference is written in the declaration: its refusals name the declaring file and line, at
      // load (here) and when the store is used (the item, field or vault it names is missing: `path.source`).
      const onePassword = config.kind === 'onepassword';
      const nativeName = onePassword
        ? onePasswordReferenceAt(config, decl, decl.reference, place)
        : mapperOf(config).locate(path);
      return {
        kind: 'store',
        provider: providerLabel(backend),
        store: config.name,
        storeKind: config.kind,
        path: onePassword ? { ...path, source: decl.location } : path,
        nativeName,
        // JSON, not a template: JSON.stringify makes one flat string, where a template kept for 150,000 rows keeps
        // its rope of pieces (measured: `list` peaked 45 MB higher).
        key: JSON.stringify(['store', config.name, coordinateKey(path)]),
        identity: resolveIdentity(config.identity, 'store', ctx.identityOverride, effective),
      };
    }
    case 'sops': {
      const p = backend.provider;
      const placement = sopsPlacement(
        p,
        { name: decl.name, scope: decl.scope, stack: place.stack, component: place.component },
        ctx.basePath,
      );
      return {
        kind: 'sops',
        provider: providerLabel(backend),
        providerName: p.name,
        providerKind: p.kind,
        file: placement.file,
        absoluteFile: placement.absoluteFile,
        keyPath: placement.key,
        spansStacks: p.fileTemplate !== undefined && !templateVaries(p).stack,
        sopsProvider: p,
        path,
        key: JSON.stringify(['sops', p.name, placement.absoluteFile, placement.key]),
        identity: resolveIdentity(p.identity, 'provider', ctx.identityOverride, effective),
      };
    }
    default: {
      const never: never = backend;
      throw new AppError('INTERNAL', `unexpected backend ${String(never)}`);
    }
  }
}

/** A short human description of where the value lives (never the value): for plans, confirmations and errors. */
export function describeCoordinate(c: SecretCoordinate): string {
  switch (c.kind) {
    case 'store':
      return `store "${c.store}" (${c.storeKind}) at ${c.nativeName}`;
    case 'sops':
      return `SOPS provider "${c.providerName}" (${c.providerKind}) file ${c.file} key ${c.keyPath}`;
    default: {
      const never: never = c;
      throw new AppError('INTERNAL', `unexpected coordinate ${String(never)}`);
    }
  }
}
