// What every store emulator lets a test steer and observe, written once: faults queued for the next calls, a
// latency (for all calls or per operation), a call counter, the peak of calls in flight, a request log with each
// answer's status, and holding a "hung" call. The Vault, Key Vault and Secret Manager emulators use it; each keeps
// only what its wire protocol says a fault looks like.
import { CallCounter, FaultQueue } from './http-util';

const ALL = '*';

/**
 * Faults, latency, call counts and calls in flight of one emulator. The methods a test calls are bound arrow
 * properties, so an emulator hands them out as they are (`injectFault: controls.injectFault`).
 */
export class EmulatorControls<F extends string, O extends string> {
  readonly calls = new CallCounter();
  readonly #faults = new FaultQueue<F>();
  readonly #latency = new Map<string, number>();
  #inFlight = 0;
  #peak = 0;

  constructor(latencyMs = 0) {
    this.#latency.set(ALL, latencyMs);
  }

  /** Fails the next `count` calls (of `operation`, or of any) with this fault. */
  readonly injectFault = (fault: F, count = 1, operation?: O): void => {
    this.#faults.push(fault, count, operation);
  };

  /** Drops every fault still queued. */
  readonly clearFaults = (): void => {
    this.#faults.clear();
  };

  /** Delays every call (of `operation`, or of any without its own latency) by `ms`. */
  readonly setLatency = (ms: number, operation?: O): void => {
    this.#latency.set(operation ?? ALL, ms);
  };

  /** Takes the fault queued for this call, if any. */
  takeFault(operation: O): F | undefined {
    return this.#faults.take(operation);
  }

  latencyOf(operation: O): number {
    return this.#latency.get(operation) ?? this.#latency.get(ALL) ?? 0;
  }

  /** Counts one call in flight until the returned release is called (a second call of it does nothing). */
  enter(): () => void {
    this.#inFlight += 1;
    this.#peak = Math.max(this.#peak, this.#inFlight);
    let done = false;
    return () => {
      if (!done) this.#inFlight -= 1;
      done = true;
    };
  }

  /** The most calls in flight at once since start or resetPeak: what a client's concurrency really was. */
  get peakInFlight(): number {
    return this.#peak;
  }

  /** Starts the peak again from the calls in flight now. */
  readonly resetPeak = (): void => {
    this.#peak = this.#inFlight;
  };
}

/** The requests an emulator answered, each with the status it answered (0: no answer, the socket was dropped). */
export class RequestLog<E extends object> {
  readonly entries: (E & { readonly status: number })[] = [];

  /**
   * Runs one request's handler, which names the request through `log` once it knows what it is (a request it
   * refuses before that is not logged), then logs it with the answer's status. A handler that throws answers
   * `onError()` (the emulator's own 500), as the real service would.
   */
  async answer<R>(
    handle: (log: (entry: E) => void) => Promise<R>,
    status: (r: R) => number,
    onError: () => R,
  ): Promise<R> {
    let entry: E | undefined;
    let out: R;
    try {
      out = await handle((e) => (entry = e));
    } catch {
      out = onError();
    }
    if (entry) this.entries.push({ ...entry, status: status(out) });
    return out;
  }
}

/** Holds a hung call for `ms`. Unref'd: a hung call must not keep the test process alive; stop() drops it anyway. */
export function holdHungCall(ms: number): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
}
