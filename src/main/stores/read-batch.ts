// getMany/statusMany for backends with no batch read (Vault, Key Vault): one read per path, at most `concurrency`
// at a time, after mapping every path first, so an unmappable one refuses the batch before any call.
import { mapBounded } from './bounded';
import type { SecretPath } from './paths';
import type { GetManyResult, SecretStatus } from './secret-store';

/** How a store reads one secret: the backend's location of a path, and the live value there. */
export interface SingleReads<L> {
  /** The backend's location of a path; throws (before any call) for a path it cannot map. */
  locate(path: SecretPath): L;
  /** The live value at the location, or undefined when there is none. */
  read(path: SecretPath, loc: L): Promise<string | undefined>;
  readonly concurrency: number;
  /** Cancels the batch: no new read starts (see mapBounded). */
  readonly signal?: AbortSignal;
}

export function getManyByReads<L>(paths: readonly SecretPath[], r: SingleReads<L>): Promise<GetManyResult[]> {
  const located = paths.map((path) => ({ path, loc: r.locate(path) }));
  return mapBounded(
    located,
    r.concurrency,
    async ({ path, loc }): Promise<GetManyResult> => {
      const value = await r.read(path, loc);
      return value === undefined ? { path, found: false } : { path, found: true, value };
    },
    r.signal,
  );
}

export function statusManyByReads<L>(paths: readonly SecretPath[], r: SingleReads<L>): Promise<SecretStatus[]> {
  const located = paths.map((path) => ({ path, loc: r.locate(path) }));
  return mapBounded(
    located,
    r.concurrency,
    async ({ path, loc }) => ((await r.read(path, loc)) === undefined ? 'missing' : 'initialized'),
    r.signal,
  );
}
