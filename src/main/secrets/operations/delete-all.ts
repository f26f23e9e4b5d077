// `delete --all`: remove the value of every declared secret a stack (or one component of it) uses alone, each
// backend coordinate once, after one confirmation that lists everything and everyone it reaches. A value other
// stacks use too (a global secret, a stack path that reaches further) is kept unless `includeShared`; the kept
// ones come back with their consumers. Declarations stay; for a SOPS file this leaves it with no secret keys.
import { withBackend } from '../backends/backend';
import type { PlacedSecret } from '../model/secrets-index';
import { describeCoordinate } from '../model/coordinates';
import { selectComponents } from './list';
import {
  confirmOrStop,
  plural,
  reachItem,
  reachText,
  throwIfCancelled,
  type ConfirmItem,
  type Confirmable,
  type LongRunning,
  type OperationContext,
} from './operation-context';

export interface DeleteAllRequest extends Confirmable, LongRunning {
  readonly stack: string;
  readonly component?: string | undefined;
  /** Also delete values other stacks use (they are listed in the confirmation). */
  readonly includeShared?: boolean | undefined;
}

/** A value other stacks use too, kept because `includeShared` was not given. */
export interface KeptSharedValue {
  readonly secret: string;
  readonly scope: ConfirmItem['scope'];
  readonly where: string;
  /** Every (stack, component) that uses the value. */
  readonly consumers: ConfirmItem['consumers'];
  readonly stacks: readonly string[];
}

export interface DeleteAllResult {
  readonly values: readonly DeletedValue[];
  readonly keptShared: readonly KeptSharedValue[];
}

export interface DeletedValue {
  readonly secret: string;
  /** Where the value lived, in words (never the value). */
  readonly where: string;
  /** False when there was nothing to delete. */
  readonly deleted: boolean;
}

export async function deleteAllSecrets(ctx: OperationContext, req: DeleteAllRequest): Promise<DeleteAllResult> {
  const stack = ctx.workspace.resolveStack(req.stack).name;
  const unique = new Map<string, { secret: PlacedSecret; item: ConfirmItem }>();
  const keptShared: KeptSharedValue[] = [];
  for (const cs of selectComponents(ctx, { stack, component: req.component }, req.signal)) {
    for (const s of cs.secrets) {
      if (unique.has(s.coordinate.key) || keptShared.some((k) => k.where === describeCoordinate(s.coordinate)))
        continue;
      const item = reachItem(ctx, s, cs.stack, cs.component);
      if (!req.includeShared && item.stacks.some((other) => other !== stack)) {
        keptShared.push({
          secret: s.name,
          scope: item.scope,
          where: item.where,
          consumers: item.consumers,
          stacks: item.stacks,
        });
        continue;
      }
      unique.set(s.coordinate.key, { secret: s, item });
    }
  }
  const items = [...unique.values()].map((u) => u.item);
  await confirmOrStop(
    ctx,
    {
      operation: 'delete',
      items,
      message: `delete --all removes ${plural(items.length, 'value')}, reaching ${reachText(items)}`,
    },
    req.confirm,
  );
  const out: DeletedValue[] = [];
  let done = 0;
  for (const { secret } of unique.values()) {
    throwIfCancelled(req.signal);
    const deleted = await withBackend(ctx.backends, secret.coordinate, (b, x) => b.delete(x));
    out.push({ secret: secret.name, where: describeCoordinate(secret.coordinate), deleted });
    req.onProgress?.({ done: ++done, total: unique.size, label: secret.name });
  }
  return { values: out, keptShared };
}
