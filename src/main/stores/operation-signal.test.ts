// The operation's cancellation as store calls read it: undefined outside an operation, the operation's inside,
// joined with a store's own signal, kept across awaits, nested operations keeping the outer one, and
// mapBounded (every adapter's batch loop) stopping on it without being handed a signal.
import { describe, expect, it } from 'vitest';
import { mapBounded } from './bounded';
import { callSignal, operationSignal, withOperationSignal } from './operation-signal';

describe('operation signal', () => {
  it('is undefined outside an operation, and the store signal alone is used then', () => {
    const store = new AbortController();
    expect(operationSignal()).toBeUndefined();
    expect(callSignal()).toBeUndefined();
    expect(callSignal(store.signal)).toBe(store.signal);
  });

  it("is the operation's inside it, across awaits, and runs fn unchanged without a signal", async () => {
    const op = new AbortController();
    const seen = await withOperationSignal(op.signal, async () => {
      await new Promise((r) => setTimeout(r, 1));
      return callSignal();
    });
    expect(seen).toBe(op.signal);
    expect(withOperationSignal(undefined, () => operationSignal())).toBeUndefined();
  });

  it("joins the operation's and the store's: either aborting aborts the call", () => {
    const op = new AbortController();
    const store = new AbortController();
    const joined = withOperationSignal(op.signal, () => callSignal(store.signal));
    expect(joined?.aborted).toBe(false);
    store.abort();
    expect(joined?.aborted).toBe(true);
    const op2 = new AbortController();
    const joined2 = withOperationSignal(op2.signal, () => callSignal(new AbortController().signal));
    op2.abort();
    expect(joined2?.aborted).toBe(true);
  });

  it('keeps the outer operation when one runs inside another', () => {
    const outer = new AbortController();
    const inner = new AbortController();
    const seen = withOperationSignal(outer.signal, () => withOperationSignal(inner.signal, () => callSignal()));
    outer.abort();
    expect(seen?.aborted).toBe(true);
  });

  it('stops a bounded batch once the operation is cancelled: no item starts after the abort', async () => {
    const op = new AbortController();
    const started: number[] = [];
    const run = withOperationSignal(op.signal, () =>
      mapBounded([1, 2, 3, 4, 5, 6], 2, async (n) => {
        started.push(n);
        if (n === 2) op.abort();
        await new Promise((r) => setTimeout(r, 1));
        return n;
      }),
    );
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(started).toEqual([1, 2]);
  });
});
