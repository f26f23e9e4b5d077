// The cancellation of the operation a store call runs for. Stores are made once per workspace (the registry),
// long before any operation, so a signal given to a store's factory cannot be an operation's. The service runs
// each long operation inside `withOperationSignal(signal, ...)`, and every adapter reads `callSignal()` per call:
// the operation's signal (the app's `op:cancel`, a closed window) joined with the store's own (its factory deps).
// AsyncLocalStorage carries it through awaits without threading a parameter through every SecretStore method and
// every backend seam; `request-warnings.ts` does the same for per-request warnings.
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<AbortSignal>();

/** Runs `fn` with `signal` as the current operation's cancellation (nothing changes when it is undefined). */
export function withOperationSignal<T>(signal: AbortSignal | undefined, fn: () => T): T {
  if (!signal) return fn();
  // Nested operations (list inside validate) keep the outer cancellation too.
  const outer = current.getStore();
  return current.run(outer ? AbortSignal.any([outer, signal]) : signal, fn);
}

/** The current operation's cancellation, when one is running. */
export function operationSignal(): AbortSignal | undefined {
  return current.getStore();
}

/**
 * The signal one backend call obeys: the current operation's joined with the store's own (`storeSignal`, from
 * its factory deps). Undefined when neither exists.
 */
export function callSignal(storeSignal?: AbortSignal): AbortSignal | undefined {
  const op = current.getStore();
  if (!op) return storeSignal;
  if (!storeSignal) return op;
  return AbortSignal.any([op, storeSignal]);
}
