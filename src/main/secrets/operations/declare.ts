// `declare` / `undeclare`: add, edit or remove a `secrets.vars.<NAME>` declaration by editing the manifest in
// place (config/edit: the untouched bytes stay identical). A plan holds the file's text as read, its hash, the
// edited text and the diff; applying it refuses when the file changed on disk since. The new declaration is
// checked with the model's own rules (parseDeclaration: store xor sops, secret stores, providers, scope against
// position) and placed (coordinateOf) before anything is written, so the plan can show where its value lives.
import { isAbsolute, relative, resolve } from 'node:path';
import type { ComponentConfig, SecretDeclaration, StackInfo } from '../../config';
import {
  deleteIn,
  documentFor,
  findKeyAtLine,
  readManifest,
  saveManifest,
  setIn,
  unifiedDiff,
  type EditValue,
  type YamlPath,
} from '../../config/edit';
import { AppError } from '../../../shared/errors';
import type { SecretScope } from '../../stores';
import { withBackend } from '../backends/backend';
import { coordinateOf, describeCoordinate } from '../model/coordinates';
import { parseDeclaration, providerLabel } from '../model/declarations';
import { deleteSecret } from './values';
import type { Confirmable, OperationContext } from './operation-context';

/** Names become environment variables (exec, pull): the portable shape, bounded. */
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;

export interface DeclareFields {
  /** '' removes it. */
  readonly description?: string | undefined;
  /** Exactly one of store and sops (for a new declaration; an edit keeps the current one when both are absent). */
  readonly store?: string | undefined;
  readonly sops?: string | undefined;
  /** Default: what the position implies (instance with a component, stack without). */
  readonly scope?: SecretScope | undefined;
  readonly required?: boolean | undefined;
  /** 1Password `op://vault/item/field` (a template); '' removes it. */
  readonly reference?: string | undefined;
}

export interface DeclareRequest extends DeclareFields {
  readonly name: string;
  readonly stack: string;
  readonly component?: string | undefined;
  /** For a new declaration: the manifest to write (absolute, or relative to the base path). Default: the stack's. */
  readonly file?: string | undefined;
}

export interface UndeclareRequest {
  readonly name: string;
  readonly stack: string;
  readonly component?: string | undefined;
}

/** A manifest edit ready to save: the text as read (and its hash), the edited text, the diff. */
export interface ManifestChange {
  readonly file: string;
  /** `file` relative to the base path, for people. */
  readonly relativeFile: string;
  /** `contentHash` of the bytes read; the save refuses if the file no longer hashes so. */
  readonly hash: string;
  readonly before: string;
  readonly after: string;
  readonly diff: string;
  /** Nothing to change (the file already says so). */
  readonly unchanged: boolean;
}

/** The declaration as it will read after the change. */
export interface DeclarationSummary {
  readonly name: string;
  readonly stack: string;
  readonly component: string | undefined;
  readonly scope: SecretScope;
  readonly position: 'stack' | 'instance';
  readonly provider: string;
  readonly description: string | undefined;
  readonly required: boolean;
  readonly reference: string | undefined;
  /** Where the value lives for this stack (and component): the backend's own name, the rendered `op://` path. */
  readonly where: string;
}

export interface DeclarePlan {
  readonly action: 'add' | 'edit';
  readonly change: ManifestChange;
  readonly declaration: DeclarationSummary;
  /** What the person should know before saving, e.g. a picked file the stack does not import. */
  readonly notes: readonly string[];
}

export interface UndeclarePlan {
  readonly change: ManifestChange;
  readonly name: string;
  readonly stack: string;
  readonly component: string | undefined;
  readonly scope: SecretScope;
  readonly provider: string;
  /** Whether a value is stored now (undefined when the declaration is broken and cannot be placed). */
  readonly valueStored: boolean | undefined;
}

function checkName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new AppError('USAGE', `"${name.slice(0, 64)}" is not a secret name`, {
      hint: 'A name is letters, digits and _, not starting with a digit (it becomes an environment variable).',
    });
  }
}

