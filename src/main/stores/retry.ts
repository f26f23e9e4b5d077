// Retries an operation the backend throttled, with capped exponential backoff and jitter. Sleep and
// randomness are injected, so tests never wait on a clock.
import { isThrottled, StoreThrottledError } from './store-errors';

export type Sleep = (ms: number) => Promise<void>;

export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: Sleep;
  /** In [0, 1); Math.random by default. */
  readonly random?: () => number;
}

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The wait before retry number `attempt` (1-based): the backend's Retry-After if given, else jittered backoff. */
export function backoffDelay(attempt: number, error: unknown, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 200;
  const max = options.maxDelayMs ?? 5_000;
  const random = options.random ?? Math.random;
  if (error instanceof StoreThrottledError && error.retryAfterMs !== undefined) {
    return Math.min(Math.max(0, error.retryAfterMs), max);
  }
  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  // "Equal jitter": at least half the ceiling, so retries never bunch at zero.
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * Waits `ms` with `sleep`, or until `signal` aborts, whichever comes first: a cancelled operation never waits out
 * a backoff (up to maxDelayMs) before it stops. Resolves either way; the caller checks `signal.aborted`.
 */
export function backoffWait(sleep: Sleep, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return sleep(ms);
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const done = (): void => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    sleep(ms).then(done, (e: unknown) => {
      signal.removeEventListener('abort', done);
      reject(e instanceof Error ? e : new Error(String(e)));
    });
  });
}

export async function retryThrottled<T>(operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (e) {
      if (!isThrottled(e) || attempt >= maxAttempts) throw e;
      await sleep(backoffDelay(attempt, e, options));
    }
  }
}
