// `list`: one row per declared secret per (stack, component), stack-position declarations once per stack with
// component `*`. Never reads a value. Status: local backends are checked always, remote ones only with
// `verify` (else `unknown`); each coordinate is checked once however many rows share it, in batches per
// provider where the backend batches. Rows are built, checked and written a stack at a time, so a listing holds
// one stack's rows; a backend failure is reported once.
import type { SecretScope } from '../../stores';
import { AppError, type ErrorCode } from '../../../shared/errors';
import {
  statusOneByOne,
  withBackend,
  type SecretBackend,
  type StatusBatcher,
  type StatusResult,
} from '../backends/backend';
import type { ComponentSecrets, ListedComponentSecrets } from '../model/secrets-index';
import type { SecretCoordinate, SopsCoordinate, StoreCoordinate } from '../model/coordinates';
import { byText } from '../model/ordering';
import { backendLocation } from '../model/targets';
import { assertSecretsDeclared } from '../model/references';
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
  /** Where the value lives (the backend's name, or a SOPS file and key) and a 1Password reference; never a value. */
  readonly location?: string | undefined;
  readonly reference?: string | undefined;
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
  if (filter.component && !matched) throw componentNotFound(filter.component, filter.stack);
  return out;
}

function componentNotFound(component: string, stack: string | undefined): AppError {
  return new AppError(
    'NOT_FOUND',
    `component "${component}" not found${stack ? ` in stack ${stack}` : ' in any stack'}`,
    {
      hint: 'Run describe stacks to see the components of each stack.',
    },
  );
}

/** A backend failure shared by many rows (an unreachable keychain, refused credentials): reported once. */
export interface ListProblem {
  /** `store:<name>` or `sops:<name>`. */
  readonly provider: string;
  readonly code: ErrorCode;
  /** The first failure's message (never a value). */
  readonly message: string;
  readonly hint?: string | undefined;
  /** Rows whose status is `error` because of it. */
  readonly rows: number;
}

export interface ListSummary {
  readonly rows: number;
  /** Backend failures, one per provider and error code, with the rows they affect. */
  readonly problems: readonly ListProblem[];
}

/**
 * Statuses of distinct coordinates, by their index in the array checked, and why for those that are `error`
 * (kept apart: 150,000 coordinates, few errors). A byte per coordinate rather than a Map keyed by each
 * coordinate's key string: `list` looks every row's status up, and the Map of 150,000 long keys was a tenth of
 * its CPU with the garbage it made.
 */
interface CheckedStatuses {
  readonly status: Uint8Array;
  readonly errors: Map<number, AppError>;
}

/** ListStatus by its code in CheckedStatuses.status (0, the array's initial value, is `unknown`). */
const STATUS_CODES: readonly ListStatus[] = ['unknown', 'initialized', 'missing', 'error'];
const codeOf = (s: ListStatus): number => STATUS_CODES.indexOf(s);
const statusAt = (checked: CheckedStatuses, i: number): ListStatus => STATUS_CODES[checked.status[i] ?? 0] ?? 'unknown';

/**
 * Status per distinct coordinate (`unique` holds each key once), in one batch per provider where the backend
 * batches (a keychain store lists its service once for the whole listing, instead of one D-Bus round trip per
 * secret).
 */
async function checkStatuses(
  ctx: OperationContext,
  unique: readonly SecretCoordinate[],
  verify: boolean,
  opts: LongRunning = {},
  batchers: StatusBatchers = plainBatchers(ctx),
): Promise<CheckedStatuses> {
  const status = new Uint8Array(unique.length);
  const errors = new Map<number, AppError>();
  const byProvider = new Map<string, { coords: SecretCoordinate[]; at: number[] }>();
  unique.forEach((c, i) => {
    const group = byProvider.get(c.provider);
    if (group) {
      group.coords.push(c);
      group.at.push(i);
    } else byProvider.set(c.provider, { coords: [c], at: [i] });
  });
  const total = unique.length;
  let done = 0;
  for (const [provider, { coords, at }] of byProvider) {
    throwIfCancelled(opts.signal);
    const results = await statusesOfGroup(ctx, batchers, coords, verify);
    at.forEach((i, j) => {
      const r = results[j];
      if (!r) return; // not checked: stays `unknown`
      if (r.ok) status[i] = codeOf(r.status);
      else {
        status[i] = codeOf('error');
        errors.set(i, r.error);
      }
    });
    done += at.length;
    opts.onProgress?.({ done, total, label: provider });
  }
  return { status, errors };
}

