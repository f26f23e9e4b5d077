// `validate` for one component, one stack or everything: every configuration error (stores, declarations,
// references, unmappable paths), store-name collisions, SOPS file collisions, and each required secret that is
// missing in its backend (each coordinate checked once). Returns a structured report; never throws for a
// finding, only for bad input (unknown stack) or cancellation.
import { SecretRef } from '../../config';
import { AppError, type SourceLocation } from '../../../shared/errors';
import type { ValidationKind } from '../../../shared/validation-kinds';
import {
  checkStoreNames,
  findNameCollisions,
  storeFunctionOnSecretStoreError,
  UnmappablePathError,
  type SecretPath,
} from '../../stores';
import type { ComponentSecrets } from '../model/secrets-index';
import type { SecretCoordinate, SopsCoordinate, StoreCoordinate } from '../model/coordinates';
import { notDeclaredError } from '../model/declarations';
import { statusesOf } from './list';
import { throwIfCancelled, type LongRunning, type OperationContext } from './operation-context';
import { collectReferences, setCommand } from '../model/references';

/**
 * What a finding is, named in src/shared/validation-kinds.ts so the CLI and the app say the same: `missing` (a
 * required secret has no value), `config` (a component, declaration or reference problem), `store-config` (a
 * store record that does not load), `unmappable` (a path the backend cannot hold), `store-function` (!store on
 * a secret store), `name-collision` / `sops-collision` (two coordinates share one backend name or SOPS key),
 * `backend` (the backend could not be asked).
 */
export type IssueKind = ValidationKind;

export interface ValidationIssue {
  readonly kind: IssueKind;
  readonly message: string;
  readonly hint?: string | undefined;
  readonly location?: SourceLocation | undefined;
  readonly stack?: string | undefined;
  readonly component?: string | undefined;
  readonly secret?: string | undefined;
}

export interface ValidationReport {
  readonly ok: boolean;
  readonly checkedAt: string;
  readonly stacks: number;
  readonly components: number;
  /** Distinct required coordinates whose status was checked. */
  readonly requiredChecked: number;
  readonly issues: readonly ValidationIssue[];
}

export interface ValidateFilter extends LongRunning {
  readonly stack?: string | undefined;
  readonly component?: string | undefined;
}

function fromError(
  kind: IssueKind,
  e: AppError,
  where: { stack?: string; component?: string; secret?: string } = {},
): ValidationIssue {
  return { kind, message: e.message, hint: e.hint, location: e.location, ...where };
}

/** Collects issues, each once: a stack-level declaration's problem shows up in every component. */
class Issues {
  readonly list: ValidationIssue[] = [];
  private readonly seen = new Set<string>();

  add(issue: ValidationIssue): void {
    const id = JSON.stringify([
      issue.kind,
      issue.message,
      issue.location?.file,
      issue.location?.line,
      issue.kind === 'missing' ? issue.stack : '',
    ]);
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.list.push(issue);
  }
}

type Placed = { readonly cs: ComponentSecrets; readonly s: ComponentSecrets['secrets'][number] };

/**
 * `validate` in named phases, each adding what it finds (a finding never stops the others): the store records,
 * each selected component (loads, declarations, references), collisions over everything seen, and the
 * required secrets' status (each coordinate once).
 */
export async function validateSecrets(ctx: OperationContext, filter: ValidateFilter = {}): Promise<ValidationReport> {
  const issues = new Issues();
  const stacks = filter.stack ? [ctx.workspace.resolveStack(filter.stack).name] : ctx.workspace.stackNames();
  if (stacks.length === 0) throw noStacksError(ctx.workspace);
  for (const e of ctx.index.stores.allFailures()) issues.add(fromError('store-config', e));

  const todo = selectedComponents(ctx, stacks, filter);
  const total = todo.length + 1;
  const components = checkComponents(ctx, todo, issues, filter, total);
  const all: Placed[] = components.flatMap((cs) => cs.secrets.map((s) => ({ cs, s })));
  checkStoreNameCollisions(ctx, all, issues);
  checkSopsCollisions(all, issues);
  const requiredChecked = await checkRequired(ctx, all, issues, filter.signal);
  filter.onProgress?.({ done: total, total, label: 'status' });

  return {
    ok: issues.list.length === 0,
    checkedAt: ctx.clock().toISOString(),
    stacks: new Set(components.map((c) => c.stack)).size,
    components: components.length,
    requiredChecked,
    issues: issues.list,
  };
}

