// Warnings that belong to one request. A backend deep in a call (the SOPS backend generating a provider's first
// age key) has something to tell the person who asked; with one service shared by concurrent IPC calls, a
// service-wide sink would mix one caller's warning into another's answer. The caller passes `onWarning` with
// its request; the service runs the operation in that request's scope and the backend's warnings go there.
// AsyncLocalStorage (node:async_hooks) carries the scope across every await without threading a parameter
// through the backend seam.
import { AsyncLocalStorage } from 'node:async_hooks';

export type WarningSink = (message: string) => void;

const scope = new AsyncLocalStorage<WarningSink>();

/** Runs `fn` with `sink` receiving the warnings raised inside it; without a sink, `fn` runs as it is. */
export function withRequestWarnings<T>(sink: WarningSink | undefined, fn: () => T): T {
  return sink ? scope.run(sink, fn) : fn();
}

/**
 * A warning sink that delivers to the current request's sink when there is one, else to `fallback` (the
 * service-wide sink: the CLI's stderr, one request per process).
 */
export function requestWarningSink(fallback: WarningSink | undefined): WarningSink {
  return (message) => (scope.getStore() ?? fallback)?.(message);
}
