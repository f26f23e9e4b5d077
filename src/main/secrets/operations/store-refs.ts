// `!store` and `!store.get` on plain (not `secret: true`) stores, evaluated for `describe` as Atmos does: the
// config loader leaves each one as a StoreRef; here they are found in a component's merged sections, read
// through the store adapters (one batched read per store where the backend has one), decoded as Atmos decodes a
// stored value (JSON when it parses, else the text), narrowed by `| query`, and written over the expression in
// the described output. A key the store does not hold takes `| default`, else fails naming the key and the fix.
// Redis and Artifactory have no adapter here: their expressions stay as written and a note says so in words.
// A `!store` on a secret store never gets here: describe refuses it first, with the spec's message.
import { StoreRef, type Workspace } from '../../config';
import { isPlainObject } from '../../config/merge';
import { queryPath } from '../../config/yq-path';
import { AppError } from '../../../shared/errors';
import {
  builtInStoreFactories,
  isPlaintextKind,
  isSecretCapableKind,
  isSecretNotFound,
  type SecretPath,
  type SecretStore,
  type StoreFactoryTable,
} from '../../stores';
import { identityResolverFor, type ServiceDeps } from '../compose';
import { legacySourceOf, legacySourcePath } from '../model/legacy-stores';
import { StoreCatalog } from '../model/store-catalog';

/** The sections `describe` prints that can hold references (the same keys in the merged and described forms). */
export const REFERENCE_SECTIONS = ['backend', 'vars', 'env', 'settings', 'metadata', 'secrets'] as const;

/** One `!store`/`!store.get` in a component: its section, its position inside that section, the reference. */
export interface StoreRefSite {
  readonly section: string;
  readonly path: readonly (string | number)[];
  readonly ref: StoreRef;
}

/** What a store name opens to: an adapter to read through, or why its expressions stay unevaluated. */
export type StoreOpening =
  { readonly kind: 'store'; readonly store: SecretStore } | { readonly kind: 'skipped'; readonly reason: string };

export type StoreOpener = (name: string) => StoreOpening;

/** Reads without a batch call run this many at a time (Vault, Key Vault, Secret Manager read one name a call). */
const SINGLE_READ_CONCURRENCY = 16;

/** Every StoreRef under the describable sections, with structured positions (keys may contain dots). */
export function findStoreRefSites(sections: Readonly<Record<string, unknown>>): StoreRefSite[] {
  const out: StoreRefSite[] = [];
  const walk = (section: string, x: unknown, path: (string | number)[]): void => {
    if (x instanceof StoreRef) out.push({ section, path, ref: x });
    else if (Array.isArray(x)) x.forEach((item: unknown, i) => walk(section, item, [...path, i]));
    else if (isPlainObject(x)) for (const k of Object.keys(x)) walk(section, x[k], [...path, k]);
  };
  for (const section of REFERENCE_SECTIONS) walk(section, sections[section], []);
  return out;
}

/** `vars.a.b[0]`, for notes and errors. */
function siteName(site: StoreRefSite): string {
  return site.path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : `${acc}.${p}`), site.section);
}

/** The scope path a reference reads: `!store` as `{prefix}/{stack}/{component}/{key}`, `!store.get` a global key. */
function pathOf(ref: StoreRef, stack: string): SecretPath {
  if (ref.kind === 'store.get') return { name: ref.key, scope: 'global' };
  return legacySourcePath(legacySourceOf(ref, stack));
}

/** Atmos decodes a stored value as JSON when it parses (a map, a list, a number), else keeps the text. */
export function decodeStoredValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** Each unique path's stored text, or undefined when the store holds none: one batched read where possible. */
async function readAll(store: SecretStore, paths: readonly SecretPath[]): Promise<(string | undefined)[]> {
  if (store.getMany) return (await store.getMany(paths)).map((r) => (r.found ? r.value : undefined));
  const out: (string | undefined)[] = new Array<string | undefined>(paths.length).fill(undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      try {
        out[i] = await store.get(paths[i] as SecretPath);
      } catch (e) {
        if (!isSecretNotFound(e)) throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SINGLE_READ_CONCURRENCY, paths.length) }, worker));
  return out;
}

/** The value a site shows: the stored value (queried), the default when the store holds none, or an error. */
function valueOf(site: PlacedSite, raw: string | undefined): unknown {
  const ref = site.ref;
  if (raw === undefined) {
    if (ref.defaultValue !== undefined) return ref.defaultValue;
    throw new AppError(
      'SECRET_NOT_FOUND',
      `${site.target.label}${siteName(site)}: ${ref.toString()} reads a key that store "${ref.store}" does not hold`,
      {
        location: ref.location,
        hint: 'Write the key to the store, fix the expression, or add `| default <value>` to it.',
      },
    );
  }
  const value = decodeStoredValue(raw);
  return ref.query !== undefined ? queryPath(value, ref.query, ref.location) : value;
}

/** A copy of `root` with `value` at `path`, copying only the containers along the path. */
function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(root) && typeof head === 'number') {
    const copy = [...(root as unknown[])];
    copy[head] = setAt(copy[head], rest, value);
    return copy;
  }
  if (isPlainObject(root) && typeof head === 'string') return { ...root, [head]: setAt(root[head], rest, value) };
  // The described output mirrors the merged sections; a position missing there is a bug, not bad input.
  throw new AppError('INTERNAL', `describe output has no position ${String(head)} for a !store reference`);
}

export interface EvaluatedStoreRefs<T> {
  /** The described output with each evaluated reference replaced by its value. */
  readonly described: T;
  /** Plain-words notes about references left as written (e.g. a Redis store). */
  readonly notes: readonly string[];
}

