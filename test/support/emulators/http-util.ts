// Small helpers shared by the loopback HTTP emulators: read a bounded body, send JSON, listen on 127.0.0.1,
// stop without hanging on keep-alive sockets, count calls per operation, and the replies a handler decides on.
import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

/** Reads a request body, refusing more than `limit` bytes (emulators are not a place for unbounded buffers). */
export function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`request body over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Reads a request body of at most `limit` bytes; a larger one is drained and answered `too-large`, so the
 * emulator can answer it as its service does (413) instead of dropping the connection.
 */
export function readBodyCapped(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** What an emulator's handler decides: an answer, a call held unanswered (a timeout), or a dropped connection. */
export type EmulatorReply =
  | {
      readonly kind: 'reply';
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Record<string, string>;
    }
  | { readonly kind: 'hang' }
  | { readonly kind: 'reset' };

export const reply = (status: number, body?: unknown, headers?: Record<string, string>): EmulatorReply => ({
  kind: 'reply',
  status,
  ...(body === undefined ? {} : { body }),
  ...(headers ? { headers } : {}),
});

/** The status an emulator's request log records for a reply: 0 when it never answered. */
export const replyStatus = (r: EmulatorReply): number => (r.kind === 'reply' ? r.status : 0);

/** Listens on an ephemeral loopback port and returns it. */
export function listenLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes the server and every open connection, so a test run never waits on keep-alive sockets. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}

/** Counts calls, in total and per operation; benchmarks and retry tests read it. */
export class CallCounter {
  #total = 0;
  readonly #byOperation = new Map<string, number>();

  record(operation: string): void {
    this.#total += 1;
    this.#byOperation.set(operation, (this.#byOperation.get(operation) ?? 0) + 1);
  }

  get total(): number {
    return this.#total;
  }

  of(operation: string): number {
    return this.#byOperation.get(operation) ?? 0;
  }

  snapshot(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.#byOperation);
  }

  reset(): void {
    this.#total = 0;
    this.#byOperation.clear();
  }
}

/** A queue of faults to inject into the next calls (optionally only for one operation). */
export class FaultQueue<K extends string> {
  readonly #queue: { kind: K; operation?: string }[] = [];

  push(kind: K, count = 1, operation?: string): void {
    for (let i = 0; i < count; i += 1) this.#queue.push({ kind, operation });
  }

  /** Takes the first fault that applies to this operation, if any. */
  take(operation: string): K | undefined {
    const i = this.#queue.findIndex((f) => f.operation === undefined || f.operation === operation);
    if (i < 0) return undefined;
    const [fault] = this.#queue.splice(i, 1);
    return fault?.kind;
  }

  clear(): void {
    this.#queue.length = 0;
  }
}

export function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}
