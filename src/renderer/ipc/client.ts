// The renderer's typed IPC client over `window.atmos`. A failure becomes an IpcError carrying the
// main process's code and message (never a stack), so screens can show it as it is.
import type { ErrorPayload } from '../../shared/errors';
import { BRIDGE_GLOBAL, type AtmosBridge } from '../../shared/ipc/bridge';
import type { Channel, Req, Res } from '../../shared/ipc/contract';

export class IpcError extends Error {
  readonly code: ErrorPayload['code'];
  readonly hint: string | undefined;

  constructor(readonly payload: ErrorPayload) {
    super(payload.message);
    this.name = 'IpcError';
    this.code = payload.code;
    this.hint = payload.hint;
  }
}

function bridge(): AtmosBridge {
  const b = (window as unknown as Record<string, AtmosBridge | undefined>)[BRIDGE_GLOBAL];
  if (!b) throw new IpcError({ code: 'INTERNAL', message: 'The app bridge is missing: the preload did not run.' });
  return b;
}

/** A call in flight, for the shell's activity bar (ui/activity.tsx): which channel, and since when. */
export interface Activity {
  readonly id: number;
  readonly channel: Channel;
  readonly startedAt: number;
  /** The operation id the request carries: the page shows that call's progress and cancel itself. */
  readonly operationId?: string;
}

const inFlight = new Map<number, Activity>();
const activityListeners = new Set<(calls: readonly Activity[]) => void>();
let nextActivity = 1;

function announceActivity(): void {
  const calls = [...inFlight.values()];
  for (const l of activityListeners) l(calls);
}

/** Subscribes to the calls in flight (told at each start and end); returns the unsubscribe function. */
export function onActivity(listener: (calls: readonly Activity[]) => void): () => void {
  activityListeners.add(listener);
  return () => activityListeners.delete(listener);
}

function operationIdOf(request: unknown): string | undefined {
  if (typeof request !== 'object' || request === null || !('operationId' in request)) return undefined;
  const id = (request as { operationId?: unknown }).operationId;
  return typeof id === 'string' ? id : undefined;
}

export async function call<C extends Channel>(channel: C, request: Req<C>): Promise<Res<C>> {
  const id = nextActivity++;
  const operationId = operationIdOf(request);
  inFlight.set(id, { id, channel, startedAt: Date.now(), ...(operationId ? { operationId } : {}) });
  announceActivity();
  try {
    const result = await bridge().invoke(channel, request);
    if (!result.ok) throw new IpcError(result.error);
    return result.value;
  } finally {
    inFlight.delete(id);
    announceActivity();
  }
}

export function onMenu(listener: Parameters<AtmosBridge['onMenu']>[0]): () => void {
  return bridge().onMenu(listener);
}

export function onWorkspaceChanged(listener: Parameters<AtmosBridge['onWorkspaceChanged']>[0]): () => void {
  return bridge().onWorkspaceChanged(listener);
}

export interface ErrorText {
  readonly message: string;
  readonly hint?: string;
  /** "file:line" (or the file alone) where main knows where the problem is: a YAML or config error. */
  readonly where?: string;
  readonly code?: ErrorPayload['code'];
}

export function errorText(e: unknown): ErrorText {
  if (e instanceof IpcError) {
    const loc = e.payload.location;
    const where = loc
      ? `${loc.file}${loc.line ? `:${loc.line}` : ''}${loc.line && loc.column ? `:${loc.column}` : ''}`
      : '';
    return { message: e.message, code: e.code, ...(e.hint ? { hint: e.hint } : {}), ...(where ? { where } : {}) };
  }
  return { message: e instanceof Error ? e.message : String(e) };
}

export function onProgress(listener: Parameters<AtmosBridge['onProgress']>[0]): () => void {
  return bridge().onProgress(listener);
}

/** A fresh id for a cancellable operation (the contract wants 8-64 of [A-Za-z0-9_-]). */
export function newOperationId(): string {
  return crypto.randomUUID();
}