/** The (stack, component) pairs the filter selects: deployable ones, or the one named (abstract too). */
function selectedComponents(
  ctx: OperationContext,
  stacks: readonly string[],
  filter: ValidateFilter,
): { stack: string; name: string; type: string }[] {
  const todo: { stack: string; name: string; type: string }[] = [];
  for (const stack of stacks) {
    const listed = ctx.workspace
      .components(stack)
      .filter((c) => (filter.component ? c.name === filter.component : !c.abstract));
    for (const c of listed) todo.push({ stack, name: c.name, type: c.type });
  }
  if (filter.component && todo.length === 0) {
    throw new AppError(
      'NOT_FOUND',
      `component "${filter.component}" not found${filter.stack ? ` in stack ${filter.stack}` : ' in any stack'}`,
    );
  }
  return todo;
}

/** Phase: each component loads, its declarations are valid, its references name declared secrets. */
function checkComponents(
  ctx: OperationContext,
  todo: readonly { stack: string; name: string; type: string }[],
  issues: Issues,
  progress: LongRunning,
  total: number,
): ComponentSecrets[] {
  const components: ComponentSecrets[] = [];
  let done = 0;
  for (const t of todo) {
    throwIfCancelled(progress.signal);
    const where = { stack: t.stack, component: t.name };
    let cs: ComponentSecrets;
    try {
      cs = ctx.index.component(t.stack, t.name, t.type);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      issues.add(fromError('config', e, where));
      continue;
    } finally {
      progress.onProgress?.({ done: ++done, total, label: `${t.stack}/${t.name}` });
    }
    components.push(cs);
    for (const b of cs.broken) {
      const kind = b.error instanceof UnmappablePathError ? 'unmappable' : 'config';
      issues.add(fromError(kind, b.error, { ...where, secret: b.name }));
    }
    checkReferencesInto(cs, ctx, (i) => issues.add(i));
  }
  return components;
}

/** Phase: two coordinates of one store that map to one backend name would share one value. */
function checkStoreNameCollisions(ctx: OperationContext, all: readonly Placed[], issues: Issues): void {
  const byStore = new Map<string, SecretPath[]>();
  for (const { s } of all) {
    const c = s.coordinate;
    if (c.kind !== 'store') continue;
    const list = byStore.get(c.store) ?? [];
    list.push(c.path);
    byStore.set(c.store, list);
  }
  for (const [store, paths] of byStore) {
    const config = ctx.index.stores.config(store);
    if (!config) continue;
    for (const col of checkStoreNames(config, paths).collisions) {
      issues.add({
        kind: 'name-collision',
        message: `store "${store}" maps ${col.paths.length} different secrets to one name "${col.name}": ${col.paths.map(describePath).join(', ')}`,
        hint: 'They would silently share one value. Rename a secret, change the store prefix or stack_delimiter, or use another store.',
      });
    }
  }
}

/**
 * Phase: two coordinates writing one key of one SOPS file, and instance secrets of different components in
 * one file although the template does not separate them.
 */
function checkSopsCollisions(all: readonly Placed[], issues: Issues): void {
  const sops: SopsCoordinate[] = [];
  for (const { s } of all) if (s.coordinate.kind === 'sops') sops.push(s.coordinate);
  const keyOf = (c: SopsCoordinate): string => `${c.providerName}\0${c.absoluteFile}\0${c.keyPath}`;
  const sopsCollisions = findNameCollisions(sops.map((c) => ({ path: c.path, name: keyOf(c) })));
  for (const col of sopsCollisions) {
    const [provider, , key] = col.name.split('\0');
    const file = sops.find((c) => keyOf(c) === col.name)?.file ?? '';
    issues.add({
      kind: 'sops-collision',
      message: `SOPS provider "${provider ?? ''}" would write ${col.paths.length} different secrets to key "${key ?? ''}" of ${file}: ${col.paths.map(describePath).join(', ')}`,
      hint: 'Put {{ .atmos_component }} (and {{ .atmos_stack }}) in spec.file, or give the secrets their own files.',
    });
  }
  const keyClash = new Set(sopsCollisions.map((c) => c.name.split('\0')[1]));
  const instancesByFile = new Map<string, { file: string; provider: string; owners: Set<string> }>();
  for (const c of sops) {
    if (c.path.scope !== 'instance' || keyClash.has(c.absoluteFile)) continue;
    const id = `${c.providerName}\0${c.absoluteFile}`;
    const entry = instancesByFile.get(id) ?? { file: c.file, provider: c.providerName, owners: new Set<string>() };
    entry.owners.add(`${c.path.stack ?? ''}/${c.path.component ?? ''}`);
    instancesByFile.set(id, entry);
  }
  for (const e of instancesByFile.values()) {
    if (e.owners.size < 2) continue;
    issues.add({
      kind: 'sops-collision',
      message: `SOPS provider "${e.provider}" puts instance secrets of ${e.owners.size} components in one file ${e.file}: ${[...e.owners].sort().join(', ')}`,
      hint: 'Put {{ .atmos_component }} in spec.file so each instance has its own file, or declare the secrets at stack or global scope.',
    });
  }
}

