// `!secret` resolution inside one component: walks the merged sections and replaces each SecretRef with its
// value (or `<MASKED>` for inspection, without calling any backend). An undeclared name fails either way, and
// `!store`/`!store.get` on a secret store is refused. Values: `| raw` keeps the stored string; otherwise a
// stored JSON object or array is decoded; `| path q` decodes JSON and selects with a yq-style path.
import { MASK, queryPath, SecretRef, StoreRef, type ComponentConfig, type Workspace } from '../../config';
import { isPlainObject } from '../../config/merge';
import { AppError, type SourceLocation } from '../../../shared/errors';
import { storeFunctionOnSecretStoreError, type SecretScope } from '../../stores';
import { checkOnePasswordReferences, notDeclaredError } from './declarations';
import { StoreCatalog } from './store-catalog';

export interface ResolveContext {
  /** Whether the component declares NAME (a name that is not declared fails, masked or not). */
  readonly isDeclared: (name: string) => boolean;
  /** Whether a configured store is a secret store; undefined for an unknown store. */
  readonly isSecretStore: (store: string) => boolean | undefined;
  /**
   * The stored value, or undefined when the backend holds none. Absent for inspection: every `!secret`
   * then shows as `<MASKED>` and no backend is called.
   */
  readonly value?: (name: string) => Promise<string | undefined>;
  /** Where a declared name lives, so the not-initialized hint is a command that works as printed. */
  readonly placeOf?: ((name: string) => SecretPlace | undefined) | undefined;
}

/** A declared secret's place: enough to write the `set` command for it. */
export interface SecretPlace {
  readonly name: string;
  readonly stack: string;
  readonly component: string;
  readonly scope: SecretScope;
}

/** A word for a shell: as is when it is plain, else single-quoted. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `set` command for a place, as it works when pasted: `-c` only for an instance secret (stack and global
 * ones need none), `--yes` where set would ask (a shared value). `extra` goes after the name (e.g. `--stdin`).
 */
export function setCommand(p: SecretPlace, extra = ''): string {
  const c = p.scope === 'instance' ? ` -c ${shellWord(p.component)}` : '';
  const yes = p.scope === 'instance' ? '' : ' --yes';
  return `atmos-secret set ${shellWord(p.name)}${extra ? ` ${extra}` : ''} -s ${shellWord(p.stack)}${c}${yes}`;
}

/** The exact error for a declared secret with no value (spec §3); the hint is the `set` command when known. */
export function notInitializedError(name: string, location?: SourceLocation, place?: SecretPlace): AppError {
  const how = place ? setCommand(place) : `atmos-secret set ${shellWord(name)} -s STACK -c COMPONENT`;
  return new AppError('SECRET_NOT_FOUND', `secret is not initialized in its backend: "${name}"`, {
    ...(location ? { location } : {}),
    hint: `Set it with: ${how}, or add "| default <value>".`,
  });
}

/** Every `!secret` and `!store` reference under a value, in document order. */
export function collectReferences(v: unknown, out: (SecretRef | StoreRef)[] = []): (SecretRef | StoreRef)[] {
  if (v instanceof SecretRef || v instanceof StoreRef) out.push(v);
  else if (Array.isArray(v)) for (const item of v) collectReferences(item, out);
  else if (isPlainObject(v)) for (const k of Object.keys(v)) collectReferences(v[k], out);
  return out;
}

/** Checks every reference under `v` (declared names, no `!store` on a secret store); throws the first problem. */
export function checkReferences(
  v: unknown,
  ctx: Pick<ResolveContext, 'isDeclared' | 'isSecretStore'>,
  component?: string,
): void {
  for (const ref of collectReferences(v)) {
    if (ref instanceof SecretRef) {
      if (!ctx.isDeclared(ref.name)) throw notDeclaredError(ref.name, ref.location, component);
    } else if (ctx.isSecretStore(ref.store) === true) {
      throw storeFunctionOnSecretStoreError(ref.store, ref.location);
    }
  }
}

const catalogs = new WeakMap<object, StoreCatalog>();

