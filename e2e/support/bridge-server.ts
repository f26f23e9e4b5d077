// The test-only bridge for e2e runs without an Electron binary: serves the built renderer under the app's CSP
// and carries the same IPC contract over loopback (127.0.0.1 only, a random token per run) to the real
// main-process handlers through the same router (sender check, schema validation, result envelope).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../src/main/app/security';
import { createAppRouter, trustOrigins } from '../../src/main/ipc';
import type { AppServices } from '../../src/main/services';
import type { ProgressEvent } from '../../src/shared/ipc/contract';

export const BRIDGE_PATH = '/__atmos_bridge';

/** One message sent to the page over the bridge: an invoke's result, or a pushed (progress) event. */
export interface ReceivedMessage {
  readonly kind: 'response' | 'event';
  /** The channel invoked, for a response. */
  readonly channel?: string;
  /** Exactly the text sent to the page. */
  readonly body: string;
}

export interface BridgeServer {
  readonly url: string;
  readonly token: string;
  /** Everything sent to the page, in order: what the leak canaries search. */
  readonly received: readonly ReceivedMessage[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

export async function startBridgeServer(rendererDir: string, services: AppServices): Promise<BridgeServer> {
  const token = randomBytes(24).toString('hex');
  let origin = '';
  const router = createAppRouter(services, (sender) => trustOrigins([origin])(sender));
  const listeners = new Set<ServerResponse>();
  const received: ReceivedMessage[] = [];
  const emit = (event: ProgressEvent): void => {
    const body = JSON.stringify(event);
    // Recorded whether or not the page's event stream is connected yet: the leak canary checks every event the
    // main side sends, so a stream that connects late can neither hide one nor make the count flaky.
    received.push({ kind: 'event', body });
    for (const res of listeners) res.write(`data: ${body}\n\n`);
  };
  // "The workspace changed on disk", as Electron's main sends it on WORKSPACE_CHANNEL: a named event, so the
  // progress listeners (unnamed `message` events) never see it.
  const stopWatching = services.watcher.onChange((change) => {
    const body = JSON.stringify(change);
    received.push({ kind: 'event', body });
    for (const res of listeners) res.write(`event: workspace\ndata: ${body}\n\n`);
  });

  const tokenOk = (given: string | undefined | null): boolean => {
    if (!given || given.length !== token.length) return false;
    return timingSafeEqual(Buffer.from(given), Buffer.from(token));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === `${BRIDGE_PATH}/invoke` && req.method === 'POST') {
      const body = await readBody(req);
      let parsed: { channel?: unknown; request?: unknown };
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        return send(
          res,
          400,
          'application/json',
          JSON.stringify({ ok: false, error: { code: 'BAD_REQUEST', message: 'Malformed JSON.' } }),
        );
      }
      // The browser sets Origin; our own page has our origin, and only our init script knows the token.
      const result = await router.dispatch(
        parsed.channel,
        parsed.request,
        {
          url: `${req.headers.origin ?? ''}/`,
          isMainFrame: true,
          isOwnWindow: tokenOk(req.headers['x-atmos-bridge-token'] as string | undefined),
        },
        emit,
      );
      const text = JSON.stringify(result);
      received.push({ kind: 'response', channel: String(parsed.channel), body: text });
      return send(res, 200, 'application/json', text);
    }
    if (url.pathname === `${BRIDGE_PATH}/events` && req.method === 'GET') {
      if (!tokenOk(url.searchParams.get('token'))) return send(res, 403, 'text/plain', 'forbidden');
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      listeners.add(res);
      req.on('close', () => listeners.delete(res));
      return;
    }
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed');
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(rendererDir, rel));
    if (!file.startsWith(rendererDir + sep)) return send(res, 403, 'text/plain', 'forbidden');
    try {
      const data = await readFile(file);
      return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', data);
    } catch {
      return send(res, 404, 'text/plain', 'not found');
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, 'text/plain', 'bridge error'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/`,
    token,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        stopWatching();
        services.watcher.stop();
        for (const res of listeners) res.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > 1_000_000) req.destroy(new Error('request too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
