// One AWS call, the way every store call goes: a timeout, the caller's cancellation, errors mapped to store
// errors, and retries with capped backoff and jitter on throttling and 5xx only (the SDK's own retries are off,
// so attempts, waits and the emulators' call counts are ours to reason about).
import { AppError } from '../../../shared/errors';
import { callSignal } from '../operation-signal';
import { backoffDelay, backoffWait, realSleep, type Sleep } from '../retry';
import { isRetryable, mapAwsError, StoreUnavailableError, type AwsCallSubject, type MapOptions } from './aws-errors';

export interface AwsCallPolicy {
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

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_ATTEMPTS = 4;

function cancelled(subject: AwsCallSubject): AppError {
  return new AppError(
    'CANCELLED',
    `${subject.operation} of secret "${subject.secret}" in store "${subject.store}" was cancelled`,
  );
}

/**
 * Runs `send` (which must pass the signal to the SDK's `send(command, { abortSignal })`) with the policy.
 * Throws mapped store errors only.
 */
export async function awsCall<T>(
  subject: AwsCallSubject,
  policy: AwsCallPolicy,
  send: (abortSignal: AbortSignal) => Promise<T>,
  options: MapOptions = {},
): Promise<T> {
  const sleep = policy.sleep ?? realSleep;
  // The store's own cancellation joined with the running operation's (operation-signal.ts).
  const outer = callSignal(policy.signal);
  for (let attempt = 1; ; attempt++) {
    if (outer?.aborted) throw cancelled(subject);
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    let error: AppError;
    try {
      return await send(signal);
    } catch (e) {
      if (outer?.aborted) throw cancelled(subject);
      error = timeout.aborted
        ? new StoreUnavailableError(
            subject,
            'TimeoutError',
            `no answer within ${policy.timeoutMs} ms`,
            undefined,
            false,
          )
        : mapAwsError(e, subject, options);
    }
    if (!isRetryable(error) || attempt >= policy.maxAttempts) throw error;
    await backoffWait(sleep, backoffDelay(attempt, error, policy), outer);
  }
}

/** `items` in chunks of `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
