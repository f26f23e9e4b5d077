// A loopback HashiCorp Vault emulator: the HTTP API of KV v2 secrets engines (backends-wire.md §3) on 127.0.0.1,
// spoken to by the real node-vault client unmodified.
//  - Routes: `<mount>/data/<p>` (GET ?version=N, POST/PUT, DELETE = soft-delete latest), `<mount>/delete|undelete|
//    destroy/<p>` ({"versions":[...]}), `<mount>/metadata/<p>` (GET, POST, DELETE, and LIST or GET ?list=true on a
//    folder), `<mount>/config`, `auth/token/lookup-self`, `sys/health`.
//  - Vault's answers: the response envelope, `{"errors":[...]}` bodies, 404 `{"errors":[]}` for nothing there, 404
//    *with* data for a deleted or destroyed version, 403 for a missing, unknown or under-privileged token
//    (multierror-wrapped text, as many Vault versions send it), 400 for check-and-set, 429 with Retry-After for a
//    rate-limit quota, 503 "Vault is sealed".
//  - Namespaces (Enterprise): `X-Vault-Namespace` and/or a namespace path prefix (`/v1/team-a/secret/...`).
//  - The LIST verb: Node's HTTP parser refuses methods it does not know (llhttp answers 400 before any handler,
//    the trap in backends-wire.md). Real Vault accepts LIST, so the emulator takes it from the parser error's raw
//    packet (`clientError`), answers on the socket and closes it. node-vault's default `list()` works unmodified.
//  - Faults: latency, throttling, 5xx, sealed, a hung call (timeout) and a reset connection; calls counted by
//    operation; each request logged (method, path, namespace, operation, status; never a token or a body).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { EmulatorControls, RequestLog, holdHungCall } from '../controls';
import {
  type CallCounter,
  type EmulatorReply,
  closeServer,
  delay,
  listenLoopback,
  readBodyCapped,
  reply,
  replyStatus,
} from '../http-util';
import { KvError, KvMount, RAFT_MAX_ENTRY_BYTES, isDeleted } from './kv-engine';
import { allowed, type Capability, type PolicyRule, type TokenRecord } from './policy';

export type { Capability, PolicyRule } from './policy';
export { RAFT_MAX_ENTRY_BYTES } from './kv-engine';

export type VaultFault = 'throttling' | 'internal' | 'sealed' | 'timeout' | 'reset';
export type VaultOperation =
  | 'read'
  | 'write'
  | 'patch'
  | 'delete-latest'
  | 'delete-versions'
  | 'undelete'
  | 'destroy'
  | 'metadata-read'
  | 'metadata-write'
  | 'metadata-delete'
  | 'list'
  | 'config-read'
  | 'config-write'
  | 'token-lookup-self'
  | 'health'
  | 'unknown';

export interface VaultEmulatorOptions {
  /** The root token (default: a random `hvs.` token). */
  readonly rootToken?: string;
  /** KV v2 mounts in the root namespace (default `secret`). */
  readonly mounts?: readonly string[];
  /** Added before every response. */
  readonly latencyMs?: number;
  /** Raft's `max_entry_size` (default 1 MiB). */
  readonly maxEntryBytes?: number;
  /** How long a `timeout` fault holds the call before dropping it (default 60 s; stop() drops it at once). */
  readonly hangMs?: number;
  /** Retry-After (seconds) on a throttled call; real Vault sends it with rate-limit quotas. Default 1. */
  readonly retryAfterSeconds?: number;
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
}

export interface VaultRequestLog {
  readonly method: string;
  /** The logical path after /v1/, decoded, without the namespace prefix or query. */
  readonly path: string;
  readonly namespace: string;
  readonly operation: VaultOperation;
  readonly status: number;
}

export interface EmulatedVersion {
  readonly version: number;
  readonly data: Readonly<Record<string, unknown>> | null;
  readonly deleted: boolean;
  readonly destroyed: boolean;
}

