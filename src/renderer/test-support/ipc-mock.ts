// Test support: the renderer's IPC client replaced at its module boundary (src/renderer/ipc/client.ts).
// A test declares the channels it expects with typed handlers; any other channel fails the test loudly,
// so a screen that calls something unexpected cannot pass by accident.
//
// Each test file mocks the module itself (vi.mock is hoisted per file):
//   vi.mock('../../ipc/client', async (original) =>
//     (await import('../../test-support/ipc-mock')).clientModule(await original()));
import { afterEach } from 'vitest';
import type { Channel, ProgressEvent, Req, Res } from '../../shared/ipc/contract';
import type * as Client from '../ipc/client';

export type Handlers = { [C in Channel]?: (request: Req<C>) => Res<C> | Promise<Res<C>> };

interface Recorded {
  readonly channel: Channel;
  readonly request: unknown;
}

let handlers: Handlers = {};
const calls: Recorded[] = [];
const progressListeners = new Set<(e: ProgressEvent) => void>();

/** Sets the handlers for the next renders; each test sets its own. */
export function answer(next: Handlers): void {
  handlers = next;
}

/** Every call the screens made since the test began, in order. */
export function callsTo<C extends Channel>(channel: C): Req<C>[] {
  return calls.filter((c) => c.channel === channel).map((c) => c.request as Req<C>);
}

/** Delivers a progress event to the screens that listen. */
export function emitProgress(event: ProgressEvent): void {
  for (const l of progressListeners) l(event);
}

async function call<C extends Channel>(channel: C, request: Req<C>): Promise<Res<C>> {
  calls.push({ channel, request });
  const handler = handlers[channel] as ((r: Req<C>) => Res<C> | Promise<Res<C>>) | undefined;
  if (!handler) throw new Error(`test: no handler for IPC channel ${channel}`);
  return handler(request);
}

/** The module that replaces src/renderer/ipc/client.ts: the real IpcError and errorText, a fake transport. */
export function clientModule(actual: typeof Client): typeof Client {
  return {
    ...actual,
    call,
    onMenu: () => () => {},
    onProgress: (listener) => {
      progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    },
    newOperationId: () => 'op-test-0001',
  };
}

afterEach(() => {
  handlers = {};
  calls.length = 0;
  progressListeners.clear();
});
