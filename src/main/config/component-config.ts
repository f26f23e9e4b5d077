// The merged configuration of one component in one stack. Order per section: global (top-level, then
// `<type>.<section>`) -> base components (`metadata.component`/legacy `component:` naming another component,
// then `metadata.inherits` in order, each base's own bases first) -> the component -> `overrides`.
// `metadata` is inherited except `inherits` and `type`. Secrets declarations are stamped with the scope their
// position implies ('stack' for a stack's top-level `secrets:`, 'instance' for a component's) and keep the file
// and line of the declaration that won.
import { AppError, type SourceLocation } from '../../shared/errors';
import { isPlainObject, Merger, toListMergeStrategy, type ListMergeStrategy } from './merge';
import { type OverridesLayer, type StackData } from './stack';
import { locationOfKey } from './yaml-parse';

export type SecretScope = 'stack' | 'instance' | 'global';

/** One merged `secrets.vars.<NAME>` declaration. */
export interface SecretDeclaration {
  readonly name: string;
  /** The merged raw fields, `scope` included. */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly scope: SecretScope;
  /** The position of the declaration that won: a stack's top-level block or a component's. */
  readonly position: 'stack' | 'instance';
  readonly location: SourceLocation;
}

/** A `secrets.providers.<name>` record from atmos.yaml, a stack's top level or a component (nearest wins). */
export interface ProviderRecord {
  readonly name: string;
  readonly raw: Readonly<Record<string, unknown>>;
  readonly level: 'config' | 'stack' | 'instance';
  readonly location: SourceLocation;
}

export interface ComponentConfig {
  readonly stack: string;
  /** The component instance name (the key under `components.<type>`). */
  readonly component: string;
  readonly type: string;
  readonly abstract: boolean;
  /** The component folder: `metadata.component`, else a legacy `component:` base's, else the instance name. */
  readonly folder: string;
  /** Base components in merge order. */
  readonly inheritance: readonly string[];
  /** Manifest path relative to stacks.base_path, without extension. */
  readonly manifest: string;
  readonly listMergeStrategy: ListMergeStrategy;
  /** Every merged section: vars, env, settings, metadata, secrets, backend, providers, ... */
  readonly sections: Readonly<Record<string, unknown>>;
  readonly secretDeclarations: Readonly<Record<string, SecretDeclaration>>;
  readonly secretProviders: Readonly<Record<string, ProviderRecord>>;
  /** False when no file behind this stack holds a YAML function or template (nothing to mask or evaluate). */
  readonly dynamic: boolean;
}

/**
 * The sections of a component's merged configuration the secrets model reads besides `secrets` (which
 * SecretsMemo merges apart): `auth`, the component's effective identity (`componentIdentity` in
 * secrets/model/coordinates.ts), which every coordinate's identity falls back to. `mergeSecretsModel` merges
 * only these, so a section the model starts reading must be named here, or a listing would not see it.
 */
export const SECRETS_MODEL_SECTIONS = ['auth'] as const;

export type SecretsModelSection = (typeof SECRETS_MODEL_SECTIONS)[number];

/** The merged SECRETS_MODEL_SECTIONS of a component, nothing else (a section no layer sets is absent). */
export type SecretsModelSections = { readonly [K in SecretsModelSection]?: unknown };

/**
 * A component of a static stack (no YAML function or template behind it) merged for the secrets model alone:
 * its declarations, providers and SECRETS_MODEL_SECTIONS. vars, env, settings, metadata and the rest are not
 * merged: ask `Workspace.componentConfig` for those.
 */
export interface SecretsModelConfig {
  readonly stack: string;
  readonly component: string;
  readonly type: string;
  readonly abstract: boolean;
  readonly sections: SecretsModelSections;
  readonly secretDeclarations: Readonly<Record<string, SecretDeclaration>>;
  readonly secretProviders: Readonly<Record<string, ProviderRecord>>;
  /** Always false: a dynamic stack's component is evaluated whole, as `ComponentConfig`. */
  readonly dynamic: false;
}

/** Sections the global (stack-level) layer contributes to every component. */
const GLOBAL_SECTIONS = [
  'vars',
  'env',
  'settings',
  'hooks',
  'providers',
  'backend_type',
  'backend',
  'remote_state_backend_type',
  'remote_state_backend',
  'auth',
  'command',
  'dependencies',
  'generate',
  'required_providers',
  'required_version',
] as const;