/** Each coordinate key once, in the order first met, and its index there. */
class DistinctCoordinates {
  readonly unique: SecretCoordinate[] = [];
  private readonly at = new Map<string, number>();

  indexOf(c: SecretCoordinate): number {
    let i = this.at.get(c.key);
    if (i === undefined) {
      i = this.unique.length;
      this.unique.push(c);
      this.at.set(c.key, i);
    }
    return i;
  }
}

/** Where statuses come from: the backends' own `statusMany`, or a listing's sessions (statusSession). */
interface StatusBatchers {
  readonly store: StatusBatcher<StoreCoordinate>;
  readonly sops: StatusBatcher<SopsCoordinate>;
}

function plainBatchers(ctx: OperationContext): StatusBatchers {
  const { store, sops } = ctx.backends;
  return {
    store: { statusMany: (cs) => batchStatuses(store, cs) },
    sops: { statusMany: (cs) => batchStatuses(sops, cs) },
  };
}

/** For one operation that asks statuses stack by stack: each backend's session where it has one. */
function sessionBatchers(ctx: OperationContext): StatusBatchers {
  const plain = plainBatchers(ctx);
  const { store, sops } = ctx.backends;
  return { store: store.statusSession?.() ?? plain.store, sops: sops.statusSession?.() ?? plain.sops };
}

/** One provider's coordinates: `unknown` when remote and not verifying, else one batch (or one call each). */
async function statusesOfGroup(
  ctx: OperationContext,
  batchers: StatusBatchers,
  group: readonly SecretCoordinate[],
  verify: boolean,
): Promise<(StatusResult | undefined)[]> {
  const first = group[0];
  if (!first) return [];
  const local = withBackend(ctx.backends, first, (b, x) => b.isLocal(x));
  if (!verify && !local) return group.map(() => undefined);
  switch (first.kind) {
    case 'store':
      return batchers.store.statusMany(group.filter((c) => c.kind === 'store'));
    case 'sops':
      return batchers.sops.statusMany(group.filter((c) => c.kind === 'sops'));
    default: {
      const never: never = first;
      throw new AppError('INTERNAL', `unexpected coordinate ${String(never)}`);
    }
  }
}

function batchStatuses<C extends SecretCoordinate>(b: SecretBackend<C>, cs: readonly C[]): Promise<StatusResult[]> {
  return b.statusMany ? b.statusMany(cs) : statusOneByOne(cs, (c) => b.status(c));
}

/** Status per coordinate key, each checked once (batched per provider); `detail` says why a status is `error`. */
export async function statusesOf(
  ctx: OperationContext,
  coords: Iterable<SecretCoordinate>,
  verify: boolean,
  opts: LongRunning = {},
): Promise<Map<string, { status: ListStatus; detail?: string }>> {
  const distinct = new DistinctCoordinates();
  for (const c of coords) distinct.indexOf(c);
  const checked = await checkStatuses(ctx, distinct.unique, verify, opts);
  const out = new Map<string, { status: ListStatus; detail?: string }>();
  distinct.unique.forEach((c, i) => {
    const status = statusAt(checked, i);
    const error = checked.errors.get(i);
    out.set(c.key, error ? { status, detail: error.message } : { status });
  });
  return out;
}

/** A row being put together: status (and a row's own detail) are set when its stack is written. */
type Pending = { -readonly [K in keyof ListRow]: ListRow[K] };

interface PendingRow {
  readonly row: Pending;
  /**
   * The row's coordinate, as its index in the listing's DistinctCoordinates (a number, not the coordinate: rows
   * sharing one hold it once). -1 for a row that is an error by itself (a broken declaration, a component that
   * does not load).
   */
  readonly at: number;
}

