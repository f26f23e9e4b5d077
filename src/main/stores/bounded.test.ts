// mapBounded: order kept, never more than `limit` in flight, and after a failure or a cancellation no new item is
// started (a backend that is down must not be asked about the other 999 paths of a batch that has already failed).
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { mapBounded } from './bounded';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('mapBounded', () => {
  it('keeps input order with at most `limit` in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapBounded([5, 1, 4, 2, 3, 0], 2, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      for (let i = 0; i < n; i++) await tick();
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(most).toBe(2);
  });

  it('runs one at a time for a limit below 1', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapBounded([1, 2, 3], 0, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick();
      inFlight--;
      return n;
    });
    expect(out).toEqual([1, 2, 3]);
    expect(most).toBe(1);
  });

  it('starts no new item after one fails, and rejects with that failure', async () => {
    const started: number[] = [];
    const items = Array.from({ length: 20 }, (_, i) => i);
    const e = await mapBounded(items, 3, async (n) => {
      started.push(n);
      await tick();
      if (n === 1) throw new Error('down');
      return n;
    }).catch((x: unknown) => x);
    expect((e as Error).message).toBe('down');
    // Let any worker that was still running settle: none may pick up another item.
    for (let i = 0; i < 5; i++) await tick();
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('starts no new item once the signal is aborted, and rejects with CANCELLED', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const items = Array.from({ length: 20 }, (_, i) => i);
    const e = await mapBounded(
      items,
      2,
      async (n) => {
        started.push(n);
        if (n === 2) controller.abort();
        await tick();
        return n;
      },
      controller.signal,
    ).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('CANCELLED');
    for (let i = 0; i < 5; i++) await tick();
    expect(started).toEqual([0, 1, 2]);
  });

  it('starts nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    const e = await mapBounded(
      [1, 2],
      2,
      async () => {
        calls++;
        return 1;
      },
      controller.signal,
    ).catch((x: unknown) => x);
    expect((e as AppError).code).toBe('CANCELLED');
    expect(calls).toBe(0);
  });

  it('handles an empty list', async () => {
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
  });
});
