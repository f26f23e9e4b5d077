// The one place node-vault is touched: loaded with import() on first use (the CLI must not pay for it at start),
// configured so it can neither log nor redirect our requests, and wrapped so the rest of the adapter sees typed
// results and a typed failure instead of node-vault's `Promise<any>` and axios errors.
//
// Why a wrapper and not node-vault's own typings: they type every answer `any`, and its errors are two shapes
// (ApiResponseError with `response.statusCode`/`body`, or an axios error with `code`) whose axios form carries
// the request config, i.e. the token header and the JSON body holding the value. VaultFailure keeps only the
// status, Vault's `errors` strings and the network code, so no error we raise can quote a token or a value.

import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/** What the adapter needs from Vault's HTTP API. Paths are relative to /v1/ and already URL-encoded. */
export interface VaultHttp {
  read(path: string): Promise<unknown>;
  write(path: string, body: Readonly<Record<string, unknown>>): Promise<unknown>;
  delete(path: string): Promise<void>;
  /** Vault's LIST verb on a folder path (node-vault's `list`). */
  list(path: string): Promise<unknown>;
  /**
   * The same calls, each closed when `signal` (an operation's cancellation) aborts, not only when the store's own
   * does. Absent: a cancelled call is abandoned, and its request runs until it ends or times out.
   */
  forSignal?(signal: AbortSignal): VaultHttp;
}

export interface VaultHttpSettings {
  readonly endpoint: string;
  readonly token: string;
  readonly namespace: string | undefined;
  readonly timeoutMs: number;
  /** Extra trusted CA certificates (PEM), for a Vault behind a private CA. */
  readonly ca?: Buffer | undefined;
  /** The store's cancellation: when aborted, every request in flight is closed (see loadNodeVault). */
  readonly signal?: AbortSignal | undefined;
}

/** A failed call, reduced to what is safe to keep. */
export type VaultFailureCause =
  /** Vault answered with a non-2xx status. `errors` is its `errors` array ([] when absent); `hasData` whether the
   * body carried `data` (a deleted version's 404 does). */
  | { readonly kind: 'status'; readonly status: number; readonly errors: readonly string[]; readonly hasData: boolean }
  /** No answer within the timeout. */
  | { readonly kind: 'timeout' }
  /** The connection failed: ECONNREFUSED, ENOTFOUND, ECONNRESET, a TLS error, ... */
  | { readonly kind: 'network'; readonly code: string };

export class VaultFailure extends Error {
  constructor(readonly detail: VaultFailureCause) {
    super(
      detail.kind === 'status'
        ? `Vault answered ${detail.status}`
        : detail.kind === 'timeout'
          ? 'Vault did not answer in time'
          : `could not reach Vault (${detail.code})`,
    );
    this.name = 'VaultFailure';
  }
}

/**
 * Vault's error texts, tidied: many versions wrap them as Go multierrors ("1 error occurred:\n\t* permission
 * denied\n\n"); the bullet lines are what a person needs.
 */
export function vaultErrorTexts(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  const out: string[] = [];
  for (const item of raw) {
    if (typeof item !== 'string') continue;
    const bullets = [...item.matchAll(/^\s*\*\s*(.+)$/gm)].map((m) => (m[1] ?? '').trim());
    out.push(...(bullets.length > 0 ? bullets : [item.trim()]).filter((t) => t !== ''));
  }
  return out;
}

function objectField(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** Any thrown thing from node-vault -> VaultFailure (or the error itself when it is not a call failure). */
export function toVaultFailure(e: unknown): unknown {
  if (e instanceof VaultFailure) return e;
  const response = objectField(e, 'response');
  const statusCode = objectField(response, 'statusCode');
  if (typeof statusCode === 'number') {
    const body = objectField(response, 'body');
    return new VaultFailure({
      kind: 'status',
      status: statusCode,
      errors: vaultErrorTexts(objectField(body, 'errors')),
      hasData: objectField(body, 'data') !== undefined && objectField(body, 'data') !== null,
    });
  }
  const code = objectField(e, 'code');
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return new VaultFailure({ kind: 'timeout' });
  if (typeof code === 'string') return new VaultFailure({ kind: 'network', code });
  return e;
}

async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    // Replaced, not wrapped: the original (an axios error) holds the request's headers and body.
    throw toVaultFailure(e);
  }
}

