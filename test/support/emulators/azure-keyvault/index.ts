// A loopback Azure Key Vault emulator (secrets only): the REST API of api-version 2025-07-01 on 127.0.0.1 over
// plain http, spoken to by the real @azure/keyvault-secrets SecretClient unmodified (with
// `allowInsecureConnection` and `disableChallengeResourceVerification`, the two opt-ins any loopback vault needs:
// backends-wire.md §4).
//  - The 401 challenge: a request without `Authorization` (the SDK's first request, body stripped) gets 401 with
//    `WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/<tenant>", resource="https://vault.azure.net"`
//    before anything else is looked at. Any non-empty bearer token is accepted (as lowkey-vault does), unless a
//    test rejected it (401) or restricted it to some operations (403 ForbiddenByRbac).
//  - Routes: GET /secrets/<n>[/<version>] (a trailing slash = latest), PUT /secrets/<n> (always a new version),
//    PATCH /secrets/<n>/<version>, DELETE /secrets/<n> (the whole secret), GET /secrets and
//    GET /secrets/<n>/versions (pages of `maxresults` <= 25, an absolute `nextLink`), GET /deletedsecrets[/<n>],
//    DELETE /deletedsecrets/<n> (purge), POST /deletedsecrets/<n>/recover.
//  - Rules: names `[0-9a-zA-Z-]{1,127}`, compared without case; values of at most 25,000 UTF-8 bytes; 15 tags;
//    every version kept; versions listed in version-id order (the service promises no order), timestamps in
//    unix seconds; soft delete on by default (a deleted name answers 409 ObjectIsDeletedButRecoverable to a PUT
//    until recovered or purged), purge protection optional (purge then answers 403); optionally a deletion that
//    takes a few requests to finish (`deleteLagRequests`: 404 from deletedsecrets, 409 ObjectIsBeingDeleted).
//  - Faults (authenticated calls only; the challenge itself never fails): latency, throttling (429 + Retry-After),
//    500, 503, a hung call (timeout) and a reset connection. Calls are counted by operation, the challenge as
//    `challenge`; each request is logged (method, path, operation, status), never a token or a body.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
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
import {
  Bundles,
  DEFAULT_MAX_VALUE_BYTES,
  KvApiError,
  VaultState,
  type SecretRecord,
  type SecretVersionRecord,
} from './vault-state';

export { DEFAULT_MAX_VALUE_BYTES, SECRET_NAME } from './vault-state';

export type AzureKvFault = 'throttling' | 'internal' | 'unavailable' | 'timeout' | 'reset';
export type AzureKvOperation =
  | 'get'
  | 'set'
  | 'update'
  | 'delete'
  | 'list'
  | 'versions'
  | 'get-deleted'
  | 'list-deleted'
  | 'purge'
  | 'recover'
  | 'unknown';

export const API_VERSION = '2025-07-01';
export const DEFAULT_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
/** The page size the service uses when `maxresults` is absent, and the largest it accepts. */
export const MAX_PAGE = 25;

export interface AzureKvEmulatorOptions {
  /** Soft delete (default true: new vaults cannot turn it off). */
  readonly softDelete?: boolean;
  readonly purgeProtection?: boolean;
  readonly recoverableDays?: number;
  readonly maxValueBytes?: number;
  /** Requests naming a deleted secret that still see it being deleted (default 0: deleted at once). */
  readonly deleteLagRequests?: number;
  /** Added before every authenticated answer. */
  readonly latencyMs?: number;
  /** How long a `timeout` fault holds the call before dropping it (default 60 s; stop() drops it at once). */
  readonly hangMs?: number;
  /** Retry-After (seconds) on a throttled call. Default 1. */
  readonly retryAfterSeconds?: number;
  /** The tenant named in the challenge. */
  readonly tenantId?: string;
  /** Unix seconds (default: the clock). */
  readonly now?: () => number;
}

export interface AzureKvRequestLog {
  readonly method: string;
  /** The path, decoded, without the query. */
  readonly path: string;
  readonly operation: AzureKvOperation | 'challenge';
  readonly status: number;
  /** Whether the request carried a body (the challenge request of a PUT carries none). */
  readonly hadBody: boolean;
}

/** A stored version as a test may inspect it. */
export interface StoredAzureVersion {
  readonly version: string;
  readonly value: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly enabled: boolean;
  readonly created: number;
}