/** The workspace's validated stores, built once per loaded workspace (for assertSecretsDeclared's checks). */
export function workspaceStores(ws: Pick<Workspace, 'stores'>): StoreCatalog {
  let c = catalogs.get(ws.stores);
  if (!c) catalogs.set(ws.stores, (c = StoreCatalog.fromWorkspace(ws)));
  return c;
}

/**
 * For inspection (describe): every `!secret` in the component's sections names a declared secret. Masked output
 * calls no backend, but a misspelt name must still fail. Given the stores, every 1Password reference parses.
 */
export function assertSecretsDeclared(
  cc: Pick<ComponentConfig, 'sections' | 'secretDeclarations' | 'component' | 'dynamic' | 'stack'>,
  stores?: Pick<StoreCatalog, 'config' | 'configs'>,
): void {
  // With the stores (describe), a 1Password reference that does not parse fails here too, at its own file and
  // line, as it does in list and validate: found when the workspace loads, not at first use.
  if (stores) checkOnePasswordReferences(cc, stores);
  // Every `!secret` (and every `!include`, which may bring one) marks its file dynamic: a component whose files
  // hold none has nothing to check, and on a static estate this walk was most of `list`'s checking time.
  if (!cc.dynamic) return;
  const declared = cc.secretDeclarations;
  for (const [section, value] of Object.entries(cc.sections)) {
    if (section === 'secrets') continue;
    checkReferences(
      value,
      { isDeclared: (n) => Object.hasOwn(declared, n), isSecretStore: () => undefined },
      cc.component,
    );
  }
}

/** Decode a stored value as `!secret` modifiers ask. */
export function applyModifiers(ref: SecretRef, stored: string): unknown {
  if (ref.raw) return stored;
  if (ref.path !== undefined) {
    let doc: unknown;
    try {
      doc = JSON.parse(stored);
    } catch {
      // The message must not quote the value.
      throw new AppError('CONFIG', `secret "${ref.name}" is not JSON, so "| path ${ref.path}" cannot select from it`, {
        location: ref.location,
        hint: 'Store a JSON object for structured secrets, or drop "| path".',
      });
    }
    const picked = queryPath(doc, ref.path, ref.location);
    if ((picked === null || picked === undefined) && ref.defaultValue !== undefined) return ref.defaultValue;
    return picked;
  }
  const t = stored.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(stored) as unknown;
    } catch {
      return stored;
    }
  }
  return stored;
}

/**
 * Replace every reference under `v`. With `ctx.value`, `!secret` becomes the value (each name read once);
 * without it, `<MASKED>`. `!store` on a non-secret store stays in its written form (this app does not read
 * plain stores). Copies only what changes.
 */
export async function resolveReferences(v: unknown, ctx: ResolveContext, component?: string): Promise<unknown> {
  checkReferences(v, ctx, component);
  const lookup = ctx.value;
  const cache = new Map<string, Promise<string | undefined>>();
  const valueOf = (ref: SecretRef): Promise<unknown> => {
    if (!lookup) return Promise.resolve(MASK);
    let p = cache.get(ref.name);
    if (!p) {
      p = lookup(ref.name);
      cache.set(ref.name, p);
    }
    return p.then((stored) => {
      if (stored === undefined) {
        if (ref.defaultValue !== undefined) return ref.defaultValue;
        throw notInitializedError(ref.name, ref.location, ctx.placeOf?.(ref.name));
      }
      return applyModifiers(ref, stored);
    });
  };
  const walk = async (x: unknown): Promise<unknown> => {
    if (x instanceof SecretRef) return valueOf(x);
    if (x instanceof StoreRef) return x.toString();
    if (Array.isArray(x)) {
      const items = await Promise.all(x.map((i: unknown) => walk(i)));
      return items.every((item, i) => item === x[i]) ? x : items;
    }
    if (isPlainObject(x)) {
      let out: Record<string, unknown> | undefined;
      for (const k of Object.keys(x)) {
        const m = await walk(x[k]);
        if (m !== x[k]) (out ??= { ...x })[k] = m;
      }
      return out ?? x;
    }
    return x;
  };
  return walk(v);
}