interface Existing {
  readonly raw: SecretDeclaration;
  readonly config: ComponentConfig;
}

/** The deployable components' configurations of a stack, the loadable ones. */
function stackConfigs(ctx: OperationContext, stack: string): ComponentConfig[] {
  const out: ComponentConfig[] = [];
  for (const c of ctx.index.deployable(stack)) {
    try {
      out.push(ctx.workspace.componentConfig(stack, c.name, c.type));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
    }
  }
  return out;
}

/** The declaration an edit or removal means (the winning one, with its file and line), broken ones included. */
function findExisting(
  ctx: OperationContext,
  stack: string,
  component: string | undefined,
  name: string,
): Existing | undefined {
  if (component) {
    const config = ctx.workspace.componentConfig(stack, component);
    const raw = Object.hasOwn(config.secretDeclarations, name) ? config.secretDeclarations[name] : undefined;
    return raw ? { raw, config } : undefined;
  }
  const instanceIn: string[] = [];
  for (const config of stackConfigs(ctx, stack)) {
    const raw = Object.hasOwn(config.secretDeclarations, name) ? config.secretDeclarations[name] : undefined;
    if (!raw) continue;
    if (raw.position === 'stack' || raw.scope === 'global') return { raw, config };
    instanceIn.push(config.component);
  }
  if (instanceIn.length > 0) {
    throw new AppError('USAGE', `secret "${name}" is declared per component in stack ${stack}; pass -c/--component`, {
      hint: `Components that declare it: ${instanceIn.join(', ')}.`,
    });
  }
  return undefined;
}

/** The key path of an existing declaration in its file, from the loader's file and line. */
async function locate(existing: Existing): Promise<{ read: Awaited<ReturnType<typeof readManifest>>; path: YamlPath }> {
  const { file, line } = existing.raw.location;
  if (!file || line === undefined) {
    throw new AppError('CONFIG', `secret "${existing.raw.name}" comes from a file the app cannot edit in place`, {
      hint: 'Edit its declaration by hand.',
    });
  }
  const read = await readManifest(file);
  const path = findKeyAtLine(read.text, file, line, existing.raw.name);
  if (!path) {
    throw new AppError('CONFIG', `${file} no longer has secret "${existing.raw.name}" at line ${line}`, {
      location: { file, line },
      hint: 'The file changed since the workspace was loaded: reload and try again.',
    });
  }
  return { read, path };
}

function changeOf(
  ctx: OperationContext,
  read: { file: string; text: string; hash: string },
  after: string,
): ManifestChange {
  return {
    file: read.file,
    relativeFile: relative(ctx.workspace.basePath, read.file) || read.file,
    hash: read.hash,
    before: read.text,
    after,
    diff: unifiedDiff(read.file, read.text, after, ctx.workspace.basePath),
    unchanged: read.text === after,
  };
}

/** The fields of the declaration after the change, merged over what is there. */
function mergedFields(current: Readonly<Record<string, unknown>>, req: DeclareFields): Record<string, unknown> {
  const out: Record<string, unknown> = { ...current };
  const put = (k: string, v: unknown): void => {
    if (v === undefined || v === '' || v === false) delete out[k];
    else out[k] = v;
  };
  if (req.store !== undefined || req.sops !== undefined) {
    put('store', req.store);
    put('sops', req.sops);
  }
  if (req.description !== undefined) put('description', req.description);
  if (req.reference !== undefined) put('reference', req.reference);
  if (req.required !== undefined) put('required', req.required);
  return out;
}

/** The entry's fields as the file should hold them: scope written only when it is not what the position implies. */
function entryPatch(
  fields: Readonly<Record<string, unknown>>,
  scope: SecretScope,
  position: 'stack' | 'instance',
): Record<string, EditValue | undefined> {
  const pick = (k: string): EditValue | undefined => {
    const v = fields[k];
    return typeof v === 'string' || typeof v === 'boolean' ? v : undefined;
  };
  return {
    description: pick('description'),
    store: pick('store'),
    sops: pick('sops'),
    reference: pick('reference'),
    required: fields['required'] === true ? true : undefined,
    scope: scope === position ? undefined : scope,
  };
}

