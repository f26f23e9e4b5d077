// The plan of a `push` (the app's Import of a .env or JSON file), shown before anything is written: the file's
// keys, those the selection does not declare (push refuses the whole file while there is one), and the shared
// secrets it would change with whom they reach. Key names only: the values stay in main. No backend call.
import type { SecretScope } from '../../stores';
import { secretsInScope, type ScopeSelection } from '../model/scope-secrets';
import { parseSecretFile, type SecretFileFormat } from './dotenv';
import type { OperationContext } from './operation-context';

export interface PushPlanRequest extends ScopeSelection {
  readonly format: SecretFileFormat;
  /** The file's text (it holds values: never logged, never returned). */
  readonly content: string;
  /** For parse errors: where the content came from. */
  readonly source: string;
}

export interface PushPlan {
  readonly keys: readonly string[];
  readonly undeclared: readonly string[];
  readonly shared: readonly {
    readonly secret: string;
    readonly scope: SecretScope;
    readonly consumers: number;
    readonly stacks: number;
  }[];
}

export function planPush(ctx: OperationContext, req: PushPlanRequest): PushPlan {
  const keys = Object.keys(parseSecretFile(req.content, req.format, req.source));
  const scope = secretsInScope(ctx, req);
  const undeclared = keys.filter((k) => !scope.secrets.has(k) && !scope.broken.has(k));
  const shared: PushPlan['shared'][number][] = [];
  for (const k of keys) {
    const s = scope.secrets.get(k);
    if (!s || s.declaration.scope === 'instance') continue;
    const sum = ctx.consumers.consumersOf(s.coordinate);
    shared.push({ secret: k, scope: s.declaration.scope, consumers: sum.consumers.length, stacks: sum.stacks.length });
  }
  return { keys, undeclared, shared };
}
