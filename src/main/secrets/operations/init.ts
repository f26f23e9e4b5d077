// `init`: walks the declared secrets of a component, a stack or everything, reports which are missing, and
// sets those the caller supplies values for (from a map or a callback such as a masked prompt). Each coordinate
// is visited once. Overwriting an initialized value needs `overwrite`, and, for a shared one, confirmation.
import { randomBytes } from 'node:crypto';
import type { SecretScope } from '../../stores';
import { AppError } from '../../../shared/errors';
import { withBackend } from '../backends/backend';
import { describeCoordinate, type SecretCoordinate } from '../model/coordinates';
import { selectComponents, statusesOf, STACK_WIDE, type ListStatus } from './list';
import { byText } from '../model/ordering';
import {
  confirmOrStop,
  throwIfCancelled,
  type Confirmable,
  type LongRunning,
  type OperationContext,
} from './operation-context';
import { checkSize } from './values';

export interface InitEntry {
  readonly stack: string;
  readonly component: string;
  readonly secret: string;
  readonly scope: SecretScope;
  readonly provider: string;
  readonly required: boolean;
  readonly description: string | undefined;
  readonly before: ListStatus;
  readonly action: 'set' | 'would-set' | 'left-missing' | 'kept' | 'error';
  readonly detail?: string | undefined;
}

export interface InitRequest extends LongRunning, Confirmable {
  readonly stack?: string | undefined;
  readonly component?: string | undefined;
  /** Values by secret NAME (every entry with that name in the selection gets it). */
  readonly values?: Readonly<Record<string, string>> | undefined;
  /** Asked for each entry without a value in `values` (missing ones, or all with `overwrite`); undefined skips. */
  readonly valueFor?: ((entry: Omit<InitEntry, 'action' | 'detail'>) => Promise<string | undefined>) | undefined;
  /** Also replace values that are already initialized. */
  readonly overwrite?: boolean | undefined;
  /** Report only; write nothing and ask nothing. */
  readonly dryRun?: boolean | undefined;
  /** Refuse keys in `values` that nothing in the selection declares, before writing anything. */
  readonly strict?: boolean | undefined;
}

export interface InitReport {
  readonly entries: readonly InitEntry[];
  /** Keys of `values` that the selection does not declare (skipped). */
  readonly unknownKeys: readonly string[];
}

/**
 * A value for a secret the person asked to generate (the app's "Set what is missing"): 32 random bytes from the
 * OS CSPRNG as base64url (256 bits, 43 characters of [A-Za-z0-9_-], safe in every backend and a dotenv file).
 * Made in main, so the renderer never holds it.
 */
export function generatedValue(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export async function initSecrets(ctx: OperationContext, req: InitRequest): Promise<InitReport> {
  const components = selectComponents(ctx, req, req.signal);
  const seen = new Map<string, number>();
  const planned: { entry: Omit<InitEntry, 'action' | 'before' | 'detail'>; c: SecretCoordinate }[] = [];
  const declaredNames = new Set<string>();
  for (const cs of components) {
    for (const s of cs.secrets) {
      declaredNames.add(s.name);
      const at = seen.get(s.coordinate.key);
      if (at !== undefined) {
        // One entry per coordinate: required when any of its declarations says so.
        const p = planned[at];
        if (p && s.declaration.required && !p.entry.required) {
          planned[at] = { ...p, entry: { ...p.entry, required: true } };
        }
        continue;
      }
      seen.set(s.coordinate.key, planned.length);
      planned.push({
        entry: {
          stack: cs.stack,
          component: s.declaration.position === 'stack' ? STACK_WIDE : cs.component,
          secret: s.name,
          scope: s.declaration.scope,
          provider: s.coordinate.provider,
          required: s.declaration.required,
          description: s.declaration.description,
        },
        c: s.coordinate,
      });
    }
  }
  planned.sort(
    (a, b) =>
      byText(a.entry.stack, b.entry.stack) ||
      (a.entry.component === STACK_WIDE ? -1 : 0) - (b.entry.component === STACK_WIDE ? -1 : 0) ||
      byText(a.entry.component, b.entry.component) ||
      byText(a.entry.secret, b.entry.secret),
  );
  const values = req.values ?? {};
  const unknownKeys = Object.keys(values).filter((k) => !declaredNames.has(k));
  if (req.strict && unknownKeys.length > 0) {
    throw new AppError(
      'CONFIG',
      `init refused: ${unknownKeys.map((k) => `"${k}"`).join(', ')} ${unknownKeys.length === 1 ? 'is' : 'are'} not declared in the selection; nothing was written`,
      {
        hint: 'Declare them under secrets.vars or remove them from the input.',
      },
    );
  }
  const statuses = await statusesOf(
    ctx,
    planned.map((p) => p.c),
    true,
    { signal: req.signal },
  );
  const entries: InitEntry[] = [];
  let done = 0;
  for (const { entry, c } of planned) {
    throwIfCancelled(req.signal);
    const st = statuses.get(c.key) ?? { status: 'unknown' as const };
    const base = { ...entry, before: st.status };
    req.onProgress?.({ done: ++done, total: planned.length, label: entry.secret });
    if (st.status === 'error') {
      entries.push({ ...base, action: 'error', detail: st.detail });
      continue;
    }
    const wanted = st.status !== 'initialized' || req.overwrite === true;
    if (!wanted) {
      entries.push({ ...base, action: 'kept' });
      continue;
    }
    if (req.dryRun) {
      entries.push({
        ...base,
        action: Object.hasOwn(values, entry.secret)
          ? 'would-set'
          : st.status === 'initialized'
            ? 'kept'
            : 'left-missing',
      });
      continue;
    }
    let value: string | undefined = Object.hasOwn(values, entry.secret) ? values[entry.secret] : undefined;
    if (value === undefined && req.valueFor) value = await req.valueFor(base);
    if (value === undefined) {
      entries.push({ ...base, action: st.status === 'initialized' ? 'kept' : 'left-missing' });
      continue;
    }
    try {
      checkSize(ctx, c, value);
      if (st.status === 'initialized' && entry.scope !== 'instance') {
        const sum = ctx.consumers.consumersOf(c);
        await confirmOrStop(
          ctx,
          {
            operation: 'init',
            items: [
              {
                secret: entry.secret,
                scope: entry.scope,
                provider: entry.provider,
                where: describeCoordinate(c),
                consumers: sum.consumers,
                stacks: sum.stacks,
              },
            ],
            message: `init replaces the shared secret ${entry.secret} used by ${sum.stacks.length} stacks and ${sum.consumers.length} components`,
          },
          req.confirm,
        );
      }
      const v = value;
      await withBackend(ctx.backends, c, (b, x) => b.set(x, v));
      entries.push({ ...base, action: 'set' });
    } catch (e) {
      if (!(e instanceof AppError) || e.code === 'CANCELLED' || e.code === 'USAGE') throw e;
      entries.push({ ...base, action: 'error', detail: e.message });
    }
  }
  return { entries, unknownKeys };
}