export interface VaultEmulator {
  /** http(s)://127.0.0.1:PORT, for the store's `url` option or VAULT_ADDR. */
  readonly url: string;
  readonly port: number;
  readonly rootToken: string;
  readonly calls: CallCounter;
  readonly requests: readonly VaultRequestLog[];
  /** A token limited to these rules, in `namespace` (default root). */
  createToken(rules: readonly PolicyRule[], namespace?: string): string;
  revokeToken(token: string): void;
  /** Creates a namespace (parents first: `a`, then `a/b`). */
  createNamespace(namespace: string): void;
  /** Enables a KV v2 engine at `mount` in `namespace`. */
  enableKvV2(mount: string, options?: { namespace?: string; maxVersions?: number; casRequired?: boolean }): void;
  /** What the engine holds for a path (test inspection), or undefined. */
  stored(mount: string, path: string, namespace?: string): readonly EmulatedVersion[] | undefined;
  /** Fails the next `count` calls (of `operation`, or of any) with this fault. */
  injectFault(fault: VaultFault, count?: number, operation?: VaultOperation): void;
  /** Drops every fault still queued. */
  clearFaults(): void;
  setLatency(ms: number): void;
  stop(): Promise<void>;
}

interface EmuRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

/** Vault's default max_request_size. */
const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

const errors = (status: number, ...messages: string[]): EmulatorReply => reply(status, { errors: messages });

const PERMISSION_DENIED = '1 error occurred:\n\t* permission denied\n\n';
const INVALID_TOKEN = '2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n';

function envelope(data: unknown): Record<string, unknown> {
  return {
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: null,
    auth: null,
    mount_type: 'kv',
  };
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}

function versionsOf(body: unknown): number[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const v = (body as { versions?: unknown }).versions;
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const out = v.map((x) => (typeof x === 'number' ? x : Number(x)));
  return out.every((n) => Number.isInteger(n) && n >= 0) ? out : undefined;
}

