// One Secret Manager call, the way every store call goes: a deadline (gRPC's own, so the server stops too), the
// caller's cancellation (an AbortSignal), errors mapped to store errors, and retries with capped backoff and
// jitter on throttling, UNAVAILABLE and INTERNAL only. gax's own retries are off (`retry: null`), so attempts,
// waits and the emulator's call counts are ours to reason about.
import { AppError } from '../../../shared/errors';
import { callSignal } from '../operation-signal';
import { backoffDelay, backoffWait, realSleep, type Sleep } from '../retry';
import { isRetryable, mapGcpError, type GcpCallSubject, type GcpMapOptions } from './gcp-errors';

export interface GcpCallPolicy {
  /** Per attempt. */
  readonly timeoutMs: number;
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** Cancels every call of the store (e.g. the workspace was closed). */
  readonly signal?: AbortSignal;
}

/** The per-call options handed to a gax method. */
export interface GaxCallOptions {
  readonly timeout: number;
  readonly retry: null;
}

function cancelled(subject: GcpCallSubject): AppError {
  return new AppError(
    'CANCELLED',
    `${subject.operation} of secret "${subject.secret}" in store "${subject.store}" was cancelled`,
  );
}

/**
 * Settles with `pending`, or rejects as soon as `signal` aborts. The client's promises carry no cancel() (the
 * generated methods chain a then()), so an abandoned call runs on until its gRPC deadline; nobody awaits it.
 */
function abortable<T>(pending: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return pending;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  pending.catch(() => undefined);
  return Promise.race([pending, aborted]).finally(() => {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  });
}

/** Runs `send` with the policy; throws mapped store errors only. */
export async function gcpCall<T>(
  subject: GcpCallSubject,
  policy: GcpCallPolicy,
  send: (options: GaxCallOptions) => Promise<T>,
  options: GcpMapOptions = {},
): Promise<T> {
  const sleep = policy.sleep ?? realSleep;
  // The store's own cancellation joined with the running operation's (operation-signal.ts).
  const outer = callSignal(policy.signal);
  for (let attempt = 1; ; attempt++) {
    if (outer?.aborted) throw cancelled(subject);
    let error: AppError;
    try {
      return await abortable(send({ timeout: policy.timeoutMs, retry: null }), outer);
    } catch (e) {
      if (outer?.aborted) throw cancelled(subject);
      error = mapGcpError(e, subject, options);
    }
    if (!isRetryable(error) || attempt >= policy.maxAttempts) throw error;
    await backoffWait(sleep, backoffDelay(attempt, error, policy), outer);
  }
}
