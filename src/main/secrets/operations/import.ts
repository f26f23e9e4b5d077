// `import NAME --from-store --from-stack --from-component --from-key`: copies a value that legacy `!store`
// usage left at a hand-built path into the declaration's computed coordinate. It copies and never deletes the
// source; a dry run reads the source to prove it is there and returns the plan (never the value). Also the
// finder for every `!store` use on a secret store, for the app's import wizard.
import { relative } from 'node:path';
import type { SecretDeclaration } from '../../config';
import { readTextFile } from '../../config/bounded-input';
import {
  findTaggedScalar,
  readManifest,
  replaceTaggedScalar,
  saveManifest,
  setIn,
  unifiedDiff,
  type EditValue,
  type YamlPath,
} from '../../config/edit';
import { AppError } from '../../../shared/errors';
import { mapBounded } from '../../stores/bounded';
import { SecretNotFoundError, type GetManyResult, type SecretScope, type SecretStore } from '../../stores';
import { readOptional, statusOneByOne, withBackend, type StatusResult } from '../backends/backend';
import { coordinateOf, describeCoordinate, type SecretCoordinate } from '../model/coordinates';
import { parseDeclaration } from '../model/declarations';
import {
  findStoreRefs,
  legacySourceOf,
  legacySourcePath,
  type LegacySource,
  type LegacyStoreUse,
} from '../model/legacy-stores';
import {
  confirmOrStop,
  reachText,
  sharedReach,
  throwIfCancelled,
  type Confirmable,
  type ConfirmItem,
  type LongRunning,
  type OperationContext,
} from './operation-context';
import { resolveTarget, type SecretTarget } from '../model/targets';
import { checkSize, targetInfo, type TargetInfo } from './values';