/** The rows of one stack (each (component, secret) once), unsorted; status `unknown` until checked. */
function pendingRows(
  components: readonly ListedComponentSecrets[],
  unloadable: readonly UnloadableComponent[],
  distinct: DistinctCoordinates,
): PendingRow[] {
  const pending = new Map<string, PendingRow>();
  for (const cs of components) {
    for (const s of cs.secrets) {
      const component = s.declaration.position === 'stack' ? STACK_WIDE : cs.component;
      const id = `${component}\0${s.name}`;
      if (pending.has(id)) continue;
      const row: Pending = {
        stack: cs.stack,
        component,
        secret: s.name,
        scope: s.declaration.scope,
        provider: s.coordinate.provider,
        status: 'unknown',
        required: s.declaration.required,
        description: s.declaration.description,
        ...backendLocation(s.coordinate),
      };
      pending.set(id, { row, at: distinct.indexOf(s.coordinate) });
    }
    for (const b of cs.broken) {
      const component = b.position === 'stack' ? STACK_WIDE : cs.component;
      const id = `${component}\0${b.name}`;
      if (pending.has(id)) continue;
      const row: Pending = {
        stack: cs.stack,
        component,
        secret: b.name,
        scope: b.scope,
        provider: b.provider,
        status: 'error',
        required: b.required,
        detail: b.error.message,
      };
      pending.set(id, { row, at: -1 });
    }
  }
  // One error row per component that does not load, so one broken manifest does not hide every other secret.
  for (const u of unloadable) {
    const row: Pending = {
      stack: u.stack,
      component: u.component,
      secret: '',
      scope: 'instance',
      provider: '',
      status: 'error',
      required: false,
      detail: u.error.message,
    };
    pending.set(`${u.component}\0`, { row, at: -1 });
  }
  return [...pending.values()];
}

function byRowOrder({ row: a }: PendingRow, { row: b }: PendingRow): number {
  return (
    (a.component === STACK_WIDE ? -1 : 0) - (b.component === STACK_WIDE ? -1 : 0) ||
    byText(a.component, b.component) ||
    byText(a.secret, b.secret)
  );
}

/** A row, and the id of the backend problem behind its `error` status, if any. */
type RowSink = (row: ListRow, problemId: string | undefined) => void | Promise<void>;

interface ProblemTally {
  readonly first: AppError;
  readonly provider: string;
  rows: number;
}

/**
 * One stack's rows, sorted, built from its components one at a time: a component's secrets (and merged
 * configuration) are let go once its rows are taken. Each component's `!secret` names are checked first (a
 * misspelt name fails the listing before this stack's rows are written, as describe fails). A component that
 * does not load is one error row, not a failure of the listing. Undefined when no component matches.
 */
function stackRows(
  ctx: OperationContext,
  stack: string,
  filter: ListFilter,
  distinct: DistinctCoordinates,
): PendingRow[] | undefined {
  const components: ListedComponentSecrets[] = [];
  const unloadable: UnloadableComponent[] = [];
  let matched = false;
  for (const c of ctx.index.listing(stack)) {
    if (filter.component ? c.name !== filter.component : c.abstract) continue;
    matched = true;
    let cs: ListedComponentSecrets;
    try {
      // Only what the rows need is merged in a static stack (declarations, providers, auth), not every section.
      cs = ctx.index.listed(stack, c.name, c.type);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      unloadable.push({ stack, component: c.name, error: e });
      continue;
    }
    // Every `!secret` marks its file, and so the stack, dynamic: a static stack's component has none to check
    // (and its listing config holds no other section to check them in).
    if (cs.config.dynamic) assertSecretsDeclared(cs.config);
    components.push(cs);
  }
  return matched ? pendingRows(components, unloadable, distinct).sort(byRowOrder) : undefined;
}

/**
 * The statuses of a listing, asked a stack at a time through the backends' sessions (a keychain is listed once
 * for the whole listing). A coordinate that stacks can share (a global secret, a SOPS file that spans stacks) is
 * checked once and remembered; the others belong to one stack and are let go with its rows.
 */
class ListingStatuses {
  private readonly batchers: StatusBatchers;
  private readonly shared = new Map<string, { status: number; error: AppError | undefined }>();

  constructor(
    private readonly ctx: OperationContext,
    private readonly verify: boolean,
  ) {
    this.batchers = sessionBatchers(ctx);
  }

  async check(unique: readonly SecretCoordinate[]): Promise<CheckedStatuses> {
    const status = new Uint8Array(unique.length);
    const errors = new Map<number, AppError>();
    const ask: SecretCoordinate[] = [];
    const askAt: number[] = [];
    unique.forEach((c, i) => {
      const known = this.shared.get(c.key);
      if (known === undefined) {
        ask.push(c);
        askAt.push(i);
        return;
      }
      status[i] = known.status;
      if (known.error) errors.set(i, known.error);
    });
    const checked = await checkStatuses(this.ctx, ask, this.verify, {}, this.batchers);
    askAt.forEach((i, j) => {
      const c = ask[j];
      const code = checked.status[j] ?? 0;
      const error = checked.errors.get(j);
      status[i] = code;
      if (error) errors.set(i, error);
      if (c && isShared(c)) this.shared.set(c.key, { status: code, error });
    });
    return { status, errors };
  }
}

