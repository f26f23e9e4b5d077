// The secrets an operation on (stack[, component]) covers: a component's declarations, or, without a
// component, the stack's shared (stack and global) ones, which need no -c. Used by pull, push and exec.
import { AppError } from '../../../shared/errors';
import type { PlacedSecret, SecretsModel } from './secrets-index';
import { describeCoordinate } from './coordinates';

export interface ScopeSelection {
  readonly stack: string;
  readonly component?: string | undefined;
}

export interface ScopeSecrets {
  readonly stack: string;
  readonly component: string | undefined;
  /** By NAME. */
  readonly secrets: ReadonlyMap<string, PlacedSecret>;
  /** Names the scope declares but cannot use (invalid declarations), with why. */
  readonly broken: ReadonlyMap<string, AppError>;
}

export function secretsInScope(ctx: SecretsModel, sel: ScopeSelection): ScopeSecrets {
  const stack = ctx.workspace.resolveStack(sel.stack).name;
  const secrets = new Map<string, PlacedSecret>();
  const broken = new Map<string, AppError>();
  if (sel.component) {
    const cs = ctx.index.component(stack, sel.component);
    for (const s of cs.secrets) secrets.set(s.name, s);
    for (const b of cs.broken) broken.set(b.name, b.error);
    return { stack, component: sel.component, secrets, broken };
  }
  for (const c of ctx.index.deployable(stack)) {
    const cs = ctx.index.component(stack, c.name, c.type);
    for (const s of cs.secrets) {
      if (s.declaration.scope === 'instance') continue;
      const prev = secrets.get(s.name);
      if (prev && prev.coordinate.key !== s.coordinate.key) {
        throw new AppError(
          'USAGE',
          `secret "${s.name}" resolves to different values in stack ${stack}; pass -c/--component`,
          {
            hint: `${describeCoordinate(prev.coordinate)} vs ${describeCoordinate(s.coordinate)}`,
          },
        );
      }
      if (!prev) secrets.set(s.name, s);
    }
    for (const b of cs.broken) if (b.scope !== 'instance') broken.set(b.name, b.error);
  }
  return { stack, component: undefined, secrets, broken };
}