/**
 * A connection pool closed by cancellation. node-vault 0.12 does not pass an AbortSignal on to axios (its request
 * wrapper copies only method, url, headers, body, timeout and the agents), but it does take a per-call
 * `httpAgent`/`httpsAgent`: requests go through an agent of their own, and an abort destroys it, which closes
 * every socket in flight (the request fails at once; the store reports CANCELLED). The agent repeats what
 * node-vault's default one holds: the extra CA and VAULT_SKIP_VERIFY. Idle sockets close after
 * IDLE_SOCKET_MS (as Node's global agent does), so an operation's pool does not outlive it for long.
 */
function abortableAgent(
  settings: VaultHttpSettings,
  signals: readonly AbortSignal[],
): { httpAgent: HttpAgent } | { httpsAgent: HttpsAgent } {
  const agent =
    new URL(settings.endpoint).protocol === 'https:'
      ? new HttpsAgent({
          keepAlive: true,
          timeout: IDLE_SOCKET_MS,
          ...(settings.ca ? { ca: settings.ca } : {}),
          ...(process.env['VAULT_SKIP_VERIFY'] ? { rejectUnauthorized: false } : {}),
        })
      : new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
  for (const signal of signals) {
    if (signal.aborted) agent.destroy();
    else signal.addEventListener('abort', () => agent.destroy(), { once: true });
  }
  return agent instanceof HttpsAgent ? { httpsAgent: agent } : { httpAgent: agent };
}

/** How long a kept-alive socket of an abortable agent may sit idle (Node's global agent uses the same). */
const IDLE_SOCKET_MS = 5_000;

/** Loads node-vault and returns a VaultHttp over it. */
export async function loadNodeVault(settings: VaultHttpSettings): Promise<VaultHttp> {
  const { default: nodeVault } = await import('node-vault');
  const client = nodeVault({
    endpoint: settings.endpoint,
    token: settings.token,
    ...(settings.namespace ? { namespace: settings.namespace } : {}),
    // node-vault logs every write's body (the value) through `debug` when DEBUG=node-vault is set: never.
    debug: () => undefined,
    requestOptions: {
      timeout: settings.timeoutMs,
      ...(settings.ca ? { ca: settings.ca } : {}),
      ...(settings.signal ? abortableAgent(settings, [settings.signal]) : {}),
    },
  });
  // node-vault prepends VAULT_PREFIX (its own variable, not Vault's) to every path; a leftover one would send our
  // reads and writes elsewhere. Its typings do not declare the field.
  (client as unknown as { pathPrefix: string }).pathPrefix = '';
  type RequestOptions = Parameters<typeof client.read>[1];
  const calls = (options: RequestOptions): VaultHttp => ({
    read: (path) => guarded(() => client.read(path, options) as Promise<unknown>),
    write: (path, body) => guarded(() => client.write(path, body, options) as Promise<unknown>),
    delete: async (path) => {
      await guarded(() => client.delete(path, options) as Promise<unknown>);
    },
    list: (path) => guarded(() => client.list(path, options) as Promise<unknown>),
  });
  // One pool per operation (its calls share kept-alive connections), destroyed when the operation or the store
  // is cancelled; a WeakMap, so a finished operation's pool goes with its signal.
  const perOperation = new WeakMap<AbortSignal, VaultHttp>();
  return {
    ...calls(undefined),
    forSignal: (signal) => {
      let http = perOperation.get(signal);
      if (!http) {
        const signals = settings.signal ? [signal, settings.signal] : [signal];
        // node-vault merges these over its config's requestOptions, so the timeout and CA stay.
        http = calls(abortableAgent(settings, signals));
        perOperation.set(signal, http);
      }
      return http;
    },
  };
}