/** Keys of a component's configuration that steer inheritance rather than being sections. */
const NON_SECTIONS = new Set(['metadata', 'component', 'secrets']);

export interface StackComponents {
  readonly stack: StackData;
  readonly type: string;
  readonly globalStrategy: ListMergeStrategy;
  readonly configProviders: Readonly<
    Record<string, { readonly raw: Readonly<Record<string, unknown>>; readonly location: SourceLocation }>
  >;
  /** Cache of each component's own configuration merged across files. */
  readonly own: Map<string, Readonly<Record<string, unknown>>>;
  /** Cache of each component's base chain. */
  readonly chains: Map<string, readonly string[]>;
  /** Per base chain: the bases, the strategy so far, secrets blocks and merged prefixes. */
  readonly chainInfos: Map<string, ChainInfo>;
  /**
   * The chain of a component whose one direct base is the key: that base's chain, then the base. One array for
   * every component that inherits just that base (most do), so `chainInfo` finds its info by the array itself.
   */
  viaBase?: Map<string, readonly string[]>;
  /** chainInfos by chain array (the arrays `viaBase` shares): no key string to build per component. */
  chainInfoOf?: WeakMap<readonly string[], ChainInfo>;
  /** The stack's own `secrets` blocks, found once per stack and type. */
  blocks?: { readonly stack: readonly SecretsBlockSource[] };
  /** Shared by the whole workspace: merged secrets per distinct list of blocks. */
  readonly secretsMemo: SecretsMemo;
}

type MergedSecrets = ReturnType<typeof mergeSecrets>;

/**
 * Merged `secrets` blocks, keyed by the identity of the blocks merged. Parsed files are shared by every stack
 * that imports them, so the components of different stacks that inherit the same bases under the same stack-level
 * blocks merge the same blocks: on a 1,000-stack estate a few hundred merges instead of 60,000. Results are shared
 * between components, read-only like the rest of a merge.
 */
export class SecretsMemo {
  private readonly ids = new Map<unknown, number>();
  private readonly merged = new Map<string, MergedSecrets>();

  get(
    sources: readonly SecretsBlockSource[],
    configProviders: StackComponents['configProviders'],
    where: string,
  ): MergedSecrets {
    let key = '';
    for (const { block, position } of sources) {
      let id = this.ids.get(block);
      if (id === undefined) this.ids.set(block, (id = this.ids.size));
      key += `${id}${position === 'stack' ? 's' : 'i'},`;
    }
    let m = this.merged.get(key);
    if (!m) this.merged.set(key, (m = mergeSecrets(sources, configProviders, where)));
    return m;
  }
}

function stackBlocks(sc: StackComponents): NonNullable<StackComponents['blocks']> {
  if (sc.blocks) return sc.blocks;
  const stack: SecretsBlockSource[] = [];
  const add = (list: SecretsBlockSource[], block: unknown, layerFile: string, site: BlockSite): void => {
    if (block !== undefined && block !== null) list.push({ block, position: 'stack', layerFile, site, owner: '' });
  };
  for (const l of sc.stack.layers) {
    add(stack, l.doc['secrets'], l.file, 'secrets');
    add(stack, section(l.doc[sc.type], 'secrets'), l.file, 'type.secrets');
  }
  sc.blocks = { stack };
  return sc.blocks;
}

/** The component's own configuration merged across the files that mention it (no inheritance yet). */
export function ownConfig(sc: StackComponents, name: string): Readonly<Record<string, unknown>> | undefined {
  const cached = sc.own.get(name);
  if (cached) return cached;
  const layers = sc.stack.components.get(sc.type)?.get(name);
  if (!layers) return undefined;
  const merged = new Merger(sc.globalStrategy).mergeAll(layers.map((l) => l.config));
  const value = isPlainObject(merged) ? merged : {};
  sc.own.set(name, value);
  return value;
}

function metadataOf(cfg: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const m = cfg['metadata'];
  return isPlainObject(m) ? m : {};
}

/** True when the component's own (not inherited) metadata says `type: abstract`. */
export function isAbstract(sc: StackComponents, name: string): boolean {
  return metadataOf(ownConfig(sc, name) ?? {})['type'] === 'abstract';
}