/**
 * Checks the declaration as the engine will read it (parseDeclaration) and places it (coordinateOf). The
 * place is the component when given, else the stack's first deployable component (stack and global secrets
 * are the same for all of them).
 */
function summarise(
  ctx: OperationContext,
  req: { name: string; stack: string; component: string | undefined },
  fields: Readonly<Record<string, unknown>>,
  scope: SecretScope,
  position: 'stack' | 'instance',
  file: string,
  place: ComponentConfig | undefined,
): DeclarationSummary {
  if (fields['store'] === undefined && fields['sops'] === undefined) {
    throw new AppError('USAGE', `secret "${req.name}" needs --store or --sops`, {
      hint: `Configured secret stores: ${
        ctx.index.stores
          .names()
          .filter((n) => ctx.index.stores.config(n)?.secret)
          .join(', ') || 'none'
      }.`,
    });
  }
  const providers = place?.secretProviders ?? {};
  const raw: SecretDeclaration = { name: req.name, fields: { ...fields, scope }, scope, position, location: { file } };
  const decl = parseDeclaration(raw, ctx.index.stores, providers);
  if (decl.reference !== undefined && decl.backend.type === 'store') {
    const kind = ctx.index.stores.config(decl.backend.name)?.kind;
    if (kind !== 'onepassword') {
      throw new AppError(
        'USAGE',
        `secret "${req.name}": a reference is for 1Password stores; store "${decl.backend.name}" is ${kind ?? 'unknown'}`,
        {
          hint: 'Drop --reference, or pick a onepassword store.',
        },
      );
    }
  }
  const where = describeCoordinate(
    coordinateOf(decl, place ?? { stack: req.stack, component: req.component ?? '', sections: {} }, {
      stores: ctx.index.stores,
      basePath: ctx.workspace.basePath,
    }),
  );
  return {
    name: req.name,
    stack: req.stack,
    component: req.component,
    scope: decl.scope,
    position,
    provider: providerLabel(decl.backend),
    description: decl.description,
    required: decl.required,
    reference: decl.reference,
    where,
  };
}

/** Which position a new declaration takes: the component's block for instance (and global with -c), else the stack's. */
function positionFor(scope: SecretScope | undefined, component: string | undefined): 'stack' | 'instance' {
  if (scope === 'stack') return 'stack';
  if (scope === 'instance') {
    if (!component)
      throw new AppError('USAGE', 'an instance secret needs -c/--component', { hint: 'Pass -c, or --scope stack.' });
    return 'instance';
  }
  return component ? 'instance' : 'stack';
}

/** The stack's own manifest or one it imports (by the loader's list: relative to the stacks folder, no extension). */
function reachesStack(ctx: OperationContext, info: StackInfo, file: string): boolean {
  if (file === info.file) return true;
  const rel = relative(ctx.workspace.stacksBasePath, file).replace(/\.(ya?ml|yaml\.tmpl|yml\.tmpl)$/, '');
  return info.imports.includes(rel);
}

