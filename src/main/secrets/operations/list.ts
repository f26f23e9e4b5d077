// `list`: one row per declared secret per (stack, component), stack-position declarations once per stack with
// component `*`. Never reads a value. Status: local backends are checked always, remote ones only with
// `verify` (else `unknown`); each coordinate is checked once however many rows share it.
import type { SecretScope } from '../../stores';
import { AppError } from '../../../shared/errors';
import { withBackend } from '../backends/backend';
import type { ComponentSecrets } from '../model/secrets-index';
import type { SecretCoordinate } from '../model/coordinates';
import { byText } from '../model/ordering';
import { throwIfCancelled, type LongRunning, type OperationContext } from './operation-context';

export type ListStatus = 'initialized' | 'missing' | 'unknown' | 'error';

export interface ListRow {
  readonly stack: string;
  /** The component, or `*` for a declaration in a stack's top-level secrets block. */
  readonly component: string;
  readonly secret: string;
  readonly scope: SecretScope;
  /** `store:<name>` or `sops:<name>`. */
  readonly provider: string;
  readonly status: ListStatus;
  readonly required: boolean;
  readonly description?: string | undefined;
  /** Why the status is `error` (a configuration or backend problem); never a value. */
  readonly detail?: string | undefined;
}

export interface ListFilter extends LongRunning {
  readonly stack?: string | undefined;
  readonly component?: string | undefined;
  /** Contact remote backends for their real status. */
  readonly verify?: boolean | undefined;
}

export const STACK_WIDE = '*';

/** A selected component whose configuration does not load. */
export interface UnloadableComponent {
  readonly stack: string;
  readonly component: string;
  readonly error: AppError;
}

/**
 * The components a stack/component filter selects (deployable ones; an explicit component may be abstract).
 * With `unloadable`, a component whose configuration does not load is recorded there instead of failing all.
 */
export function selectComponents(
  ctx: OperationContext,
  filter: { stack?: string | undefined; component?: string | undefined },
  signal?: AbortSignal,
  unloadable?: UnloadableComponent[],
): ComponentSecrets[] {
  const stacks = filter.stack ? [ctx.workspace.resolveStack(filter.stack).name] : ctx.workspace.stackNames();
  const out: ComponentSecrets[] = [];
  let matched = false;
  for (const stack of stacks) {
    throwIfCancelled(signal);
    const listed = ctx.workspace
      .components(stack)
      .filter((c) => (filter.component ? c.name === filter.component : !c.abstract));
    for (const c of listed) {
      matched = true;
      try {
        out.push(ctx.index.component(stack, c.name, c.type));
      } catch (e) {
        if (!(e instanceof AppError) || !unloadable) throw e;
        unloadable.push({ stack, component: c.name, error: e });
      }
    }
  }
  if (filter.component && !matched) {
    throw new AppError(
      'NOT_FOUND',
      `component "${filter.component}" not found${filter.stack ? ` in stack ${filter.stack}` : ' in any stack'}`,
      {
        hint: 'Run describe stacks to see the components of each stack.',
      },
    );
  }
  return out;
}

/** Status per coordinate key, each checked once. */
export async function statusesOf(
  ctx: OperationContext,
  coords: Iterable<SecretCoordinate>,
  verify: boolean,
  opts: LongRunning = {},
): Promise<Map<string, { status: ListStatus; detail?: string }>> {
  const unique = new Map<string, SecretCoordinate>();
  for (const c of coords) if (!unique.has(c.key)) unique.set(c.key, c);
  const out = new Map<string, { status: ListStatus; detail?: string }>();
  const total = unique.size;
  let done = 0;
  for (const [key, c] of unique) {
    throwIfCancelled(opts.signal);
    const local = withBackend(ctx.backends, c, (b, x) => b.isLocal(x));
    if (!verify && !local) {
      out.set(key, { status: 'unknown' });
    } else {
      try {
        out.set(key, { status: await withBackend(ctx.backends, c, (b, x) => b.status(x)) });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        out.set(key, { status: 'error', detail: e.message });
      }
    }
    done++;
    opts.onProgress?.({ done, total, label: c.path.name });
  }
  return out;
}

export async function listSecrets(ctx: OperationContext, filter: ListFilter = {}): Promise<ListRow[]> {
  const unloadable: UnloadableComponent[] = [];
  const components = selectComponents(ctx, filter, filter.signal, unloadable);
  type Pending = Omit<ListRow, 'status' | 'detail'> & { coordinate?: SecretCoordinate; error?: string };
  const pending = new Map<string, Pending>();
  for (const cs of components) {
    for (const s of cs.secrets) {
      const component = s.declaration.position === 'stack' ? STACK_WIDE : cs.component;
      const id = `${cs.stack}\0${component}\0${s.name}`;
      if (pending.has(id)) continue;
      pending.set(id, {
        stack: cs.stack,
        component,
        secret: s.name,
        scope: s.declaration.scope,
        provider: s.coordinate.provider,
        required: s.declaration.required,
        description: s.declaration.description,
        coordinate: s.coordinate,
      });
    }
    for (const b of cs.broken) {
      const component = b.position === 'stack' ? STACK_WIDE : cs.component;
      const id = `${cs.stack}\0${component}\0${b.name}`;
      if (pending.has(id)) continue;
      pending.set(id, {
        stack: cs.stack,
        component,
        secret: b.name,
        scope: b.scope,
        provider: b.provider,
        required: b.required,
        error: b.error.message,
      });
    }
  }
  // One error row per component that does not load, so one broken manifest does not hide every other secret.
  for (const u of unloadable) {
    pending.set(`${u.stack}\0${u.component}\0`, {
      stack: u.stack,
      component: u.component,
      secret: '',
      scope: 'instance',
      provider: '',
      required: false,
      error: u.error.message,
    });
  }
  const coords = [...pending.values()].flatMap((p) => (p.coordinate ? [p.coordinate] : []));
  const statuses = await statusesOf(ctx, coords, filter.verify === true, filter);
  const rows: ListRow[] = [...pending.values()].map(({ coordinate, error, ...row }) => {
    if (!coordinate) return { ...row, status: 'error', detail: error };
    const s = statuses.get(coordinate.key) ?? { status: 'unknown' as const };
    return { ...row, status: s.status, ...(s.detail ? { detail: s.detail } : {}) };
  });
  return rows.sort(
    (a, b) =>
      byText(a.stack, b.stack) ||
      (a.component === STACK_WIDE ? -1 : 0) - (b.component === STACK_WIDE ? -1 : 0) ||
      byText(a.component, b.component) ||
      byText(a.secret, b.secret),
  );
}