export interface AzureKeyVaultEmulator {
  /** http://127.0.0.1:PORT: the vault URL (the store's `vault_url` or `endpoint` option). */
  readonly url: string;
  readonly port: number;
  /** Authenticated calls per operation, plus `challenge` for each 401 challenge answered. */
  readonly calls: CallCounter;
  readonly requests: readonly AzureKvRequestLog[];
  /** The live secret's versions, newest last, or undefined (never written, or deleted). */
  stored(name: string): readonly StoredAzureVersion[] | undefined;
  /** Whether the name is soft-deleted (recoverable). */
  isDeleted(name: string): boolean;
  /** Disables or enables a version (latest when omitted), as `az keyvault secret set-attributes` does. */
  setEnabled(name: string, enabled: boolean, version?: string): void;
  /** Answers 401 (invalid token) to requests with this bearer token. */
  rejectToken(token: string): void;
  /** Lets this bearer token do only these operations; others answer 403 ForbiddenByRbac. */
  restrictToken(token: string, allowed: readonly AzureKvOperation[]): void;
  /** The most authenticated calls in flight at once since the last reset (batch concurrency checks). */
  peakInFlight(): number;
  resetPeakInFlight(): void;
  /** Fails the next `count` authenticated calls (of `operation`, or of any) with this fault. */
  injectFault(fault: AzureKvFault, count?: number, operation?: AzureKvOperation): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  stop(): Promise<void>;
}

const kvError = (e: KvApiError, headers?: Record<string, string>): EmulatorReply => reply(e.status, e.body(), headers);

/** Key Vault's answer to a call that failed inside the service (a fault, or the emulator's own bug). */
const internalError = (): EmulatorReply =>
  reply(500, { error: { code: 'InternalServerError', message: 'An unexpected error occurred.' } });

/** A generous bound: a 25 KB value JSON-escaped (up to 6 bytes a character) plus tags. */
const MAX_REQUEST_BYTES = 256 * 1024;

interface Route {
  readonly operation: AzureKvOperation;
  readonly name: string;
  readonly version: string;
}

/** Which operation a method and path are, with the secret name and version they carry. */
function route(method: string, segments: readonly string[]): Route {
  const [collection, name = '', third = '', ...rest] = segments;
  const unknown: Route = { operation: 'unknown', name: '', version: '' };
  if (rest.length > 0) return unknown;
  if (collection === 'secrets') {
    if (name === '') return method === 'GET' ? { operation: 'list', name: '', version: '' } : unknown;
    if (third === 'versions' && method === 'GET') return { operation: 'versions', name, version: '' };
    switch (method) {
      case 'GET':
        return { operation: 'get', name, version: third };
      case 'PUT':
        return third === '' ? { operation: 'set', name, version: '' } : unknown;
      case 'PATCH':
        return { operation: 'update', name, version: third };
      case 'DELETE':
        return third === '' ? { operation: 'delete', name, version: '' } : unknown;
      default:
        return unknown;
    }
  }
  if (collection === 'deletedsecrets') {
    if (name === '') return method === 'GET' ? { operation: 'list-deleted', name: '', version: '' } : unknown;
    if (third === 'recover') return method === 'POST' ? { operation: 'recover', name, version: '' } : unknown;
    if (third !== '') return unknown;
    if (method === 'GET') return { operation: 'get-deleted', name, version: '' };
    if (method === 'DELETE') return { operation: 'purge', name, version: '' };
  }
  return unknown;
}

function parseBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) throw new KvApiError(400, 'BadParameter', 'The request body is missing.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new KvApiError(400, 'BadParameter', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new KvApiError(400, 'BadParameter', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function tagsOf(raw: unknown): Record<string, string> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new KvApiError(400, 'BadParameter', 'Property tags must be an object.');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') throw new KvApiError(400, 'BadParameter', `Tag ${k} must have a string value.`);
    out[k] = v;
  }
  return out;
}

function enabledOf(raw: unknown): boolean | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const e = (raw as Record<string, unknown>)['enabled'];
  return typeof e === 'boolean' ? e : undefined;
}