/** A coordinate more than one stack may have: a global store secret, or a SOPS file that spans stacks. */
function isShared(c: SecretCoordinate): boolean {
  return c.kind === 'store' ? c.path.scope === 'global' : c.spansStacks;
}

/**
 * Stack by stack, in order: the stack's rows built, their statuses checked (batched per provider, through each
 * backend's session), the rows handed to `onRow` and let go. Nothing of a written stack is held, so a 1,000-stack
 * listing holds one stack's rows at a time. Progress counts stacks.
 */
async function walkRows(
  ctx: OperationContext,
  filter: ListFilter,
  onRow: RowSink,
): Promise<{ rows: number; problems: Map<string, ProblemTally> }> {
  const stacks = filter.stack
    ? [ctx.workspace.resolveStack(filter.stack).name]
    : [...ctx.workspace.stackNames()].sort(byText);
  const statuses = new ListingStatuses(ctx, filter.verify === true);
  const problems = new Map<string, ProblemTally>();
  const problemIds = new Map<AppError, string>();
  let rows = 0;
  let matched = false;
  for (const [n, stack] of stacks.entries()) {
    throwIfCancelled(filter.signal);
    const distinct = new DistinctCoordinates();
    const pending = stackRows(ctx, stack, filter, distinct);
    if (pending === undefined) continue;
    matched = true;
    const checked = await statuses.check(distinct.unique);
    for (const { row, at } of pending) {
      rows++;
      if (at < 0) {
        await onRow(row, undefined);
        continue;
      }
      row.status = statusAt(checked, at);
      const error = checked.errors.get(at);
      let problemId: string | undefined;
      if (error) {
        const provider = row.provider; // the coordinate's
        // A failed batch shares one error object: its id is worked out once, not once per row.
        problemId = problemIds.get(error) ?? `${provider}\0${error.code}`;
        problemIds.set(error, problemId);
        const problem = problems.get(problemId);
        if (problem) problem.rows++;
        else problems.set(problemId, { first: error, provider, rows: 1 });
      }
      await onRow(row, problemId);
    }
    filter.onProgress?.({ done: n + 1, total: stacks.length, label: stack });
  }
  if (filter.component && !matched) throw componentNotFound(filter.component, filter.stack);
  return { rows, problems };
}

/**
 * `list`, streamed: rows go to `onRow` as each stack's are ready, in order (stack, stack-wide rows first,
 * component, secret), so no caller has to hold the whole listing. Each stack's statuses are checked before its
 * rows are written, each coordinate once, in one batch per provider through the backend's session (a keychain's
 * service listed once for the whole listing). A backend failure is one `ListProblem` per provider and error code
 * with the number of rows it affects, not a message per row; a row's own `detail` is kept for what is wrong
 * with that row alone (a broken declaration, a component whose configuration does not load).
 */
export async function streamSecrets(
  ctx: OperationContext,
  filter: ListFilter,
  onRow: (row: ListRow) => void | Promise<void>,
): Promise<ListSummary> {
  const { rows, problems } = await walkRows(ctx, filter, (row) => onRow(row));
  return {
    rows,
    problems: [...problems.values()].map((p) => ({
      provider: p.provider,
      code: p.first.code,
      message: p.first.message,
      hint: p.first.hint,
      rows: p.rows,
    })),
  };
}

/**
 * `list` as an array (the app's table). A backend problem shows on the first row it affects, as
 * `<message> (and N more rows)`, so a caller that prints each row's detail prints each problem once.
 */
export async function listSecrets(ctx: OperationContext, filter: ListFilter = {}): Promise<ListRow[]> {
  const rows: ListRow[] = [];
  const firstRowOf = new Map<string, number>();
  const { problems } = await walkRows(ctx, filter, (row, problemId) => {
    if (problemId !== undefined && !firstRowOf.has(problemId)) firstRowOf.set(problemId, rows.length);
    rows.push(row);
  });
  for (const [id, p] of problems) {
    const at = firstRowOf.get(id);
    const row = at === undefined ? undefined : rows[at];
    if (at === undefined || !row) continue;
    const more = p.rows - 1;
    const detail = more > 0 ? `${p.first.message} (and ${more} more row${more === 1 ? '' : 's'})` : p.first.message;
    rows[at] = { ...row, detail };
  }
  return rows;
}
