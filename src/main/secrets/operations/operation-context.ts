// What every operation shares: the workspace's secrets and consumers indexes, the backends, the clock, the
// confirmation callback, plus progress and cancellation helpers. Built once per workspace by the service.
import type { SecretScope } from '../../stores';
import type { Workspace } from '../../config';
import { AppError } from '../../../shared/errors';
import type { StoreRegistry } from '../../stores';
import type { SecretBackends } from '../backends/backend';
import type { PlacedSecret, SecretsIndex } from '../model/secrets-index';
import { describeCoordinate } from '../model/coordinates';
import type { ResolvedTarget } from '../model/targets';
import type { Consumer, ConsumersIndex } from '../model/consumers';

export type SecretOperation = 'set' | 'delete' | 'push' | 'init' | 'import';

/** One shared secret a change would reach. */
export interface ConfirmItem {
  readonly secret: string;
  readonly scope: SecretScope;
  readonly provider: string;
  /** Where the value lives, in words (never the value). */
  readonly where: string;
  readonly consumers: readonly Consumer[];
  readonly stacks: readonly string[];
}

export interface ConfirmRequest {
  readonly operation: SecretOperation;
  readonly items: readonly ConfirmItem[];
  /** One line for people, e.g. `set DATADOG_API_KEY changes the value for 2 stacks and 4 components`. */
  readonly message: string;
}

/** Asks the person; true to go ahead. The CLI answers with --yes or a prompt, the app with a dialog. */
export type Confirm = (request: ConfirmRequest) => Promise<boolean>;

export interface Progress {
  readonly done: number;
  readonly total: number;
  /** What is being worked on, e.g. `plat-ue2-dev/api`. */
  readonly label?: string;
}

/** Operations that may need confirmation take a per-call answer (the app's dialog result) over the service's. */
export interface Confirmable {
  readonly confirm?: Confirm | undefined;
}

/** Long operations take these. */
export interface LongRunning {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: Progress) => void) | undefined;
}

export interface OperationContext {
  readonly workspace: Workspace;
  readonly index: SecretsIndex;
  readonly consumers: ConsumersIndex;
  readonly backends: SecretBackends;
  readonly registry: StoreRegistry;
  readonly clock: () => Date;
  readonly confirm: Confirm | undefined;
  /** Every value read or written outside the backends (import's source read) goes here too. */
  readonly remember: (value: string) => void;
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('CANCELLED', 'the operation was cancelled');
}

/** Asks for confirmation when there is something to confirm; refuses when nobody can be asked or the answer is no. */
export async function confirmOrStop(ctx: OperationContext, request: ConfirmRequest, override?: Confirm): Promise<void> {
  if (request.items.length === 0) return;
  const confirm = override ?? ctx.confirm;
  if (!confirm) {
    throw new AppError('USAGE', `${request.message}; confirmation is needed and none can be asked`, {
      hint: 'Pass --yes (or -f/--force) to confirm.',
    });
  }
  if (!(await confirm(request)))
    throw new AppError('CANCELLED', `${request.operation} was not confirmed; nothing changed`);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "2 stacks and 4 components" for a set of consumers. */
export function reachText(items: readonly ConfirmItem[]): string {
  const stacks = new Set(items.flatMap((i) => i.stacks));
  const components = new Set(items.flatMap((i) => i.consumers.map((c) => `${c.stack}\0${c.component}`)));
  return `${plural(stacks.size, 'stack')} and ${plural(components.size, 'component')}`;
}

/** What a change to a stack or global secret reaches; none for an instance secret (it has one consumer). */
export function sharedReach(ctx: OperationContext, target: ResolvedTarget): ConfirmItem[] {
  const { secret } = target;
  return secret.declaration.scope === 'instance'
    ? []
    : [reachItem(ctx, secret, target.stack, target.component.component)];
}

/**
 * Everyone a change to this secret's value reaches: its consumers for a stack or global secret, else the one
 * component. Used where even an instance change is confirmed (delete).
 */
export function reachItem(ctx: OperationContext, s: PlacedSecret, stack: string, component: string): ConfirmItem {
  const shared = s.declaration.scope !== 'instance' ? ctx.consumers.consumersOf(s.coordinate) : undefined;
  return {
    secret: s.name,
    scope: s.declaration.scope,
    provider: s.coordinate.provider,
    where: describeCoordinate(s.coordinate),
    consumers: shared?.consumers ?? [{ stack, component, secret: s.name, scope: s.declaration.scope }],
    stacks: shared?.stacks ?? [stack],
  };
}