export async function start(options: AzureKvEmulatorOptions = {}): Promise<AzureKeyVaultEmulator> {
  const controls = new EmulatorControls<AzureKvFault, AzureKvOperation>(options.latencyMs);
  const requests = new RequestLog<Omit<AzureKvRequestLog, 'status'>>();
  const rejected = new Set<string>();
  const restricted = new Map<string, ReadonlySet<AzureKvOperation>>();
  const hangMs = options.hangMs ?? 60_000;
  const tenant = options.tenantId ?? DEFAULT_TENANT;
  let base = '';
  const state = new VaultState({
    softDelete: options.softDelete ?? true,
    purgeProtection: options.purgeProtection ?? false,
    recoverableDays: options.recoverableDays ?? 90,
    maxValueBytes: options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES,
    deleteLagRequests: options.deleteLagRequests ?? 0,
    now: options.now ?? (() => Math.floor(Date.now() / 1000)),
  });
  const bundles = new Bundles(() => base, state);

  const challengeHeader = `Bearer authorization="https://login.microsoftonline.com/${tenant}", resource="https://vault.azure.net"`;

  /** One page of `items`, from the `$skiptoken` offset, with an absolute nextLink when more remain. */
  function page(items: readonly unknown[], path: string, query: URLSearchParams): EmulatorReply {
    const rawMax = query.get('maxresults');
    const max = rawMax === null ? MAX_PAGE : Number(rawMax);
    if (!Number.isInteger(max) || max < 1 || max > MAX_PAGE) {
      return kvError(
        new KvApiError(
          400,
          'BadParameter',
          `Invalid maxresults: ${rawMax ?? ''}. The value must be between 1 and ${MAX_PAGE}.`,
        ),
      );
    }
    const offset = Number(query.get('$skiptoken') ?? '0');
    const start = Number.isInteger(offset) && offset >= 0 ? offset : 0;
    const slice = items.slice(start, start + max);
    const more = start + max < items.length;
    const next = new URL(`${base}${path}`);
    next.searchParams.set('api-version', query.get('api-version') ?? API_VERSION);
    next.searchParams.set('maxresults', String(max));
    next.searchParams.set('$skiptoken', String(start + max));
    return reply(200, { value: slice, nextLink: more ? next.toString() : null });
  }

  function byVersionId(a: SecretVersionRecord, b: SecretVersionRecord): number {
    return a.version < b.version ? -1 : a.version > b.version ? 1 : 0;
  }

  function latest(s: SecretRecord): SecretVersionRecord {
    const v = s.versions.at(-1);
    if (!v) throw new Error('emulator: a secret without versions');
    return v;
  }

  function operate(r: Route, path: string, query: URLSearchParams, body: Buffer): EmulatorReply {
    switch (r.operation) {
      case 'get': {
        const { secret, v } = state.version(r.name, r.version);
        if (!v.enabled) {
          return kvError(
            new KvApiError(403, 'Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled'),
          );
        }
        return reply(200, bundles.secret(secret, v, true));
      }
      case 'set': {
        const input = parseBody(body);
        const value = input['value'];
        if (typeof value !== 'string') {
          return kvError(new KvApiError(400, 'BadParameter', 'Property value is required and must be a string.'));
        }
        const contentType = input['contentType'];
        const { secret, v } = state.set(r.name, {
          value,
          tags: tagsOf(input['tags']),
          contentType: typeof contentType === 'string' ? contentType : undefined,
          enabled: enabledOf(input['attributes']) ?? true,
        });
        return reply(200, bundles.secret(secret, v, true));
      }
      case 'update': {
        const { secret, v } = state.version(r.name, r.version);
        const input = parseBody(body);
        const enabled = enabledOf(input['attributes']);
        if (enabled !== undefined) v.enabled = enabled;
        const tags = tagsOf(input['tags']);
        if (tags !== undefined) v.tags = tags;
        v.updated = state.options.now();
        return reply(200, bundles.secret(secret, v, false));
      }
      case 'delete': {
        const { secret, deleted } = state.delete(r.name);
        if (deleted) return reply(200, bundles.deleted(deleted, false));
        // Soft delete off: no recoveryId, so the SDK's poller finishes at once.
        return reply(200, bundles.secret(secret, latest(secret), false));
      }
      case 'list': {
        const items = [...state.secrets.values()]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((s) => bundles.item(s, latest(s), false));
        return page(items, path, query);
      }
      case 'versions': {
        const secret = state.find(r.name);
        if (!secret) return kvError(state.notFound(r.name));
        const items = [...secret.versions].sort(byVersionId).map((v) => bundles.item(secret, v, true));
        return page(items, path, query);
      }
      case 'get-deleted':
        return reply(200, bundles.deleted(state.findDeleted(r.name), false));
      case 'list-deleted': {
        const items = [...state.deleted.values()]
          .sort((a, b) => a.secret.name.localeCompare(b.secret.name))
          .map((d) => bundles.deleted(d, false));
        return page(items, path, query);
      }
      case 'purge':
        state.purge(r.name);
        return reply(204);
      case 'recover': {
        const secret = state.recover(r.name);
        return reply(200, bundles.secret(secret, latest(secret), false));
      }
      case 'unknown':
        return kvError(
          new KvApiError(405, 'MethodNotAllowed', 'The requested method is not allowed for this resource.'),
        );
      default: {
        const never: never = r.operation;
        return never;
      }
    }
  }

  async function handle(
    method: string,
    rawUrl: string,
    headers: IncomingMessage['headers'],
    body: Buffer | 'too-large',
    log: (entry: Omit<AzureKvRequestLog, 'status'>) => void,
  ): Promise<EmulatorReply> {
    const url = new URL(rawUrl, 'http://kv.invalid');
    const segments = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
    const path = `/${segments.join('/')}`;
    const r = route(method, segments);
    const hadBody = body === 'too-large' || body.length > 0;

    // The challenge comes first: no Authorization, no look at the (stripped) body.
    const auth = headers.authorization;
    if (typeof auth !== 'string' || !/^Bearer \S+/.test(auth)) {
      controls.calls.record('challenge');
      log({ method, path, operation: 'challenge', hadBody });
      return reply(
        401,
        { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } },
        { 'www-authenticate': challengeHeader },
      );
    }
    controls.calls.record(r.operation);
    log({ method, path, operation: r.operation, hadBody });
    // In flight while it waits out the latency: the rest of the answer is synchronous.
    const release = controls.enter();
    try {
      await delay(controls.latencyOf(r.operation));
    } finally {
      release();
    }

    const fault = controls.takeFault(r.operation);
    switch (fault) {
      case undefined:
        break;
      case 'throttling':
        return reply(
          429,
          {
            error: {
              code: 'Throttled',
              message:
                'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
            },
          },
          { 'retry-after': String(options.retryAfterSeconds ?? 1) },
        );
      case 'internal':
        return internalError();
      case 'unavailable':
        return reply(503, {
          error: { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable.' },
        });
      case 'timeout':
        return { kind: 'hang' };
      case 'reset':
        return { kind: 'reset' };
      default: {
        const never: never = fault;
        return never;
      }
    }

    const token = auth.slice('Bearer '.length).trim();
    if (rejected.has(token)) {
      return reply(
        401,
        {
          error: {
            code: 'Unauthorized',
            message: 'AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://example.invalid.',
          },
        },
        { 'www-authenticate': `${challengeHeader}, error="invalid_token"` },
      );
    }
    const allowed = restricted.get(token);
    if (allowed && !allowed.has(r.operation)) {
      return kvError(
        new KvApiError(
          403,
          'Forbidden',
          `Caller is not authorized to perform action on resource. If role assignments, deny assignments or role definitions were changed recently, please observe propagation time. Action: 'Microsoft.KeyVault/vaults/secrets/${r.operation}/action' Resource: '${path}'`,
          'ForbiddenByRbac',
        ),
      );
    }
    const apiVersion = url.searchParams.get('api-version');
    if (!apiVersion) {
      return kvError(new KvApiError(400, 'BadParameter', 'The api-version query parameter is required.'));
    }
    if (body === 'too-large')
      return kvError(new KvApiError(413, 'RequestEntityTooLarge', 'The request body is too large.'));
    try {
      return operate(r, path, url.searchParams, body);
    } catch (e) {
      if (e instanceof KvApiError) return kvError(e);
      throw e;
    } finally {
      if (r.operation !== 'delete') state.tick(r.name);
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const send = (r: EmulatorReply): void => {
      if (r.kind !== 'reply') {
        req.socket.destroy();
        return;
      }
      const text = r.body === undefined ? '' : JSON.stringify(r.body);
      res.writeHead(r.status, {
        ...(r.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
        'content-length': String(Buffer.byteLength(text)),
        'cache-control': 'no-cache',
        'x-ms-keyvault-service-version': '1.9.0.0',
        ...(r.headers ?? {}),
      });
      res.end(text);
    };
    readBodyCapped(req, MAX_REQUEST_BYTES)
      .then(async (body) => {
        const out = await requests.answer(
          (log) => handle(req.method ?? 'GET', req.url ?? '/', req.headers, body, log),
          replyStatus,
          internalError,
        );
        if (out.kind === 'hang') await holdHungCall(hangMs);
        send(out);
      })
      .catch(() => {
        if (!res.headersSent) send(internalError());
      });
  });

  const port = await listenLoopback(server);
  base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    port,
    calls: controls.calls,
    requests: requests.entries,
    stored(name) {
      const s = state.find(name);
      return s?.versions.map((v) => ({
        version: v.version,
        value: v.value,
        tags: { ...v.tags },
        enabled: v.enabled,
        created: v.created,
      }));
    },
    isDeleted(name) {
      try {
        state.findDeleted(name);
        return true;
      } catch {
        return false;
      }
    },
    setEnabled(name, enabled, version = '') {
      state.version(name, version).v.enabled = enabled;
    },
    rejectToken(token) {
      rejected.add(token);
    },
    restrictToken(token, allowed) {
      restricted.set(token, new Set(allowed));
    },
    peakInFlight: () => controls.peakInFlight,
    resetPeakInFlight: controls.resetPeak,
    injectFault: controls.injectFault,
    clearFaults: controls.clearFaults,
    setLatency: controls.setLatency,
    stop: () => closeServer(server),
  };
}
