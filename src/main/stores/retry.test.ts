// Tests for the throttling retry: backoff, jitter, Retry-After, give-up; sleep is injected, no clock involved.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { backoffDelay, backoffWait, retryThrottled } from './retry';
import { SecretNotFoundError, StoreThrottledError } from './store-errors';

function recorder(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms) => {
      delays.push(ms);
    },
  };
}

function failing(times: number, error: () => unknown): { op: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    op: async () => {
      calls++;
      if (calls <= times) throw error();
      return 'ok';
    },
  };
}

describe('retryThrottled', () => {
  it('retries THROTTLED with capped exponential backoff', async () => {
    const { sleep, delays } = recorder();
    const f = failing(4, () => new StoreThrottledError('s'));
    await expect(retryThrottled(f.op, { sleep, random: () => 1, baseDelayMs: 100, maxDelayMs: 500 })).resolves.toBe(
      'ok',
    );
    expect(f.calls()).toBe(5);
    expect(delays).toEqual([100, 200, 400, 500]);
  });

  it('jitters within the upper half of the ceiling', () => {
    const err = new StoreThrottledError('s');
    expect(backoffDelay(3, err, { baseDelayMs: 100, random: () => 0 })).toBe(200);
    expect(backoffDelay(3, err, { baseDelayMs: 100, random: () => 0.5 })).toBe(300);
  });

  it("honours the backend's retry-after, capped", async () => {
    const { sleep, delays } = recorder();
    const f = failing(2, () => new StoreThrottledError('s', { retryAfterMs: 1500 }));
    await retryThrottled(f.op, { sleep, maxDelayMs: 1000 });
    expect(delays).toEqual([1000, 1000]);
  });

  it('also retries a plain AppError with code THROTTLED', async () => {
    const { sleep } = recorder();
    const f = failing(1, () => new AppError('THROTTLED', 'slow down'));
    await expect(retryThrottled(f.op, { sleep })).resolves.toBe('ok');
  });

  it('gives up after maxAttempts and rethrows the throttling error', async () => {
    const { sleep, delays } = recorder();
    const f = failing(10, () => new StoreThrottledError('s'));
    await expect(retryThrottled(f.op, { sleep, maxAttempts: 3 })).rejects.toBeInstanceOf(StoreThrottledError);
    expect(f.calls()).toBe(3);
    expect(delays).toHaveLength(2);
  });

  it('does not retry other errors', async () => {
    const { sleep, delays } = recorder();
    const f = failing(1, () => new SecretNotFoundError({ secret: 'K', store: 's' }));
    await expect(retryThrottled(f.op, { sleep })).rejects.toBeInstanceOf(SecretNotFoundError);
    expect(f.calls()).toBe(1);
    expect(delays).toEqual([]);
  });
});

describe('backoffWait', () => {
  it('waits the whole sleep without a signal or when none aborts', async () => {
    const waits: number[] = [];
    const sleep = (ms: number): Promise<void> => {
      waits.push(ms);
      return Promise.resolve();
    };
    await backoffWait(sleep, 5, undefined);
    await backoffWait(sleep, 7, new AbortController().signal);
    expect(waits).toEqual([5, 7]);
  });

  it('ends at once when the signal aborts (or has), however long the sleep', async () => {
    const forever = (): Promise<void> => new Promise<void>(() => undefined);
    const controller = new AbortController();
    const waiting = backoffWait(forever, 60_000, controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
    await expect(backoffWait(forever, 60_000, controller.signal)).resolves.toBeUndefined();
  });
});
