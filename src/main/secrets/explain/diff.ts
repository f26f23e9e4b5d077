// `diff`: two stacks compared, or one component across two stacks, never showing a value. Per secret (by
// component and name; `*` for a stack-level declaration): declared in one and not the other, set in one and not
// the other, equal or different values, different stores or scopes. Values are compared by HMAC-SHA-256 under
// a key drawn at random for this run and dropped with it: a MAC is compared in this process and never leaves it
// (no output, log or IPC payload carries one), so a run's answers cannot be matched with another's. Values are
// read once per coordinate, one batched pass per provider (health/value-reader.ts, as `audit` reads them); a
// backend that fails is reported once per provider and its rows say `unknown`.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { SecretScope } from '../../stores';
import type { AuditedSecret } from '../health/estate';
import { readValues } from '../health/value-reader';
import { describeCoordinate, type SecretCoordinate } from '../model/coordinates';
import type { ComponentSecrets, PlacedSecret } from '../model/secrets-index';
import { STACK_WIDE } from '../operations/list';
import { throwIfCancelled, type LongRunning, type OperationContext } from '../operations/operation-context';
import { byText } from '../model/ordering';

export interface DiffRequest extends LongRunning {
  /** Exactly two canonical stack names: A and B. */
  readonly stacks: readonly [string, string];
  /** One component compared across the two stacks; without it, every deployable component of each. */
  readonly component?: string | undefined;
}

/** One side of a row: how the secret is declared and placed in that stack, and whether it holds a value. */
export interface DiffSide {
  readonly scope: SecretScope;
  /** `store:<name>` or `sops:<name>`. */
  readonly provider: string;
  /** Where the value lives, in words (never the value). */
  readonly where: string;
  /** `initialized`/`missing` from the backend; `unknown` when the backend could not be read. */
  readonly status: 'initialized' | 'missing' | 'unknown';
}

export type DeclaredIn = 'both' | 'a' | 'b';
export type SetIn = 'both' | 'a' | 'b' | 'neither' | 'unknown';
/** `same-place`: both resolve to one coordinate (a global secret, a shared file key): one value by definition. */
export type ValueComparison = 'equal' | 'different' | 'same-place' | 'not-comparable' | 'unknown';

export interface DiffRow {
  /** The component, or `*` for a stack-level declaration (without a component filter). */
  readonly component: string;
  readonly secret: string;
  readonly a: DiffSide | null;
  readonly b: DiffSide | null;
  readonly declared: DeclaredIn;
  readonly set: SetIn;
  readonly value: ValueComparison;
  readonly storeDiffers: boolean;
  readonly scopeDiffers: boolean;
  /** Anything above differs (declared or set in one only, different values, stores or scopes). */
  readonly differs: boolean;
}

export interface DiffProblem {
  readonly provider: string;
  /** Names and counts only. */
  readonly message: string;
}

export interface DiffReport {
  readonly a: string;
  readonly b: string;
  readonly component: string | null;
  readonly rows: readonly DiffRow[];
  readonly summary: {
    readonly secrets: number;
    readonly differing: number;
    readonly onlyInA: number;
    readonly onlyInB: number;
    readonly differentValues: number;
  };
  /** Backends that could not be read, once per provider: their rows' status and value are `unknown`. */
  readonly problems: readonly DiffProblem[];
}

type Side = Map<string, { readonly component: string; readonly secret: PlacedSecret }>;

function rowId(component: string, name: string): string {
  return `${component}\0${name}`;
}

/** The secrets of one stack: one component's, or every deployable component's (stack-level ones once, as `*`). */
function sideOf(ctx: OperationContext, stack: string, component: string | undefined): Side {
  const side: Side = new Map();
  const add = (cs: ComponentSecrets, asComponent: (s: PlacedSecret) => string): void => {
    for (const b of cs.broken) throw b.error;
    for (const s of cs.secrets) {
      const c = asComponent(s);
      const id = rowId(c, s.name);
      if (!side.has(id)) side.set(id, { component: c, secret: s });
    }
  };
  if (component !== undefined) {
    if (!ctx.index.listing(stack).some((c) => c.name === component)) return side;
    add(ctx.index.component(stack, component), () => component);
    return side;
  }
  for (const c of ctx.index.deployable(stack)) {
    add(ctx.index.component(stack, c.name, c.type), (s) => (s.declaration.position === 'stack' ? STACK_WIDE : c.name));
  }
  return side;
}

function asAudited(c: SecretCoordinate): AuditedSecret {
  return { coordinate: c, places: [], required: false, production: false, nonProduction: false };
}