export interface ImportRequest extends SecretTarget, Confirmable {
  /** Default: the declaration's own store. */
  readonly fromStore?: string | undefined;
  readonly fromStack?: string | undefined;
  readonly fromComponent?: string | undefined;
  /** Default: the secret's name. */
  readonly fromKey?: string | undefined;
  readonly dryRun?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface ImportPlan {
  readonly source: LegacySource & { readonly nativeName: string };
  readonly target: TargetInfo;
  /** The target already holds a value (replacing it needs confirmation). */
  readonly targetInitialized: boolean;
  /** Source and target are the same backend entry: nothing to copy. */
  readonly sameEntry: boolean;
  /** False for a dry run (or when there was nothing to copy). */
  readonly applied: boolean;
}

function sourceStore(ctx: OperationContext, name: string): SecretStore {
  const config = ctx.index.stores.config(name);
  if (!config) {
    const known = ctx.index.stores.names();
    throw new AppError('CONFIG', `store "${name}" is not configured`, {
      hint: known.length > 0 ? `Configured stores: ${known.join(', ')}.` : 'atmos.yaml has no stores.',
    });
  }
  if (!config.secret) {
    throw new AppError('CONFIG', `store "${name}" is not a secret store (set secret: true), so import cannot read it`, {
      location: config.location,
      hint: `Mark stores.${name} secret: true (its !store uses then need importing anyway).`,
    });
  }
  return ctx.registry.secretStore(name);
}

export async function importFromStore(ctx: OperationContext, req: ImportRequest): Promise<ImportPlan> {
  const t = resolveTarget(ctx, req);
  const c = t.secret.coordinate;
  const storeName = req.fromStore ?? (c.kind === 'store' ? c.store : undefined);
  if (!storeName) throw new AppError('USAGE', `secret "${t.secret.name}" is not store-backed; pass --from-store`);
  const source: LegacySource = {
    store: storeName,
    stack: req.fromStack || undefined,
    component: req.fromComponent || undefined,
    key: req.fromKey || t.secret.name,
  };
  const path = legacySourcePath(source);
  const store = sourceStore(ctx, storeName);
  const nativeName = store.locate(path);
  const sameEntry = c.kind === 'store' && c.store === storeName && c.nativeName === nativeName;
  let value: string;
  try {
    value = await store.get(path);
    ctx.remember(value);
  } catch (e) {
    if (e instanceof SecretNotFoundError) {
      throw new AppError(
        'SECRET_NOT_FOUND',
        `nothing to import: store "${storeName}" holds no value at ${nativeName}`,
        {
          hint: 'Check --from-stack/--from-component/--from-key against the old !store expression.',
        },
      );
    }
    throw e;
  }
  const targetInitialized = sameEntry || (await readOptional(ctx.backends, c)) !== undefined;
  const plan = { source: { ...source, nativeName }, target: targetInfo(t), targetInitialized, sameEntry };
  if (req.dryRun || sameEntry) return { ...plan, applied: false };
  checkSize(ctx, c, value);
  const items: ConfirmItem[] = sharedReach(ctx, t);
  if (targetInitialized && items.length === 0) {
    items.push({
      secret: t.secret.name,
      scope: t.secret.declaration.scope,
      provider: c.provider,
      where: describeCoordinate(c),
      consumers: [
        { stack: t.stack, component: t.component.component, secret: t.secret.name, scope: t.secret.declaration.scope },
      ],
      stacks: [t.stack],
    });
  }
  await confirmOrStop(
    ctx,
    {
      operation: 'import',
      items,
      message: `import ${targetInitialized ? 'replaces the current value of' : 'sets'} ${t.secret.name}, used by ${reachText(items)}`,
    },
    req.confirm,
  );
  throwIfCancelled(req.signal);
  await withBackend(ctx.backends, c, (b, x) => b.set(x, value));
  return { ...plan, applied: true };
}

/**
 * Every `!store`/`!store.get` on a secret store in the deployable components of the workspace (or one stack),
 * from each component's merged sections; when the loader refuses a component's merged configuration, from its
 * own configuration instead (before inheritance and evaluation).
 */
export function findLegacyStoreUses(
  ctx: OperationContext,
  opts: LongRunning & { readonly stack?: string | undefined } = {},
): LegacyStoreUse[] {
  const stacks = opts.stack ? [ctx.workspace.resolveStack(opts.stack).name] : ctx.workspace.stackNames();
  const out: LegacyStoreUse[] = [];
  let done = 0;
  for (const stack of stacks) {
    throwIfCancelled(opts.signal);
    for (const c of ctx.workspace.components(stack)) {
      if (c.abstract) continue;
      let sections: Readonly<Record<string, unknown>>;
      try {
        sections = ctx.workspace.componentConfig(stack, c.name, c.type).sections;
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        sections = ctx.workspace.ownComponentConfig(stack, c.type, c.name) ?? {};
      }
      for (const [section, value] of Object.entries(sections)) {
        if (section === 'secrets' || section === 'metadata') continue;
        for (const { at, ref } of findStoreRefs(value, section)) {
          if (ctx.index.stores.config(ref.store)?.secret !== true) continue;
          out.push({
            stack,
            component: c.name,
            at,
            expression: ref.toString(),
            source: legacySourceOf(ref, stack),
            location: ref.location,
          });
        }
      }
    }
    opts.onProgress?.({ done: ++done, total: stacks.length, label: stack });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// `import --rewrite` (the app's import wizard): every `!store`/`!store.get` expression on a secret store becomes a
// proposed declaration (name, scope, store) the person may adjust; the plan (always shown first) says per
// expression what would be copied where, declared and rewritten, with the files' diffs; running it copies each
// value to its computed path (copy only: the source stays; sources read in one batch per store), declares the
// secret in the block that holds the expression, and rewrites the expression to `!secret NAME` in place.

/** Names become environment variables (exec, pull). */
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;
const STORE_TAGS = ['!store', '!store.get'] as const;

export interface RewriteUse {
  readonly stack: string;
  readonly component: string;
  readonly source: LegacySource;
}

/** One expression as written (a file and line) with every (stack, component) that reads it. */
export interface RewriteProposal {
  /** `<file relative to the base path>:<line>`: what the person's choices refer to. */
  readonly id: string;
  readonly file: string;
  readonly relativeFile: string;
  readonly line: number;
  /** Where in the merged sections, e.g. `env.CLIENT_SECRET`. */
  readonly at: string;
  readonly expression: string;
  readonly uses: readonly RewriteUse[];
  /** Proposed: the key the expression sits under (upper-cased), else its `!store` key. */
  readonly name: string;
  /** Proposed: global when every use reads one source across stacks, else what the position implies. */
  readonly scope: SecretScope;
  /** Proposed: the store the expression reads. */
  readonly store: string;
}

/** The person's adjustment of one proposal. */
export interface RewriteChoice {
  readonly id: string;
  readonly name?: string | undefined;
  readonly scope?: SecretScope | undefined;
  readonly store?: string | undefined;
  /** Leave this expression alone. */
  readonly skip?: boolean | undefined;
}

export type CopyState = 'copy' | 'copied' | 'exists' | 'source-missing' | 'failed';
export type StepState = 'planned' | 'done' | 'exists' | 'skipped' | 'failed';

export interface RewriteCopy {
  readonly stacks: readonly string[];
  /** Store and native name of the source, e.g. `legacy: legacy/atmos/shared/client_secret`. */
  readonly from: string;
  /** Where the declared secret's value lives. */
  readonly to: string;
  readonly state: CopyState;
  readonly reason?: string | undefined;
}

export interface RewriteItem {
  readonly id: string;
  readonly file: string;
  readonly line: number;
  readonly expression: string;
  readonly name: string;
  readonly scope: SecretScope;
  readonly store: string;
  readonly copies: readonly RewriteCopy[];
  readonly declared: StepState;
  readonly rewritten: StepState;
  /** `planned` for a dry run; `done`, `skipped` (chosen, or nothing to do) or `failed` after a run. */
  readonly outcome: 'planned' | 'done' | 'skipped' | 'failed';
  readonly reason?: string | undefined;
}

export interface RewriteFileChange {
  readonly file: string;
  readonly relativeFile: string;
  /** `contentHash` of the file as read for this plan. */
  readonly hash: string;
  readonly diff: string;
}

export interface RewritePlan {
  readonly items: readonly RewriteItem[];
  readonly files: readonly RewriteFileChange[];
  readonly applied: boolean;
}

export interface RewriteRequest extends LongRunning {
  readonly stack?: string | undefined;
  readonly choices?: readonly RewriteChoice[] | undefined;
  /** Run it; otherwise the plan only (nothing read but statuses, nothing written). */
  readonly apply?: boolean | undefined;
  /**
   * The files as the plan the person saw read them (`RewritePlan.files`): a file that changed since then is not
   * written, and its items fail saying so.
   */
  readonly planned?: readonly Pick<RewriteFileChange, 'file' | 'hash'>[] | undefined;
}

function proposedName(at: string, key: string): string {
  const last = at.split('.').pop() ?? '';
  for (const candidate of [last, key]) {
    const n = candidate.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();
    if (SECRET_NAME.test(n)) return n;
  }
  return `SECRET_${key.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase()}`.slice(0, 256);
}

const sourceKey = (s: LegacySource): string => JSON.stringify([s.store, s.stack ?? '', s.component ?? '', s.key]);

/** Every `!store` expression on a secret store, grouped by where it is written, with a proposed declaration. */
export function proposeRewrites(
  ctx: OperationContext,
  opts: LongRunning & { readonly stack?: string | undefined } = {},
): RewriteProposal[] {
  const uses = findLegacyStoreUses(ctx, opts);
  const byPlace = new Map<string, LegacyStoreUse[]>();
  for (const u of uses) {
    const k = `${u.location.file}\0${u.location.line ?? 0}`;
    const list = byPlace.get(k);
    if (list) list.push(u);
    else byPlace.set(k, [u]);
  }
  const out: RewriteProposal[] = [];
  for (const list of byPlace.values()) {
    const first = list[0] as LegacyStoreUse;
    const file = first.location.file;
    const line = first.location.line ?? 0;
    const relativeFile = relative(ctx.workspace.basePath, file) || file;
    const sources = new Set(list.map((u) => sourceKey(u.source)));
    const stacks = new Set(list.map((u) => u.stack));
    const position = positionOfExpression(file, line);
    const scope: SecretScope = sources.size === 1 && stacks.size > 1 ? 'global' : position;
    out.push({
      id: `${relativeFile}:${line}`,
      file,
      relativeFile,
      line,
      at: first.at,
      expression: first.expression,
      uses: list.map((u) => ({ stack: u.stack, component: u.component, source: u.source })),
      name: proposedName(first.at, first.source.key),
      scope,
      store: first.source.store,
    });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The key path of the expression in its file, and the declaration block it belongs to. */
interface Placement {
  readonly exprPath: YamlPath;
  /** `components.<type>.<name>` for an expression inside a component, else [] (the stack's top level). */
  readonly blockKeys: readonly string[];
  readonly position: 'stack' | 'instance';
}

function placementIn(text: string, file: string, line: number): Placement | undefined {
  const found = findTaggedScalar(text, file, line, STORE_TAGS);
  if (!found) return undefined;
  const k = found.path.keys;
  const inComponent = k[0] === 'components' && k.length > 3;
  return {
    exprPath: found.path,
    blockKeys: inComponent ? k.slice(0, 3) : [],
    position: inComponent ? 'instance' : 'stack',
  };
}

/**
 * Where the expression sits in its file (the loader read it a moment ago). A file that cannot be read now is taken
 * as a component's: the edit step reads it again and reports the item failed with the reason.
 */
function positionOfExpression(file: string, line: number): 'stack' | 'instance' {
  try {
    return placementIn(readTextFile(file), file, line)?.position ?? 'instance';
  } catch (e) {
    if (e instanceof AppError || (e as NodeJS.ErrnoException).code !== undefined) return 'instance';
    throw e;
  }
}

interface Target {
  readonly coordinate: SecretCoordinate;
  readonly stacks: string[];
  readonly source: LegacySource;
}

interface Working {
  readonly proposal: RewriteProposal;
  readonly name: string;
  readonly scope: SecretScope;
  readonly store: string;
  targets: Target[];
  copies: RewriteCopy[];
  declared: StepState;
  rewritten: StepState;
  failure: string | undefined;
  skipped: boolean;
  /** The declaration already exists with the same backend and scope: nothing to declare. */
  declaredAlready: boolean;
}

function messageOf(e: unknown): string {
  if (e instanceof AppError) return e.hint ? `${e.message} (${e.hint})` : e.message;
  throw e;
}

/** The targets of one proposal: one per distinct coordinate, each with the one source its uses read. */
function targetsOf(ctx: OperationContext, w: Working): void {
  if (!SECRET_NAME.test(w.name)) throw new AppError('USAGE', `"${w.name.slice(0, 64)}" is not a secret name`);
  // The declaration goes into the block that holds the expression: its position is fixed, the scope must agree.
  const position = positionOfExpression(w.proposal.file, w.proposal.line);
  const byKey = new Map<string, Target>();
  for (const u of w.proposal.uses) {
    const cc = ctx.workspace.componentConfig(u.stack, u.component);
    const existing = Object.hasOwn(cc.secretDeclarations, w.name) ? cc.secretDeclarations[w.name] : undefined;
    if (existing) {
      const f = existing.fields;
      if (f['store'] !== w.store || existing.scope !== w.scope) {
        throw new AppError('CONFIG', `${u.stack}/${u.component} already declares ${w.name} differently`, {
          location: existing.location,
          hint: 'Pick another name.',
        });
      }
      w.declaredAlready = true;
    }
    const raw: SecretDeclaration = {
      name: w.name,
      fields: { store: w.store, scope: w.scope },
      scope: w.scope,
      position,
      location: { file: w.proposal.file, line: w.proposal.line },
    };
    const decl = parseDeclaration(raw, ctx.index.stores, cc.secretProviders);
    const coordinate = coordinateOf(decl, cc, { stores: ctx.index.stores, basePath: ctx.workspace.basePath });
    const t = byKey.get(coordinate.key);
    if (!t) byKey.set(coordinate.key, { coordinate, stacks: [u.stack], source: u.source });
    else {
      if (sourceKey(t.source) !== sourceKey(u.source)) {
        throw new AppError('USAGE', `its uses read different values, which scope "${w.scope}" would make one`, {
          hint: 'Choose the instance (or stack) scope for this expression.',
        });
      }
      if (!t.stacks.includes(u.stack)) t.stacks.push(u.stack);
    }
  }
  w.targets = [...byKey.values()];
}

function sourceText(ctx: OperationContext, s: LegacySource): string {
  return `${s.store}: ${ctx.registry.secretStore(s.store).locate(legacySourcePath(s))}`;
}

/** Source statuses, or values when `read`, in one batch per store (getMany/statusMany where the store has them). */
async function readSources(
  ctx: OperationContext,
  sources: readonly LegacySource[],
  read: boolean,
  signal: AbortSignal | undefined,
): Promise<Map<string, { found: boolean; value?: string } | { error: string }>> {
  const out = new Map<string, { found: boolean; value?: string } | { error: string }>();
  const byStore = new Map<string, LegacySource[]>();
  for (const s of sources) {
    if (out.has(sourceKey(s))) continue;
    out.set(sourceKey(s), { found: false });
    const list = byStore.get(s.store);
    if (list) list.push(s);
    else byStore.set(s.store, [s]);
  }
  for (const [storeName, list] of byStore) {
    throwIfCancelled(signal);
    try {
      const store = sourceStore(ctx, storeName);
      const paths = list.map(legacySourcePath);
      if (!read && store.statusMany) {
        const statuses = await store.statusMany(paths);
        list.forEach((s, i) => out.set(sourceKey(s), { found: statuses[i] === 'initialized' }));
        continue;
      }
      const results = store.getMany
        ? await store.getMany(paths)
        : await mapBounded(
            paths,
            4,
            async (path): Promise<GetManyResult> => {
              try {
                return { path, found: true, value: await store.get(path) };
              } catch (e) {
                if (e instanceof SecretNotFoundError) return { path, found: false };
                throw e;
              }
            },
            signal,
          );
      list.forEach((s, i) => {
        const r = results[i];
        if (r?.found) ctx.remember(r.value);
        out.set(sourceKey(s), r?.found ? (read ? { found: true, value: r.value } : { found: true }) : { found: false });
      });
    } catch (e) {
      // Reported once per store, on each source it holds.
      const error = messageOf(e);
      for (const s of list) out.set(sourceKey(s), { error });
    }
  }
  return out;
}

/** Whether each target already holds a value: one batched status per provider where the backend has one. */
async function targetStatuses(
  ctx: OperationContext,
  targets: readonly SecretCoordinate[],
): Promise<Map<string, StatusResult>> {
  const byProvider = new Map<string, SecretCoordinate[]>();
  for (const c of targets) {
    const list = byProvider.get(c.provider);
    if (list) list.push(c);
    else byProvider.set(c.provider, [c]);
  }
  const out = new Map<string, StatusResult>();
  for (const list of byProvider.values()) {
    const results = await withBackend(ctx.backends, list[0] as SecretCoordinate, (b) => {
      const cs = list as Parameters<typeof b.status>[0][];
      return b.statusMany ? b.statusMany(cs) : statusOneByOne(cs, (c) => b.status(c));
    });
    list.forEach((c, i) => out.set(c.key, results[i] as StatusResult));
  }
  return out;
}

/** The declaration and rewrite edits of the given items on one file's text. */
function editFile(
  text: string,
  file: string,
  items: readonly Working[],
): { text: string; failed: Map<Working, string> } {
  let out = text;
  const failed = new Map<Working, string>();
  for (const w of items) {
    try {
      const place = placementIn(out, file, w.proposal.line);
      if (!place)
        throw new AppError('CONFIG', `${w.proposal.id} no longer holds the !store expression`, { hint: 'Scan again.' });
      let next = out;
      if (!w.declaredAlready) {
        const fields: Record<string, EditValue> = { store: w.store };
        if (w.scope !== place.position) fields['scope'] = w.scope;
        next = setIn(
          next,
          file,
          { doc: place.exprPath.doc, keys: [...place.blockKeys, 'secrets', 'vars', w.name] },
          fields,
        );
      }
      // The declaration may have shifted the expression's line: find it again by its key path.
      next = replaceTaggedScalar(next, file, place.exprPath, STORE_TAGS, `!secret ${w.name}`);
      out = next;
    } catch (e) {
      failed.set(w, messageOf(e));
    }
  }
  return { text: out, failed };
}

/** The plan (and with `apply`, the run) of `import --rewrite`. */
export async function importRewrite(ctx: OperationContext, req: RewriteRequest): Promise<RewritePlan> {
  const proposals = proposeRewrites(ctx, { stack: req.stack, signal: req.signal });
  const choices = new Map((req.choices ?? []).map((c) => [c.id, c]));
  const items: Working[] = proposals.map((p) => {
    const c = choices.get(p.id);
    return {
      proposal: p,
      name: c?.name ?? p.name,
      scope: c?.scope ?? p.scope,
      store: c?.store ?? p.store,
      targets: [],
      copies: [],
      declared: 'planned',
      rewritten: 'planned',
      failure: undefined,
      skipped: c?.skip === true,
      declaredAlready: false,
    };
  });
  const active = items.filter((w) => !w.skipped);
  for (const w of active) {
    try {
      targetsOf(ctx, w);
      if (w.declaredAlready) w.declared = 'exists';
    } catch (e) {
      w.failure = messageOf(e);
    }
  }
  const live = (): Working[] => active.filter((w) => w.failure === undefined);
  const sources = await readSources(
    ctx,
    live().flatMap((w) => w.targets.map((t) => t.source)),
    req.apply === true,
    req.signal,
  );
  const statuses = await targetStatuses(
    ctx,
    live().flatMap((w) => w.targets.map((t) => t.coordinate)),
  );
  let done = 0;
  for (const w of live()) {
    throwIfCancelled(req.signal);
    for (const t of w.targets) {
      const src = sources.get(sourceKey(t.source));
      const status = statuses.get(t.coordinate.key);
      const base = { stacks: t.stacks, from: sourceText(ctx, t.source), to: describeCoordinate(t.coordinate) };
      if (!src || 'error' in src) {
        w.copies.push({ ...base, state: 'failed', reason: src && 'error' in src ? src.error : 'not read' });
        continue;
      }
      if (status && !status.ok) {
        w.copies.push({ ...base, state: 'failed', reason: messageOf(status.error) });
        continue;
      }
      if (status?.ok && status.status === 'initialized') {
        // The wizard never replaces a value: `import NAME` does that, with its confirmation.
        w.copies.push({ ...base, state: 'exists' });
        continue;
      }
      if (!src.found) {
        w.copies.push({ ...base, state: 'source-missing', reason: 'the source holds no value' });
        continue;
      }
      if (!req.apply || src.value === undefined) {
        w.copies.push({ ...base, state: 'copy' });
        continue;
      }
      try {
        checkSize(ctx, t.coordinate, src.value);
        const value = src.value;
        await withBackend(ctx.backends, t.coordinate, (b, x) => b.set(x, value));
        w.copies.push({ ...base, state: 'copied' });
      } catch (e) {
        w.copies.push({ ...base, state: 'failed', reason: messageOf(e) });
      }
    }
    const bad = w.copies.find((c) => c.state === 'failed' || c.state === 'source-missing');
    if (bad) w.failure = `copy ${bad.from} -> ${bad.to}: ${bad.reason ?? bad.state}`;
    req.onProgress?.({ done: ++done, total: active.length, label: w.proposal.id });
  }

  // The file edits: per file, every item written there that is still going, in line order.
  const byFile = new Map<string, Working[]>();
  for (const w of live()) {
    const list = byFile.get(w.proposal.file);
    if (list) list.push(w);
    else byFile.set(w.proposal.file, [w]);
  }
  const planned = new Map((req.planned ?? []).map((f) => [f.file, f.hash]));
  // A file step that fails (in a run) marks both steps failed; in a plan the reason is enough.
  const fail = (w: Working, reason: string): void => {
    w.failure = reason;
    if (!req.apply) return;
    if (w.declared !== 'exists') w.declared = 'failed';
    w.rewritten = 'failed';
  };
  const files: RewriteFileChange[] = [];
  for (const [file, list] of byFile) {
    throwIfCancelled(req.signal);
    let read: Awaited<ReturnType<typeof readManifest>>;
    try {
      read = await readManifest(file);
    } catch (e) {
      for (const w of list) fail(w, messageOf(e));
      continue;
    }
    const expected = planned.get(file);
    if (req.apply && expected !== undefined && expected !== read.hash) {
      for (const w of list)
        w.failure = `${relative(ctx.workspace.basePath, file)} changed on disk since the plan; scan again`;
      continue;
    }
    const { text, failed } = editFile(read.text, file, list);
    for (const [w, reason] of failed) fail(w, reason);
    files.push({
      file,
      relativeFile: relative(ctx.workspace.basePath, file) || file,
      hash: read.hash,
      diff: unifiedDiff(file, read.text, text, ctx.workspace.basePath),
    });
    if (!req.apply) continue;
    const writing = list.filter((w) => !failed.has(w));
    try {
      if (text !== read.text) await saveManifest(read, text);
      for (const w of writing) {
        if (w.declared !== 'exists') w.declared = 'done';
        w.rewritten = 'done';
      }
    } catch (e) {
      const reason = messageOf(e);
      for (const w of writing) fail(w, reason);
    }
  }

  return {
    applied: req.apply === true,
    files,
    items: items.map((w): RewriteItem => {
      const failed = w.failure !== undefined;
      // In a run, a step never reached (a copy failed first) is skipped.
      const step = (st: StepState): StepState =>
        w.skipped ? 'skipped' : req.apply && failed && st === 'planned' ? 'skipped' : st;
      return {
        id: w.proposal.id,
        file: w.proposal.file,
        line: w.proposal.line,
        expression: w.proposal.expression,
        name: w.name,
        scope: w.scope,
        store: w.store,
        copies: w.copies,
        declared: step(w.declared),
        rewritten: step(w.rewritten),
        outcome: w.skipped ? 'skipped' : failed ? 'failed' : req.apply ? 'done' : 'planned',
        ...(w.failure !== undefined ? { reason: w.failure } : {}),
      };
    }),
  };
}