/** Plans adding a declaration, or editing the one that exists (in the file that holds it). Writes nothing. */
export async function planDeclare(ctx: OperationContext, req: DeclareRequest): Promise<DeclarePlan> {
  checkName(req.name);
  if (req.store && req.sops) throw new AppError('USAGE', 'pass --store or --sops, not both');
  const stack = ctx.workspace.resolveStack(req.stack).name;
  const component = req.component || undefined;
  const existing = findExisting(ctx, stack, component, req.name);
  if (existing) {
    const { raw, config } = existing;
    if (req.file !== undefined && resolve(ctx.workspace.basePath, req.file) !== raw.location.file) {
      throw new AppError(
        'USAGE',
        `secret "${req.name}" is already declared in ${raw.location.file}; it is edited there`,
        {
          hint: 'Drop --file (undeclare it first to move it).',
        },
      );
    }
    const scope = req.scope ?? raw.scope;
    const { read, path } = await locate(existing);
    const fields = mergedFields(raw.fields, req);
    delete fields['scope'];
    const summary = summarise(
      ctx,
      { name: req.name, stack, component: component ?? (raw.position === 'instance' ? config.component : undefined) },
      fields,
      scope,
      raw.position,
      read.file,
      config,
    );
    // Only what the edit changes goes into the file's entry: fields another layer gives stay where they are.
    const after = setIn(read.text, read.file, path, editPatch(req, raw.position));
    return { action: 'edit', change: changeOf(ctx, read, after), declaration: summary, notes: [] };
  }

  const position = positionFor(req.scope, component);
  const scope = req.scope ?? position;
  const stackInfo = ctx.workspace.resolveStack(stack);
  const file =
    req.file === undefined
      ? stackInfo.file
      : isAbsolute(req.file)
        ? req.file
        : resolve(ctx.workspace.basePath, req.file);
  const config = component ? ctx.workspace.componentConfig(stack, component) : stackConfigs(ctx, stack)[0];
  const fields = mergedFields({}, req);
  const summary = summarise(ctx, { name: req.name, stack, component }, fields, scope, position, file, config);
  const read = await readManifest(file);
  const keys =
    position === 'instance' && config
      ? ['components', config.type, config.component, 'secrets', 'vars', req.name]
      : ['secrets', 'vars', req.name];
  const doc = read.text === '' ? 0 : documentFor(read.text, file, keys);
  const patch = entryPatch(fields, scope, position);
  const after = setIn(read.text, file, { doc, keys }, patch);
  return {
    action: 'add',
    change: changeOf(ctx, read, after),
    declaration: summary,
    notes: reachesStack(ctx, stackInfo, file)
      ? []
      : [
          `stack ${stack} does not import ${relative(ctx.workspace.basePath, file) || file}: the declaration is not seen there until the stack imports it`,
        ],
  };
}

/** An edit writes only the fields the request names (and scope when given), so changing one field touches one line. */
function editPatch(req: DeclareFields, position: 'stack' | 'instance'): Record<string, EditValue | undefined> {
  const out: Record<string, EditValue | undefined> = {};
  if (req.description !== undefined) out['description'] = req.description || undefined;
  if (req.reference !== undefined) out['reference'] = req.reference || undefined;
  if (req.required !== undefined) out['required'] = req.required || undefined;
  if (req.store !== undefined || req.sops !== undefined) {
    out['store'] = req.store || undefined;
    out['sops'] = req.sops || undefined;
  }
  if (req.scope !== undefined) out['scope'] = req.scope === position ? undefined : req.scope;
  return out;
}

/** Plans removing a declaration from the file that holds it. Writes nothing. */
export async function planUndeclare(ctx: OperationContext, req: UndeclareRequest): Promise<UndeclarePlan> {
  checkName(req.name);
  const stack = ctx.workspace.resolveStack(req.stack).name;
  const component = req.component || undefined;
  const existing = findExisting(ctx, stack, component, req.name);
  if (!existing) {
    throw new AppError(
      'CONFIG',
      `secret is not declared: "${req.name}" in stack ${stack}${component ? `, component ${component}` : ''}`,
      {
        hint: 'atmos-secret list -s STACK shows what is declared.',
      },
    );
  }
  const { read, path } = await locate(existing);
  // A `secrets: {vars: ...}` wrapper left empty goes too, so undeclaring what declare added restores the file.
  const k = path.keys;
  const wrappers = k[k.length - 2] === 'vars' ? (k[k.length - 3] === 'secrets' ? 2 : 1) : 0;
  const { text } = deleteIn(read.text, read.file, path, { pruneEmpty: wrappers });
  const raw = existing.raw;
  const cs = ctx.index.component(stack, existing.config.component, existing.config.type);
  const placed = cs.secrets.find((s) => s.name === req.name);
  const f = raw.fields;
  const provider = placed
    ? placed.coordinate.provider
    : typeof f['store'] === 'string'
      ? `store:${f['store']}`
      : typeof f['sops'] === 'string'
        ? `sops:${f['sops']}`
        : '';
  // Status, never the value: whether there is one to offer deleting. A backend that cannot answer leaves it unknown.
  let valueStored: boolean | undefined;
  if (placed) {
    try {
      valueStored = (await withBackend(ctx.backends, placed.coordinate, (b, x) => b.status(x))) === 'initialized';
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
    }
  }
  return {
    change: changeOf(ctx, read, text),
    name: req.name,
    stack,
    component: raw.position === 'instance' ? existing.config.component : component,
    scope: raw.scope,
    provider,
    valueStored,
  };
}