/** Base components in merge order (each base's own bases first), without duplicates. */
export function baseChain(sc: StackComponents, name: string, visiting: readonly string[] = []): readonly string[] {
  const cached = sc.chains.get(name);
  if (cached) return cached;
  const chain = computeChain(sc, name, visiting);
  sc.chains.set(name, chain);
  return chain;
}

const NO_BASES: readonly string[] = Object.freeze([]);

function computeChain(sc: StackComponents, name: string, visiting: readonly string[]): readonly string[] {
  const cfg = ownConfig(sc, name) ?? {};
  const meta = metadataOf(cfg);
  const direct: string[] = [];
  const exists = (n: string): boolean => sc.stack.components.get(sc.type)?.has(n) === true;
  const metaComponent = meta['component'];
  if (typeof metaComponent === 'string' && metaComponent !== name && exists(metaComponent)) direct.push(metaComponent);
  const legacy = cfg['component'];
  if (typeof legacy === 'string' && legacy !== name && exists(legacy) && !direct.includes(legacy)) direct.push(legacy);
  const inherits = meta['inherits'];
  if (inherits !== undefined && inherits !== null) {
    if (!Array.isArray(inherits)) {
      throw new AppError('CONFIG', `metadata.inherits of component "${name}" must be a list of component names`, {
        location: { file: sc.stack.file },
        hint: 'Write metadata: {inherits: [base-a, base-b]}.',
      });
    }
    for (const b of inherits) {
      if (typeof b !== 'string' || !exists(b)) {
        throw new AppError(
          'CONFIG',
          `component "${name}" inherits from "${String(b)}", which is not defined in stack ${sc.stack.name}`,
          {
            location: { file: sc.stack.file },
            hint: `Define components.${sc.type}.${String(b)} (it may be abstract) in this stack or its imports.`,
          },
        );
      }
      direct.push(b);
    }
  }
  if (direct.length === 0) return NO_BASES;
  const inner = [...visiting, name];
  const cycleAt = (b: string): void => {
    if (b !== name && !visiting.includes(b)) return;
    throw new AppError('CONFIG', `inheritance cycle: ${[...inner, b].join(' -> ')} in stack ${sc.stack.name}`, {
      location: { file: sc.stack.file },
      hint: 'Remove one of these metadata.inherits / metadata.component links.',
    });
  };
  const only = direct.length === 1 ? direct[0] : undefined;
  if (only !== undefined) {
    cycleAt(only);
    const viaBase = (sc.viaBase ??= new Map());
    let chain = viaBase.get(only);
    // The base's own chain never holds the base (that would be a cycle), so nothing repeats.
    if (!chain) viaBase.set(only, (chain = [...baseChain(sc, only, inner), only]));
    return chain;
  }
  const out: string[] = [];
  for (const b of direct) {
    cycleAt(b);
    for (const x of baseChain(sc, b, inner)) if (!out.includes(x)) out.push(x);
    if (!out.includes(b)) out.push(b);
  }
  return out;
}

/** A settings section's `list_merge_strategy`; `where` + `name` are joined only when the value is wrong. */
function strategyFrom(v: unknown, where: string, name = ''): ListMergeStrategy | undefined {
  if (!isPlainObject(v)) return undefined;
  const s = v['list_merge_strategy'];
  if (s === undefined || s === null || s === '' || s === 'replace' || s === 'append' || s === 'merge')
    return s === undefined || s === null || s === '' ? undefined : s;
  return toListMergeStrategy(s, `${where}${name}`);
}

function section(v: unknown, key: string): unknown {
  return isPlainObject(v) ? v[key] : undefined;
}

export interface SecretsBlockSource {
  readonly block: unknown;
  readonly position: 'stack' | 'instance';
  /** Where the block sits; read only by declarationSources (provenance), never by the merge. */
  // Where the block sits, read only by provenance (provenance.ts), never by the merge. Flat fields, so the
  // load allocates nothing more for it.
  /** The manifest layer holding the block. */
  readonly layerFile: string;
  readonly site: BlockSite;
  /** The component whose block it is (itself or a base) for the `component` site; '' otherwise. */
  readonly owner: string;
}

/**
 * Where a `secrets` block sits in its layer: `secrets` / `<type>.secrets` (stack level), a component's
 * (`components.<type>.<owner>.secrets`), or `overrides.secrets` / `<type>.overrides.secrets`.
 */
