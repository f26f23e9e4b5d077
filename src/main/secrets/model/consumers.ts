// The consumers of a secret: every (stack, component) whose declaration resolves to the same backend
// coordinate, computed from config without calling a backend. A stack-scoped store secret can only be shared
// inside its stack, so only that stack is scanned; a global secret (or a SOPS file that is not per stack)
// needs every stack, indexed once per workspace load on first use.
import type { SecretScope } from '../../stores';
import { AppError } from '../../../shared/errors';
import type { SecretsIndex } from './secrets-index';
import type { SecretCoordinate } from './coordinates';
import { byText } from './ordering';

export interface Consumer {
  readonly stack: string;
  readonly component: string;
  readonly secret: string;
  readonly scope: SecretScope;
}

export interface ConsumerSummary {
  readonly key: string;
  /** Sorted by stack, then component. */
  readonly consumers: readonly Consumer[];
  /** Distinct stacks, sorted. */
  readonly stacks: readonly string[];
}

type KeyIndex = Map<string, Consumer[]>;

export class ConsumersIndex {
  private readonly perStack = new Map<string, KeyIndex>();
  private everywhere: KeyIndex | undefined;
  /** Components the index skipped because their configuration does not load (validate reports them). */
  readonly skipped: { stack: string; component: string; error: AppError }[] = [];

  constructor(private readonly index: SecretsIndex) {}

  /** Every consumer of the coordinate (the asking component included). */
  consumersOf(c: SecretCoordinate): ConsumerSummary {
    const found = this.needsAllStacks(c) ? this.all().get(c.key) : this.stack(c.path.stack ?? '').get(c.key);
    const consumers = [...(found ?? [])].sort((a, b) => byText(a.stack, b.stack) || byText(a.component, b.component));
    return { key: c.key, consumers, stacks: [...new Set(consumers.map((x) => x.stack))].sort() };
  }

  private needsAllStacks(c: SecretCoordinate): boolean {
    if (c.path.scope === 'global' || !c.path.stack) return true;
    switch (c.kind) {
      case 'store':
        return false;
      case 'sops':
        // A spec.file without the stack in it is one file for every stack.
        return c.spansStacks;
      default: {
        const never: never = c;
        throw new AppError('INTERNAL', `unexpected coordinate ${String(never)}`);
      }
    }
  }

  /** The index of one stack's deployable components. */
  stack(stack: string): KeyIndex {
    const cached = this.perStack.get(stack);
    if (cached) return cached;
    const idx: KeyIndex = new Map();
    for (const c of this.index.deployable(stack)) {
      let cs;
      try {
        cs = this.index.component(stack, c.name, c.type);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        this.skipped.push({ stack, component: c.name, error: e });
        continue;
      }
      for (const s of cs.secrets) {
        let list = idx.get(s.coordinate.key);
        if (!list) {
          list = [];
          idx.set(s.coordinate.key, list);
        }
        list.push({ stack, component: c.name, secret: s.name, scope: s.declaration.scope });
      }
    }
    this.perStack.set(stack, idx);
    return idx;
  }

  /** The index of every stack (built once). */
  all(): KeyIndex {
    if (this.everywhere) return this.everywhere;
    const idx: KeyIndex = new Map();
    for (const stack of this.index.workspace.stackNames()) {
      for (const [key, list] of this.stack(stack)) {
        const into = idx.get(key);
        if (into) into.push(...list);
        else idx.set(key, [...list]);
      }
    }
    this.everywhere = idx;
    return idx;
  }
}

/** One stack's consumers, for the graph (secret -> stacks -> components). */
export interface ConsumerStack {
  readonly stack: string;
  /** Sorted. */
  readonly components: readonly string[];
}

/** The consumers grouped by stack, in the summary's order (stacks sorted, components sorted within each). */
export function consumersByStack(consumers: readonly Consumer[]): ConsumerStack[] {
  const byStack = new Map<string, string[]>();
  for (const c of consumers) {
    const list = byStack.get(c.stack);
    if (list) list.push(c.component);
    else byStack.set(c.stack, [c.component]);
  }
  return [...byStack.keys()]
    .sort(byText)
    .map((stack) => ({ stack, components: [...new Set(byStack.get(stack))].sort(byText) }));
}

/** Where a consumer's own resolution places the secret: its coordinate, or why it has none. */
export type ConsumerResolution =
  | { readonly kind: 'placed'; readonly coordinate: SecretCoordinate }
  | { readonly kind: 'undeclared' }
  | { readonly kind: 'error'; readonly error: AppError };

/**
 * Resolves the secret again through the consumer's own component (its merged config and declaration), as a
 * `!secret` in that component would: so a verification reads what each consumer reads, not what the index
 * assumed. No backend call.
 */
export function resolveConsumer(index: SecretsIndex, consumer: Consumer): ConsumerResolution {
  try {
    const cs = index.component(consumer.stack, consumer.component);
    const broken = cs.broken.find((b) => b.name === consumer.secret);
    if (broken) return { kind: 'error', error: broken.error };
    const placed = cs.secrets.find((s) => s.name === consumer.secret);
    return placed ? { kind: 'placed', coordinate: placed.coordinate } : { kind: 'undeclared' };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { kind: 'error', error: e };
  }
}