export async function diffStacks(ctx: OperationContext, req: DiffRequest): Promise<DiffReport> {
  const [a, b] = req.stacks.map((s) => ctx.workspace.resolveStack(s).name) as [string, string];
  if (a === b) {
    throw new AppError('USAGE', `diff needs two different stacks (both are ${a})`, {
      hint: 'Pass -s A -s B with two stack names; atmos-secret describe stacks lists them.',
    });
  }
  if (req.component !== undefined) {
    const inA = ctx.index.listing(a).some((c) => c.name === req.component);
    const inB = ctx.index.listing(b).some((c) => c.name === req.component);
    if (!inA && !inB) {
      throw new AppError('NOT_FOUND', `component "${req.component}" is in neither ${a} nor ${b}`, {
        hint: `Components in ${a}: ${
          ctx.index
            .deployable(a)
            .map((c) => c.name)
            .join(', ') || '(none)'
        }.`,
      });
    }
  }
  const sideA = sideOf(ctx, a, req.component);
  const sideB = sideOf(ctx, b, req.component);
  throwIfCancelled(req.signal);

  // Each distinct coordinate read once. The key is this run's alone and is never stored or returned.
  const coords = new Map<string, SecretCoordinate>();
  for (const side of [sideA, sideB])
    for (const { secret } of side.values()) coords.set(secret.coordinate.key, secret.coordinate);
  const runKey = randomBytes(32);
  const macs = new Map<string, Buffer>();
  const outcome = await readValues(
    ctx,
    [...coords.values()].map(asAudited),
    (key, value) => macs.set(key, createHmac('sha256', runKey).update(value, 'utf8').digest()),
    { signal: req.signal, onProgress: req.onProgress },
  );
  runKey.fill(0);
  const statusOf = (c: SecretCoordinate): DiffSide['status'] =>
    outcome.unchecked.has(c.key) ? 'unknown' : outcome.present.has(c.key) ? 'initialized' : 'missing';
  const sideRow = (p: PlacedSecret | undefined): DiffSide | null =>
    p
      ? {
          scope: p.declaration.scope,
          provider: p.coordinate.provider,
          where: describeCoordinate(p.coordinate),
          status: statusOf(p.coordinate),
        }
      : null;

  const ids = [...new Set([...sideA.keys(), ...sideB.keys()])];
  const rows = ids.map((id): DiffRow => {
    const pa = sideA.get(id);
    const pb = sideB.get(id);
    const first = pa ?? pb;
    if (!first) throw new AppError('INTERNAL', 'a diff row without a side');
    const ca = pa?.secret.coordinate;
    const cb = pb?.secret.coordinate;
    const sa = sideRow(pa?.secret);
    const sb = sideRow(pb?.secret);
    const declared: DeclaredIn = pa && pb ? 'both' : pa ? 'a' : 'b';
    const set = setIn(sa, sb);
    const value = compare(ca, cb, set, macs);
    const storeDiffers = sa !== null && sb !== null && sa.provider !== sb.provider;
    const scopeDiffers = sa !== null && sb !== null && sa.scope !== sb.scope;
    const differs =
      declared !== 'both' || set === 'a' || set === 'b' || value === 'different' || storeDiffers || scopeDiffers;
    return {
      component: first.component,
      secret: first.secret.name,
      a: sa,
      b: sb,
      declared,
      set,
      value,
      storeDiffers,
      scopeDiffers,
      differs,
    };
  });
  macs.clear();
  rows.sort((x, y) => rowOrder(x.component, y.component) || byText(x.secret, y.secret));
  return {
    a,
    b,
    component: req.component ?? null,
    rows,
    summary: {
      secrets: rows.length,
      differing: rows.filter((r) => r.differs).length,
      onlyInA: rows.filter((r) => r.declared === 'a').length,
      onlyInB: rows.filter((r) => r.declared === 'b').length,
      differentValues: rows.filter((r) => r.value === 'different').length,
    },
    problems: outcome.problems.map((f) => ({ provider: f.places[0]?.provider ?? '', message: f.message })),
  };
}

/** Stack-level rows first, then components by name. */
function rowOrder(x: string, y: string): number {
  if (x === y) return 0;
  if (x === STACK_WIDE) return -1;
  if (y === STACK_WIDE) return 1;
  return byText(x, y);
}

function setIn(a: DiffSide | null, b: DiffSide | null): SetIn {
  if (a?.status === 'unknown' || b?.status === 'unknown') return 'unknown';
  const ia = a?.status === 'initialized';
  const ib = b?.status === 'initialized';
  return ia && ib ? 'both' : ia ? 'a' : ib ? 'b' : 'neither';
}

function compare(
  a: SecretCoordinate | undefined,
  b: SecretCoordinate | undefined,
  set: SetIn,
  macs: ReadonlyMap<string, Buffer>,
): ValueComparison {
  if (set === 'unknown') return 'unknown';
  if (!a || !b || set !== 'both') return 'not-comparable';
  if (a.key === b.key) return 'same-place';
  const ma = macs.get(a.key);
  const mb = macs.get(b.key);
  if (!ma || !mb) return 'unknown';
  return timingSafeEqual(ma, mb) ? 'equal' : 'different';
}