export type BlockSite = 'secrets' | 'type.secrets' | 'component' | 'overrides' | 'type.overrides';

const NO_SECRETS = Object.freeze({ section: undefined, decls: Object.freeze({}), providers: Object.freeze({}) }) as {
  section: undefined;
  decls: Record<string, SecretDeclaration>;
  providers: Record<string, ProviderRecord>;
};

/** Merge all `secrets` blocks in order, stamping each declaration's scope from its position. */
function mergeSecrets(
  sources: readonly SecretsBlockSource[],
  configProviders: StackComponents['configProviders'],
  where: string,
): {
  section: Record<string, unknown> | undefined;
  decls: Record<string, SecretDeclaration>;
  providers: Record<string, ProviderRecord>;
} {
  if (sources.length === 0 && Object.keys(configProviders).length === 0) return NO_SECRETS;
  const merger = new Merger('replace');
  const decls: Record<string, SecretDeclaration> = {};
  const providers: Record<string, ProviderRecord> = {};
  for (const [name, p] of Object.entries(configProviders))
    providers[name] = { name, raw: p.raw, level: 'config', location: p.location };
  let other: Record<string, unknown> | undefined;
  const stackProviders: Record<string, unknown> = {};
  let any = false;
  for (const { block, position } of sources) {
    if (block === undefined || block === null) continue;
    if (!isPlainObject(block))
      throw new AppError('CONFIG', `secrets must be a mapping with vars and providers (${where})`, {
        hint: 'Write secrets: {vars: {...}, providers: {...}}.',
      });
    any = true;
    for (const [key, value] of Object.entries(block)) {
      if (key === 'vars') {
        if (value === null || value === undefined) continue;
        if (!isPlainObject(value)) {
          throw new AppError('CONFIG', 'secrets.vars must be a mapping of secret names', {
            location: locationOfKey(block, 'vars') ?? { file: '' },
            hint: 'Write secrets: {vars: {NAME: {store: ...}}}.',
          });
        }
        for (const [name, decl] of Object.entries(value)) {
          const location = locationOfKey(value, name) ?? { file: '' };
          const fields = decl === null || decl === undefined ? {} : decl;
          if (!isPlainObject(fields)) {
            throw new AppError('CONFIG', `secret "${name}" must be a mapping (description, store or sops, ...)`, {
              location,
              hint: `Write ${name}: {store: <store>} or ${name}: {sops: <provider>}.`,
            });
          }
          const declared = fields['scope'];
          const implied: SecretScope = position;
          const scope: SecretScope = declared === 'global' ? 'global' : implied;
          // A scope that contradicts the position stays in the fields: the engine refuses that one secret with
          // the spec's message (secrets/model/declarations.ts), so the component's other problems still show.
          const contradicts = declared !== undefined && declared !== null && declared !== '' && declared !== scope;
          const merged = merger.merge(decls[name]?.fields, contradicts ? fields : { ...fields, scope });
          decls[name] = { name, fields: isPlainObject(merged) ? merged : {}, scope, position, location };
        }
      } else if (key === 'providers') {
        if (!isPlainObject(value)) continue;
        for (const [name, p] of Object.entries(value)) {
          if (!isPlainObject(p)) continue;
          const prev = providers[name];
          const raw = prev && prev.level !== 'config' ? merger.merge(prev.raw, p) : p;
          providers[name] = {
            name,
            raw: isPlainObject(raw) ? raw : p,
            level: position,
            location: locationOfKey(value, name) ?? { file: '' },
          };
          stackProviders[name] = providers[name].raw;
        }
      } else {
        const o = merger.own(other ?? {});
        o[key] = merger.merge(o[key], value);
        other = o;
      }
    }
  }
  if (!any) return { section: undefined, decls, providers };
  const sectionOut: Record<string, unknown> = { ...(other ?? {}) };
  if (Object.keys(stackProviders).length > 0) sectionOut['providers'] = stackProviders;
  const vars: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(decls)) vars[name] = d.fields;
  if (Object.keys(vars).length > 0) sectionOut['vars'] = vars;
  return { section: sectionOut, decls, providers };
}

interface MergedPrefix {
  readonly sections: Record<string, unknown>;
  readonly metadata: unknown;
}

