// Runs an async function over items with at most `limit` in flight, results in input order: the batch read of
// backends without one (Vault, Key Vault). A few lines here beat a dependency (p-limit is ESM-only and only a
// transitive one, and has no stop-after-failure).
// After the first failure no new item starts: the batch has failed, and a backend that is down should not be
// asked about every remaining path. Likewise once `signal` is aborted: no new item starts and the batch rejects
// with CANCELLED (items already running end through their own cancellation).
import { AppError } from '../../shared/errors';
import { callSignal } from './operation-signal';

export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
  storeSignal?: AbortSignal,
): Promise<R[]> {
  // The caller's (a store's own) cancellation joined with the running operation's (operation-signal.ts).
  const signal = callSignal(storeSignal);
  const cancelled = (): AppError => new AppError('CANCELLED', 'the batch was cancelled');
  if (signal?.aborted) throw cancelled();
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      if (signal?.aborted) {
        failed = true;
        throw cancelled();
      }
      const i = next++;
      try {
        results[i] = await fn(items[i] as T);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, Math.floor(limit)), items.length) }, worker));
  return results;
}