/** Saves a planned change (atomic; ManifestChangedError when the file changed on disk since it was read). */
export async function applyManifestChange(
  change: Pick<ManifestChange, 'file' | 'hash' | 'after' | 'unchanged'>,
): Promise<void> {
  if (change.unchanged) return;
  await saveManifest({ file: change.file, hash: change.hash }, change.after);
}

export interface UndeclareOptions extends Confirmable {
  /** Delete the stored value first (after the consumers confirmation for stack and global secrets). */
  readonly deleteValue?: boolean | undefined;
}

/**
 * Removes the declaration; with `deleteValue`, deletes the stored value first: a declined confirmation then
 * leaves both, and a file that changed on disk leaves a declaration without a value (re-run undeclare), never a
 * value nothing declares.
 */
export async function applyUndeclare(
  ctx: OperationContext,
  plan: UndeclarePlan,
  o: UndeclareOptions = {},
): Promise<{ readonly valueDeleted: boolean }> {
  let valueDeleted = false;
  if (o.deleteValue) {
    const r = await deleteSecret(ctx, {
      stack: plan.stack,
      component: plan.component,
      name: plan.name,
      confirm: o.confirm,
    });
    valueDeleted = r.deleted;
  }
  await applyManifestChange(plan.change);
  return { valueDeleted };
}

/** What the declare form offers: secret stores, SOPS providers in reach, the declaration when it exists. */
export interface DeclareOptions {
  readonly stores: readonly { readonly name: string; readonly kind: string }[];
  readonly providers: readonly { readonly name: string; readonly kind: string }[];
  readonly existing:
    | (DeclareFields & {
        readonly scope: SecretScope;
        readonly position: 'stack' | 'instance';
        readonly file: string;
        readonly line: number | undefined;
      })
    | undefined;
  /** The stack's own manifest (absolute): where a new declaration goes by default. */
  readonly stackFile: string;
}

export function declareOptions(
  ctx: OperationContext,
  req: { readonly stack: string; readonly component?: string | undefined; readonly name?: string | undefined },
): DeclareOptions {
  const info = ctx.workspace.resolveStack(req.stack);
  const component = req.component || undefined;
  const config = component ? ctx.workspace.componentConfig(info.name, component) : stackConfigs(ctx, info.name)[0];
  const stores = ctx.index.stores
    .names()
    .map((n) => ctx.index.stores.config(n))
    .filter((c) => c?.secret === true)
    .map((c) => ({ name: c?.name ?? '', kind: c?.kind ?? '' }));
  const providers = Object.values(config?.secretProviders ?? {})
    // A stack-level declaration sees the configured and stack-level providers, not a component's own.
    .filter((p) => component !== undefined || p.level !== 'instance')
    .map((p) => ({ name: p.name, kind: typeof p.raw['kind'] === 'string' ? p.raw['kind'] : '' }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found = req.name ? findExisting(ctx, info.name, component, req.name) : undefined;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    stores,
    providers,
    stackFile: info.file,
    existing: found && {
      description: str(found.raw.fields['description']),
      store: str(found.raw.fields['store']),
      sops: str(found.raw.fields['sops']),
      reference: str(found.raw.fields['reference']),
      required: found.raw.fields['required'] === true,
      scope: found.raw.scope,
      position: found.raw.position,
      file: found.raw.location.file,
      line: found.raw.location.line,
    },
  };
}