/** What the components of a stack that share a base chain share: bases, strategy so far, secrets blocks. */
interface ChainInfo {
  readonly baseConfigs: readonly Readonly<Record<string, unknown>>[];
  /** The list strategy after atmos.yaml, the stack's settings and the bases' (the component may change it). */
  readonly strategy: ListMergeStrategy;
  /** The stack's secrets blocks, then the bases', in merge order. */
  readonly secretSources: readonly SecretsBlockSource[];
  /** The merged global + base sections, per final list strategy. */
  readonly prefixes: Map<ListMergeStrategy, MergedPrefix>;
  /** The same restricted to SECRETS_MODEL_SECTIONS (mergeSecretsModel), per final list strategy. */
  readonly modelPrefixes: Map<ListMergeStrategy, Record<string, unknown>>;
}

const NO_OVERRIDES: readonly OverridesLayer[] = [];

function applicableOverrides(sc: StackComponents, name: string): readonly OverridesLayer[] {
  const defined = sc.stack.components.get(sc.type)?.get(name) ?? [];
  return sc.stack.overrides.filter((o) => defined.some((d) => d.index >= o.first && d.index <= o.last));
}

function chainInfo(
  sc: StackComponents,
  bases: readonly string[],
  atmosSettings: Readonly<Record<string, unknown>>,
): ChainInfo {
  const chainInfoOf = (sc.chainInfoOf ??= new WeakMap());
  const shared = chainInfoOf.get(bases);
  if (shared) return shared;
  const key = bases.join('\0');
  const cached = sc.chainInfos.get(key);
  if (cached) {
    chainInfoOf.set(bases, cached);
    return cached;
  }
  const { stack, type } = sc;
  const globals = stack.globals;
  const baseConfigs = bases.map((b) => ownConfig(sc, b) ?? {});
  let strategy: ListMergeStrategy = sc.globalStrategy;
  strategy = strategyFrom(atmosSettings, 'atmos.yaml settings') ?? strategy;
  strategy = strategyFrom(globals['settings'], 'settings of stack ', stack.name) ?? strategy;
  strategy = strategyFrom(section(globals[type], 'settings'), `${type}.settings of stack `, stack.name) ?? strategy;
  baseConfigs.forEach((c, i) => {
    strategy = strategyFrom(c['settings'], 'component settings of ', bases[i]) ?? strategy;
  });
  const secretSources: SecretsBlockSource[] = [...stackBlocks(sc).stack];
  const componentLayers = stack.components.get(type);
  for (const b of bases) {
    for (const cl of componentLayers?.get(b) ?? [])
      if (cl.config['secrets'] !== undefined)
        secretSources.push({
          block: cl.config['secrets'],
          position: 'instance',
          layerFile: cl.file,
          site: 'component',
          owner: b,
        });
  }
  const info: ChainInfo = { baseConfigs, strategy, secretSources, prefixes: new Map(), modelPrefixes: new Map() };
  sc.chainInfos.set(key, info);
  chainInfoOf.set(bases, info);
  return info;
}

/** The global sections merged with the base components' sections and inheritable metadata (memoised per chain). */
function basePrefix(sc: StackComponents, chain: ChainInfo, strategy: ListMergeStrategy): MergedPrefix {
  const cached = chain.prefixes.get(strategy);
  if (cached) return cached;
  const globals = sc.stack.globals;
  const typeGlobals = globals[sc.type];
  const merger = new Merger(strategy);
  let out: Record<string, unknown> = {};
  const put = (k: string, value: unknown): void => {
    if (value === undefined) return;
    out = merger.own(out);
    out[k] = merger.merge(out[k], value);
  };
  for (const k of GLOBAL_SECTIONS) {
    put(k, globals[k]);
    put(k, section(typeGlobals, k));
  }
  let metadata: unknown = undefined;
  for (const c of chain.baseConfigs) {
    for (const k of Object.keys(c)) if (!NON_SECTIONS.has(k)) put(k, c[k]);
    const m = metadataOf(c);
    if ('inherits' in m || 'type' in m) {
      const { inherits: _i, type: _t, ...inheritable } = m;
      metadata = merger.merge(metadata, inheritable);
    } else metadata = merger.merge(metadata, m);
  }
  const prefix = { sections: out, metadata };
  chain.prefixes.set(strategy, prefix);
  return prefix;
}

/**
 * basePrefix restricted to SECRETS_MODEL_SECTIONS: each section is merged on its own, so the same layers in the
 * same order give the same value as in the full merge.
 */