export async function start(options: VaultEmulatorOptions = {}): Promise<VaultEmulator> {
  const rootToken = options.rootToken ?? `hvs.${randomUUID().replaceAll('-', '')}`;
  const tokens = new Map<string, TokenRecord>([[rootToken, { namespace: '', rules: undefined }]]);
  const namespaces = new Set<string>(['']);
  const mounts = new Map<string, KvMount>(); // `${namespace}|${mount}`
  const controls = new EmulatorControls<VaultFault, VaultOperation>(options.latencyMs);
  const requests = new RequestLog<Omit<VaultRequestLog, 'status'>>();
  const maxEntryBytes = options.maxEntryBytes ?? RAFT_MAX_ENTRY_BYTES;
  const hangMs = options.hangMs ?? 60_000;

  const enable = (mount: string, o: { namespace?: string; maxVersions?: number; casRequired?: boolean } = {}): void => {
    const ns = trimSlashes(o.namespace ?? '');
    if (!namespaces.has(ns)) throw new Error(`emulator: no namespace ${ns}`);
    const m = trimSlashes(mount);
    mounts.set(`${ns}|${m}`, new KvMount(m, o, maxEntryBytes));
  };
  for (const m of options.mounts ?? ['secret']) enable(m);

  /** The namespace from the header plus any namespace segments leading the path. */
  function splitNamespace(header: string | undefined, path: string): { namespace: string; rest: string } | undefined {
    let ns = trimSlashes(header ?? '');
    if (!namespaces.has(ns)) return undefined;
    let rest = path;
    for (;;) {
      const slash = rest.indexOf('/');
      if (slash < 0) break;
      const candidate = ns === '' ? rest.slice(0, slash) : `${ns}/${rest.slice(0, slash)}`;
      if (!namespaces.has(candidate)) break;
      ns = candidate;
      rest = rest.slice(slash + 1);
    }
    return { namespace: ns, rest };
  }

  function findMount(ns: string, path: string): { mount: KvMount; rest: string } | undefined {
    let best: KvMount | undefined;
    for (const [key, m] of mounts) {
      const [mNs] = key.split('|');
      if (mNs !== ns) continue;
      if ((path === m.path || path.startsWith(`${m.path}/`)) && (!best || m.path.length > best.path.length)) best = m;
    }
    return best ? { mount: best, rest: path.slice(best.path.length + 1) } : undefined;
  }

  function operationOf(method: string, sub: string, isList: boolean): VaultOperation {
    if (sub === 'data') {
      if (method === 'GET') return 'read';
      if (method === 'POST' || method === 'PUT') return 'write';
      if (method === 'PATCH') return 'patch';
      if (method === 'DELETE') return 'delete-latest';
    }
    if (sub === 'metadata') {
      if (isList) return 'list';
      if (method === 'GET') return 'metadata-read';
      if (method === 'POST' || method === 'PUT') return 'metadata-write';
      if (method === 'DELETE') return 'metadata-delete';
    }
    if (sub === 'delete' && (method === 'POST' || method === 'PUT')) return 'delete-versions';
    if (sub === 'undelete' && (method === 'POST' || method === 'PUT')) return 'undelete';
    if (sub === 'destroy' && (method === 'POST' || method === 'PUT')) return 'destroy';
    if (sub === 'config') return method === 'GET' ? 'config-read' : 'config-write';
    return 'unknown';
  }

  function capabilityOf(op: VaultOperation, exists: boolean): Capability {
    switch (op) {
      case 'read':
      case 'metadata-read':
      case 'config-read':
      case 'token-lookup-self':
      case 'health':
      case 'unknown':
        return 'read';
      case 'list':
        return 'list';
      case 'write':
      case 'metadata-write':
        return exists ? 'update' : 'create';
      case 'patch':
      case 'delete-versions':
      case 'undelete':
      case 'destroy':
      case 'config-write':
        return 'update';
      case 'delete-latest':
      case 'metadata-delete':
        return 'delete';
      default: {
        const never: never = op;
        return never;
      }
    }
  }

  function parseJson(body: Buffer): unknown {
    if (body.length === 0) return undefined;
    try {
      return JSON.parse(body.toString('utf8'));
    } catch {
      throw new KvError(400, ['error parsing JSON']);
    }
  }

  function kv(op: VaultOperation, mount: KvMount, path: string, query: URLSearchParams, body: Buffer): EmulatorReply {
    switch (op) {
      case 'read': {
        const version = Number(query.get('version') ?? '0');
        if (!Number.isInteger(version) || version < 0) return errors(400, 'invalid version');
        const got = mount.read(path, version);
        const s = mount.metadata(path);
        if (!got || !s) return errors(404);
        const metadata = mount.versionMetadata(s, got.number, got.record);
        // A deleted or destroyed version: 404 with the metadata (and null data), not an `errors` body.
        if (got.status === 404) return reply(404, envelope({ data: null, metadata }));
        return reply(200, envelope({ data: got.record.data, metadata }));
      }
      case 'write': {
        const parsed = parseJson(body);
        const input = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as {
          data?: unknown;
          options?: { cas?: unknown };
        };
        if (input.data === undefined || input.data === null) return errors(400, 'no data provided');
        if (typeof input.data !== 'object' || Array.isArray(input.data)) {
          return errors(400, '1 error occurred:\n\t* invalid data: expected a map\n\n');
        }
        const cas = input.options?.cas;
        const { version, record } = mount.write(
          path,
          input.data as Record<string, unknown>,
          typeof cas === 'number' ? cas : undefined,
        );
        const s = mount.metadata(path);
        return reply(200, envelope(s ? mount.versionMetadata(s, version, record) : null));
      }
      case 'patch':
        return errors(405, '1 error occurred:\n\t* unsupported operation\n\n');
      case 'delete-latest':
        mount.deleteLatest(path);
        return reply(204);
      case 'delete-versions':
      case 'undelete':
      case 'destroy': {
        const versions = versionsOf(parseJson(body));
        if (!versions) return errors(400, 'no version number provided');
        if (op === 'delete-versions') mount.deleteVersions(path, versions);
        else if (op === 'undelete') mount.undelete(path, versions);
        else mount.destroy(path, versions);
        return reply(204);
      }
      case 'metadata-read': {
        const s = mount.metadata(path);
        return s ? reply(200, envelope(mount.metadataBody(s))) : errors(404);
      }
      case 'metadata-write': {
        const parsed = parseJson(body);
        const input = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
        mount.writeMetadata(path, {
          ...(typeof input['max_versions'] === 'number' ? { maxVersions: input['max_versions'] } : {}),
          ...(typeof input['cas_required'] === 'boolean' ? { casRequired: input['cas_required'] } : {}),
          ...(typeof input['custom_metadata'] === 'object' && input['custom_metadata'] !== null
            ? { customMetadata: input['custom_metadata'] as Record<string, string> }
            : {}),
        });
        return reply(204);
      }
      case 'metadata-delete':
        mount.deleteMetadata(path);
        return reply(204);
      case 'list': {
        const keys = mount.list(path);
        return keys ? reply(200, envelope({ keys })) : errors(404);
      }
      case 'config-read':
        return reply(
          200,
          envelope({
            max_versions: mount.config.maxVersions,
            cas_required: mount.config.casRequired,
            delete_version_after: '0s',
          }),
        );
      case 'config-write': {
        const parsed = parseJson(body);
        const input = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
        if (typeof input['max_versions'] === 'number') mount.config.maxVersions = input['max_versions'];
        if (typeof input['cas_required'] === 'boolean') mount.config.casRequired = input['cas_required'];
        return reply(204);
      }
      case 'token-lookup-self':
      case 'health':
      case 'unknown':
        return errors(405, '1 error occurred:\n\t* unsupported operation\n\n');
      default: {
        const never: never = op;
        return never;
      }
    }
  }

  async function handle(
    req: EmuRequest,
    log: (entry: Omit<VaultRequestLog, 'status'>) => void,
  ): Promise<EmulatorReply> {
    const url = new URL(req.url, 'http://vault.invalid');
    const query = url.searchParams;
    const raw = url.pathname;
    if (!raw.startsWith('/v1/')) return errors(404);
    const logical = raw
      .slice('/v1/'.length)
      .split('/')
      .map((s) => decodeURIComponent(s))
      .join('/');
    const method = req.method.toUpperCase();
    const isList = method === 'LIST' || (method === 'GET' && ['true', '1'].includes(query.get('list') ?? ''));
    const nsSplit = splitNamespace(req.headers['x-vault-namespace'], logical);
    const namespace = nsSplit?.namespace ?? trimSlashes(req.headers['x-vault-namespace'] ?? '');
    const path = nsSplit?.rest ?? logical;

    let operation: VaultOperation = 'unknown';
    let target: { mount: KvMount; sub: string; secret: string } | undefined;
    if (path === 'sys/health') operation = 'health';
    else if (path === 'auth/token/lookup-self') operation = 'token-lookup-self';
    else if (nsSplit) {
      const found = findMount(nsSplit.namespace, path);
      if (found) {
        const slash = found.rest.indexOf('/');
        const sub = slash < 0 ? found.rest : found.rest.slice(0, slash);
        const secret = slash < 0 ? '' : found.rest.slice(slash + 1);
        operation = operationOf(method, sub, isList);
        target = { mount: found.mount, sub, secret };
      }
    }
    controls.calls.record(operation);
    log({ method, path, namespace, operation });
    await delay(controls.latencyOf(operation));

    if (operation === 'health') {
      return reply(200, {
        initialized: true,
        sealed: false,
        standby: false,
        version: '1.19.0',
        cluster_name: 'emulator',
      });
    }
    const fault = controls.takeFault(operation);
    switch (fault) {
      case undefined:
        break;
      case 'throttling':
        return reply(
          429,
          { errors: [`request path "${path}": rate limit quota exceeded`] },
          { 'retry-after': String(options.retryAfterSeconds ?? 1) },
        );
      case 'internal':
        return errors(500, 'internal error');
      case 'sealed':
        return errors(503, 'Vault is sealed');
      case 'timeout':
        return { kind: 'hang' };
      case 'reset':
        return { kind: 'reset' };
      default: {
        const never: never = fault;
        return never;
      }
    }

    const tokenText = req.headers['x-vault-token'];
    if (!tokenText) return errors(403, PERMISSION_DENIED);
    const token = tokens.get(tokenText);
    if (!token) return errors(403, INVALID_TOKEN);
    if (operation === 'token-lookup-self') {
      return reply(
        200,
        envelope({
          display_name: token.rules ? 'token' : 'root',
          namespace_path: token.namespace === '' ? '' : `${token.namespace}/`,
          policies: token.rules ? ['default', 'emulated'] : ['root'],
          ttl: token.rules ? 3600 : 0,
        }),
      );
    }
    // An unknown namespace (Enterprise answers this for a namespace that does not exist) [U: exact text].
    if (!nsSplit || !target) return errors(404, `no handler for route "${path}". route entry not found.`);
    const exists = target.mount.metadata(target.secret) !== undefined;
    const policyPath = `${target.mount.path}/${target.sub}${target.secret === '' ? '' : `/${target.secret}`}`;
    if (!allowed(token, namespace, policyPath, capabilityOf(operation, exists))) return errors(403, PERMISSION_DENIED);
    if (operation === 'unknown') return errors(405, '1 error occurred:\n\t* unsupported operation\n\n');
    if (target.sub === 'data' && (target.secret === '' || target.secret.endsWith('/'))) {
      return errors(404, `1 error occurred:\n\t* unsupported path\n\n`);
    }
    try {
      return kv(operation, target.mount, target.secret, query, req.body);
    } catch (e) {
      if (e instanceof KvError) return reply(e.status, { errors: e.errors });
      throw e;
    }
  }

  async function respond(req: EmuRequest, write: (r: EmulatorReply) => void): Promise<void> {
    const out = await requests.answer(
      (log) => handle(req, log),
      replyStatus,
      () => errors(500, 'internal error'),
    );
    if (out.kind === 'hang') {
      await holdHungCall(hangMs);
      write({ kind: 'reset' });
      return;
    }
    write(out);
  }

  function encode(r: Extract<EmulatorReply, { kind: 'reply' }>): { text: string; headers: Record<string, string> } {
    const text = r.body === undefined ? '' : JSON.stringify(r.body);
    return {
      text,
      headers: {
        ...(r.body === undefined ? {} : { 'content-type': 'application/json' }),
        'content-length': String(Buffer.byteLength(text)),
        'cache-control': 'no-store',
        ...(r.headers ?? {}),
      },
    };
  }

  const onRequest: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    const send = (r: EmulatorReply): void => {
      if (r.kind === 'reset' || r.kind === 'hang') {
        req.socket.destroy();
        return;
      }
      const { text, headers } = encode(r);
      res.writeHead(r.status, headers);
      res.end(text);
    };
    readBodyCapped(req, MAX_REQUEST_BYTES)
      .then((body) => {
        if (body === 'too-large') {
          send(errors(413, 'http: request body too large'));
          return;
        }
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(',') : v;
        return respond({ method: req.method ?? 'GET', url: req.url ?? '/', headers, body }, send);
      })
      .catch(() => {
        if (!res.headersSent) send(errors(500, 'internal error'));
      });
  };
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest)
    : createServer(onRequest);

  // The LIST verb, which llhttp refuses before any request handler (see the header comment).
  server.on('clientError', (err: Error & { code?: string; rawPacket?: Buffer }, socket: Socket) => {
    const raw = err.rawPacket?.toString('latin1') ?? '';
    const head = raw.split('\r\n\r\n')[0] ?? '';
    const [requestLine, ...headerLines] = head.split('\r\n');
    const m = /^LIST (\S+) HTTP\/1\.[01]$/.exec(requestLine ?? '');
    if (err.code !== 'HPE_INVALID_METHOD' || !m?.[1]) {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    const headers: Record<string, string | undefined> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    void respond({ method: 'LIST', url: m[1], headers, body: Buffer.alloc(0) }, (r) => {
      if (r.kind !== 'reply') {
        socket.destroy();
        return;
      }
      const { text, headers: h } = encode(r);
      const lines = [`HTTP/1.1 ${r.status} ${r.status === 200 ? 'OK' : 'Error'}`, 'connection: close'];
      for (const [k, v] of Object.entries(h)) lines.push(`${k}: ${v}`);
      if (socket.writable) socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
    });
  });

  const port = await listenLoopback(server);

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    rootToken,
    calls: controls.calls,
    requests: requests.entries,
    createToken(rules, namespace = '') {
      const token = `hvs.${randomUUID().replaceAll('-', '')}`;
      tokens.set(token, { namespace: trimSlashes(namespace), rules });
      return token;
    },
    revokeToken(token) {
      tokens.delete(token);
    },
    createNamespace(namespace) {
      const ns = trimSlashes(namespace);
      const parent = ns.includes('/') ? ns.slice(0, ns.lastIndexOf('/')) : '';
      if (!namespaces.has(parent)) throw new Error(`emulator: create namespace ${parent} first`);
      namespaces.add(ns);
    },
    enableKvV2: enable,
    stored(mount, path, namespace = '') {
      const s = mounts.get(`${trimSlashes(namespace)}|${trimSlashes(mount)}`)?.metadata(path);
      if (!s) return undefined;
      const now = new Date();
      return [...s.versions.entries()]
        .sort(([a], [b]) => b - a)
        .map(([version, v]) => ({ version, data: v.data, deleted: isDeleted(v, now), destroyed: v.destroyed }));
    },
    injectFault: controls.injectFault,
    clearFaults: controls.clearFaults,
    setLatency: controls.setLatency,
    stop: () => closeServer(server),
  };
}