/** One component's merged sections, where its described form sits in the output, and how notes name it. */
interface Target {
  readonly sections: Readonly<Record<string, unknown>>;
  readonly stack: string;
  readonly at: readonly (string | number)[];
  readonly label: string;
}

interface PlacedSite extends StoreRefSite {
  readonly target: Target;
}

/**
 * Evaluates the `!store`/`!store.get` references of one component (merged `sections`, in `stack`) and writes
 * their values into `described` (the masked output of the same component). One read per store: the store's
 * `getMany` (SSM 10 names a call, Secrets Manager 20) or bounded single reads.
 */
export function evaluateStoreRefs<T extends object>(
  described: T,
  sections: Readonly<Record<string, unknown>>,
  stack: string,
  open: StoreOpener,
): Promise<EvaluatedStoreRefs<T>> {
  return evaluateTargets(described, [{ sections, stack, at: [], label: '' }], open);
}

/**
 * The same for one `describe stacks` entry (`{ components: { <type>: { <name>: described } } }`): every
 * component of the stack whose manifests use YAML functions, with one read per store for the whole stack.
 */
export function evaluateStackStoreRefs<T extends { readonly components: Readonly<Record<string, object>> }>(
  ws: Pick<Workspace, 'componentConfig'>,
  stack: string,
  entry: T,
  open: StoreOpener,
): Promise<EvaluatedStoreRefs<T>> {
  const targets: Target[] = [];
  for (const [type, byName] of Object.entries(entry.components)) {
    for (const name of Object.keys(byName)) {
      const c = ws.componentConfig(stack, name, type);
      // Only stacks built from files with YAML functions can hold references; the others need no walk.
      if (c.dynamic)
        targets.push({ sections: c.sections, stack, at: ['components', type, name], label: `${stack} ${name}: ` });
    }
  }
  return evaluateTargets(entry, targets, open);
}

async function evaluateTargets<T extends object>(
  described: T,
  targets: readonly Target[],
  open: StoreOpener,
): Promise<EvaluatedStoreRefs<T>> {
  const notes: string[] = [];
  const byStore = new Map<string, PlacedSite[]>();
  for (const target of targets) {
    for (const site of findStoreRefSites(target.sections)) {
      const placed = { ...site, target };
      const list = byStore.get(site.ref.store);
      if (list) list.push(placed);
      else byStore.set(site.ref.store, [placed]);
    }
  }
  let out = described as Readonly<Record<string, unknown>>;
  for (const [name, storeSites] of byStore) {
    const opening = open(name);
    if (opening.kind === 'skipped') {
      for (const site of storeSites)
        notes.push(`${site.target.label}${siteName(site)}: ${site.ref.toString()} is not evaluated: ${opening.reason}`);
      continue;
    }
    const store = opening.store;
    // Unique native names, so two references to one key cost one read; every path is mapped before any call.
    const pathsByName = new Map<string, SecretPath>();
    const nameOfSite = storeSites.map((site) => {
      const path = pathOf(site.ref, site.target.stack);
      const native = store.locate(path);
      if (!pathsByName.has(native)) pathsByName.set(native, path);
      return native;
    });
    const names = [...pathsByName.keys()];
    const raws = await readAll(store, [...pathsByName.values()]);
    const rawByName = new Map(names.map((n, i) => [n, raws[i]]));
    storeSites.forEach((site, i) => {
      const value = valueOf(site, rawByName.get(nameOfSite[i] as string));
      out = setAt(out, [...site.target.at, site.section, ...site.path], value) as Record<string, unknown>;
    });
  }
  return { described: out as T, notes };
}

/**
 * Opens plain stores of a workspace for `!store` evaluation, each once, over the same adapters the secrets use.
 * A Redis or Artifactory store, or a kind without an adapter in this build, is skipped with the reason in words.
 */
export function workspaceStoreOpener(
  ws: Workspace,
  deps: Pick<ServiceDeps, 'keychain' | 'env' | 'identities'>,
  factories?: StoreFactoryTable,
): StoreOpener {
  const catalog = StoreCatalog.fromWorkspace(ws);
  let table = factories;
  const opened = new Map<string, StoreOpening>();
  return (name) => {
    const known = opened.get(name);
    if (known) return known;
    const failure = catalog.failure(name);
    if (failure) throw failure;
    const config = catalog.config(name);
    if (!config) {
      const names = catalog.names();
      throw new AppError(
        'CONFIG',
        `store "${name}" used by !store is not configured; ${names.length > 0 ? `configured stores: ${names.join(', ')}` : 'atmos.yaml has no stores'}`,
        { hint: 'Add the store under stores: in atmos.yaml, or fix the store name in the expression.' },
      );
    }
    const kind = config.kind;
    let opening: StoreOpening;
    if (isPlaintextKind(kind)) {
      opening = {
        kind: 'skipped',
        reason: `store "${name}" is a ${kind} store, which this app does not read (Atmos reads it when it runs)`,
      };
    } else {
      if (!table) {
        const identities = deps.identities ?? identityResolverFor(ws, deps);
        table = builtInStoreFactories({
          keychain: { makeKeychain: (service) => deps.keychain(service) },
          aws: { identities },
          gcp: { identities },
        });
      }
      const factory = isSecretCapableKind(kind) ? table.get(kind) : undefined;
      opening = factory
        ? { kind: 'store', store: factory(config) }
        : { kind: 'skipped', reason: `store "${name}" is of kind ${kind}, which this build has no adapter for` };
    }
    opened.set(name, opening);
    return opening;
  };
}