function modelPrefix(sc: StackComponents, chain: ChainInfo, strategy: ListMergeStrategy): Record<string, unknown> {
  const cached = chain.modelPrefixes.get(strategy);
  if (cached) return cached;
  const globals = sc.stack.globals;
  const typeGlobals = globals[sc.type];
  const merger = new Merger(strategy);
  const out: Record<string, unknown> = {};
  for (const k of SECRETS_MODEL_SECTIONS) {
    const layers: unknown[] = [];
    if ((GLOBAL_SECTIONS as readonly string[]).includes(k)) layers.push(globals[k], section(typeGlobals, k));
    if (!NON_SECTIONS.has(k)) for (const c of chain.baseConfigs) layers.push(c[k]);
    putSection(merger, out, k, layers);
  }
  chain.modelPrefixes.set(strategy, out);
  return out;
}

/** Merge `layers` into `out[k]` as the full merge's `put` does: an undefined layer is skipped. */
function putSection(merger: Merger, out: Record<string, unknown>, k: string, layers: readonly unknown[]): void {
  for (const value of layers) if (value !== undefined) out[k] = merger.merge(out[k], value);
}

/**
 * Secrets blocks in merge order: every stack-level block (top level and `<type>.secrets`, in the manifest and
 * its imports), then the bases' (per chain), the component's own, and the overrides'.
 */
function secretBlockSources(
  sc: StackComponents,
  name: string,
  chain: ChainInfo,
  applicable: readonly OverridesLayer[],
): readonly SecretsBlockSource[] {
  const { stack, type } = sc;
  let sources = chain.secretSources;
  const add = (block: unknown, layerFile: string, site: BlockSite): void => {
    if (sources === chain.secretSources) sources = [...sources];
    (sources as SecretsBlockSource[]).push({ block, position: 'instance', layerFile, site, owner: name });
  };
  for (const cl of stack.components.get(type)?.get(name) ?? [])
    if (cl.config['secrets'] !== undefined) add(cl.config['secrets'], cl.file, 'component');
  for (const o of applicable) {
    // Each file's block separately, so every declaration keeps its own file and line.
    const top = section(o.doc['overrides'], 'secrets');
    if (top !== undefined && top !== null) add(top, o.file, 'overrides');
    const typed = section(section(o.doc[type], 'overrides'), 'secrets');
    if (typed !== undefined && typed !== null) add(typed, o.file, 'type.overrides');
  }
  return sources;
}

/**
 * The secrets blocks a component merges, in merge order, each with where it sits (for provenance: computed on
 * request, so loading pays nothing for it). Undefined when the stack has no such component.
 */
export function componentSecretBlocks(
  sc: StackComponents,
  name: string,
  atmosSettings: Readonly<Record<string, unknown>>,
): readonly SecretsBlockSource[] | undefined {
  if (!ownConfig(sc, name)) return undefined;
  const chain = chainInfo(sc, baseChain(sc, name), atmosSettings);
  const applicable = sc.stack.overrides.length === 0 ? NO_OVERRIDES : applicableOverrides(sc, name);
  return secretBlockSources(sc, name, chain, applicable);
}

/** What both merges of a component start from: its layers, its overrides and its final list strategy. */
function componentLayers(sc: StackComponents, name: string, atmosSettings: Readonly<Record<string, unknown>>) {
  const own = ownConfig(sc, name);
  if (!own) {
    throw new AppError('NOT_FOUND', `component "${name}" is not defined in stack ${sc.stack.name}`, {
      hint: 'Run describe stacks to see the components of each stack.',
    });
  }
  const { stack, type } = sc;
  const bases = baseChain(sc, name);
  const chain = chainInfo(sc, bases, atmosSettings);
  // Overrides apply to the components defined in their file or the files it imports (Atmos' rule), the
  // importing file's on top.
  const applicable = stack.overrides.length === 0 ? NO_OVERRIDES : applicableOverrides(sc, name);
  let overrides: unknown = undefined;
  if (applicable.length > 0) {
    const om = new Merger(sc.globalStrategy);
    for (const o of applicable) {
      overrides = om.merge(overrides, o.doc['overrides']);
      overrides = om.merge(overrides, section(o.doc[type], 'overrides'));
    }
  }

  // The last non-empty list_merge_strategy wins: atmos.yaml, the stack and the bases (per chain), then the
  // component and the overrides.
  let strategy: ListMergeStrategy = chain.strategy;
  strategy = strategyFrom(own['settings'], 'component settings of ', name) ?? strategy;
  strategy = strategyFrom(section(overrides, 'settings'), 'overrides.settings of stack ', stack.name) ?? strategy;
  return { own, bases, chain, applicable, overrides, strategy };
}

