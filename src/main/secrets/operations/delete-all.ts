// `delete --all`: remove the value of every declared secret a stack (or one component of it) sees, each
// backend coordinate once, after one confirmation that lists everything and everyone it reaches. Declarations
// stay; for a SOPS file this leaves it with no secret keys.
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
}

export interface DeletedValue {
  readonly secret: string;
  /** Where the value lived, in words (never the value). */
  readonly where: string;
  /** False when there was nothing to delete. */
  readonly deleted: boolean;
}

export async function deleteAllSecrets(ctx: OperationContext, req: DeleteAllRequest): Promise<DeletedValue[]> {
  const unique = new Map<string, { secret: PlacedSecret; item: ConfirmItem }>();
  for (const cs of selectComponents(ctx, { stack: req.stack, component: req.component }, req.signal)) {
    for (const s of cs.secrets) {
      if (!unique.has(s.coordinate.key))
        unique.set(s.coordinate.key, { secret: s, item: reachItem(ctx, s, cs.stack, cs.component) });
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
  return out;
}
