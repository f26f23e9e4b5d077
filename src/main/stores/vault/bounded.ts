// Runs an async function over items with at most `limit` in flight, results in input order. Vault has no batch
// read, so batches are this; a few lines here beat a dependency (p-limit is ESM-only and only a transitive one).
// After the first failure no new item starts: the batch has failed, and a Vault that is down should not be
// asked about every remaining path.
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