/**
 * Merge what the secrets model reads of one component: its secrets blocks (shared through SecretsMemo) and
 * SECRETS_MODEL_SECTIONS, each merged from the same layers in the same order as `mergeComponent` merges it, so
 * the values are the same. For a static stack only: nothing is evaluated. NOT_FOUND as `mergeComponent`.
 */
export function mergeSecretsModel(
  sc: StackComponents,
  name: string,
  atmosSettings: Readonly<Record<string, unknown>>,
): SecretsModelConfig {
  const { own, chain, applicable, overrides, strategy } = componentLayers(sc, name, atmosSettings);
  const prefix = modelPrefix(sc, chain, strategy);
  let sections = prefix;
  for (const k of SECRETS_MODEL_SECTIONS) {
    if (NON_SECTIONS.has(k)) continue;
    const layers = [own[k], section(overrides, k)];
    if (layers.every((l) => l === undefined)) continue;
    // Copy-on-write: the prefix is shared by the chain's components.
    if (sections === prefix) sections = { ...prefix };
    putSection(new Merger(strategy), sections, k, layers);
  }
  const sources = secretBlockSources(sc, name, chain, applicable);
  const secrets = sc.secretsMemo.get(sources, sc.configProviders, `stack ${sc.stack.name}, component ${name}`);
  return {
    stack: sc.stack.name,
    component: name,
    type: sc.type,
    abstract: metadataOf(own)['type'] === 'abstract',
    sections,
    secretDeclarations: secrets.decls,
    secretProviders: secrets.providers,
    dynamic: false,
  };
}

/** Merge one component of a stack. Throws NOT_FOUND when the stack has no such component of that type. */
export function mergeComponent(
  sc: StackComponents,
  name: string,
  atmosSettings: Readonly<Record<string, unknown>>,
): ComponentConfig {
  const { own, bases, chain, applicable, overrides, strategy } = componentLayers(sc, name, atmosSettings);
  const { stack, type } = sc;

  // Global sections and bases, shared by the components of this stack with the same bases and strategy; the
  // component's own layers are merged on top, copy-on-write, so the shared prefix is never changed.
  const prefix = basePrefix(sc, chain, strategy);
  const merger = new Merger(strategy);
  let out: Record<string, unknown> = prefix.sections;
  const put = (key: string, value: unknown): void => {
    if (value === undefined) return;
    out = merger.own(out);
    out[key] = merger.merge(out[key], value);
  };
  const addSections = (cfg: Readonly<Record<string, unknown>>): void => {
    for (const key of Object.keys(cfg)) if (!NON_SECTIONS.has(key)) put(key, cfg[key]);
  };
  let metadata: unknown = prefix.metadata;
  addSections(own);
  metadata = merger.merge(metadata, metadataOf(own));
  if (isPlainObject(overrides)) addSections(overrides);
  out = merger.own(out);
  out['metadata'] = isPlainObject(metadata) ? metadata : {};

  const sources = secretBlockSources(sc, name, chain, applicable);
  const secrets = sc.secretsMemo.get(sources, sc.configProviders, `stack ${stack.name}, component ${name}`);
  if (secrets.section) out['secrets'] = secrets.section;

  const meta = out['metadata'] as Record<string, unknown>;
  const legacy = own['component'];
  // A legacy `component:` names the folder only when it is a defined base (Atmos' goldens show the instance
  // name otherwise).
  const legacyBase = typeof legacy === 'string' && sc.stack.components.get(type)?.has(legacy) ? legacy : undefined;
  const folder = typeof meta['component'] === 'string' ? meta['component'] : (legacyBase ?? name);
  return {
    stack: stack.name,
    component: name,
    type,
    abstract: metadataOf(own)['type'] === 'abstract',
    folder,
    inheritance: bases,
    manifest: stack.relPath,
    listMergeStrategy: strategy,
    sections: out,
    secretDeclarations: secrets.decls,
    secretProviders: secrets.providers,
    dynamic: stack.dynamic,
  };
}