/** Phase: every required secret has a value (each coordinate checked once). Returns how many were checked. */
async function checkRequired(
  ctx: OperationContext,
  all: readonly Placed[],
  issues: Issues,
  signal: AbortSignal | undefined,
): Promise<number> {
  const required = all.filter(({ s }) => s.declaration.required);
  const coords: SecretCoordinate[] = required.map(({ s }) => s.coordinate);
  const statuses = await statusesOf(ctx, coords, true, { signal });
  const reported = new Set<string>();
  for (const { cs, s } of required) {
    const st = statuses.get(s.coordinate.key);
    if (!st || reported.has(s.coordinate.key)) continue;
    if (st.status === 'missing') {
      reported.add(s.coordinate.key);
      issues.add({
        kind: 'missing',
        message: `required secret "${s.name}" is not initialized (${scopeWhere(cs, s.coordinate)})`,
        hint: `Set it with: ${setCommand({ name: s.name, stack: cs.stack, component: cs.component, scope: s.declaration.scope })}`,
        location: s.declaration.location,
        stack: cs.stack,
        component: cs.component,
        secret: s.name,
      });
    } else if (st.status === 'error') {
      reported.add(s.coordinate.key);
      issues.add({
        kind: 'backend',
        message: st.detail ?? `secret "${s.name}" could not be checked`,
        stack: cs.stack,
        component: cs.component,
        secret: s.name,
      });
    }
  }
  return new Set(coords.map((c) => c.key)).size;
}

/** Validating nothing is not "all good": an empty or wrong base path is a configuration error. */
function noStacksError(ws: OperationContext['workspace']): AppError {
  const patterns = ws.resolved.includedPaths.join(', ');
  return new AppError('CONFIG', `no stacks found under ${ws.stacksBasePath} (included_paths: ${patterns || 'none'})`, {
    location: { file: ws.configPath },
    hint: 'Check base_path and stacks.base_path / included_paths in atmos.yaml, or pass --base-path to the folder that holds it.',
  });
}

function describePath(p: SecretPath): string {
  switch (p.scope) {
    case 'instance':
      return `${p.name} (${p.stack ?? ''}/${p.component ?? ''})`;
    case 'stack':
      return `${p.name} (stack ${p.stack ?? ''})`;
    case 'global':
      return `${p.name} (global)`;
    default: {
      const never: never = p.scope;
      throw new AppError('INTERNAL', `unexpected scope ${String(never)}`);
    }
  }
}

function scopeWhere(cs: ComponentSecrets, c: StoreCoordinate | SopsCoordinate): string {
  const scope = c.path.scope;
  const place =
    scope === 'instance' ? `${cs.stack}/${cs.component}` : scope === 'stack' ? `stack ${cs.stack}` : 'global';
  return `${place}, ${c.provider}`;
}

/** Every `!secret` of an undeclared name and every `!store` on a secret store in the component's sections. */
function checkReferencesInto(cs: ComponentSecrets, ctx: OperationContext, add: (i: ValidationIssue) => void): void {
  const declared = new Set(Object.keys(cs.config.secretDeclarations));
  const where = { stack: cs.stack, component: cs.component };
  for (const [section, value] of Object.entries(cs.config.sections)) {
    if (section === 'secrets') continue;
    for (const ref of collectReferences(value)) {
      if (ref instanceof SecretRef) {
        if (!declared.has(ref.name))
          add(
            fromError('config', notDeclaredError(ref.name, ref.location, cs.component), { ...where, secret: ref.name }),
          );
      } else if (ctx.index.stores.config(ref.store)?.secret === true) {
        add({
          ...fromError('store-function', storeFunctionOnSecretStoreError(ref.store, ref.location), where),
          hint: `Declare the secret under secrets.vars, copy its value with atmos-secret import (atmos-secret import --list -s ${cs.stack} shows this use), then read it with !secret.`,
        });
      }
    }
  }
}
