// One Key Vault call, the way every call of the store goes: a timeout per attempt, the store's cancellation,
// retries with capped backoff and jitter on throttling, 5xx and dropped connections (the SDK's own retries are
// off, so attempts and the emulator's call counts are ours to reason about), and failures mapped to the store
// errors callers branch on. Decisions use the HTTP status, Key Vault's error `code`, the network error code and
// the error class name, never message text. The SDK's RestError is replaced, never wrapped: it carries the
// request, whose body holds the value being written.
import { AppError } from '../../../shared/errors';
import { callSignal } from '../operation-signal';
import { backoffDelay, backoffWait, realSleep, type Sleep } from '../retry';
import { StoreAuthError, StoreThrottledError } from '../store-errors';

/** A failed call, reduced to what is safe to keep (no request, no headers, no body). */
export type KeyVaultFailureDetail =
  /** Key Vault answered with a non-2xx status; `code` is its `error.code` (SecretNotFound, Forbidden, ...). */
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly code: string | undefined;
      readonly words: string;
      readonly retryAfterMs: number | undefined;
    }
  /** The connection failed: ECONNREFUSED, ENOTFOUND, ECONNRESET, a TLS error, ... */
  | { readonly kind: 'network'; readonly code: string; readonly words: string }
  /** @azure/identity could not get a token (no credentials, a refused secret, no az login). */
  | { readonly kind: 'credential'; readonly name: string; readonly words: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'other'; readonly name: string; readonly words: string };

/** Thrown to the caller for the answers it asked to handle itself (404 SecretNotFound, 409 Conflict). */
export class KeyVaultFailure extends Error {
  constructor(readonly detail: KeyVaultFailureDetail) {
    super(detail.kind === 'status' ? `Key Vault answered ${detail.status}` : `Key Vault call failed (${detail.kind})`);
    this.name = 'KeyVaultFailure';
  }
}

/** A backend failure that is not one of the typed store errors. */
export class KeyVaultRequestError extends AppError {
  /** Key Vault's error code or the network code. */
  readonly kvCode: string;
  readonly httpStatus: number | undefined;
  /** 5xx and dropped connections may succeed when tried again; a 4xx will not. */
  readonly retryable: boolean;

  constructor(message: string, kvCode: string, httpStatus: number | undefined, retryable: boolean, hint?: string) {
    super('BACKEND', message, { hint });
    this.name = 'KeyVaultRequestError';
    this.kvCode = kvCode;
    this.httpStatus = httpStatus;
    this.retryable = retryable;
  }
}

/** The vault could not be reached, did not answer in time, or answered 5xx: status is `error`, never `missing`. */
export class KeyVaultUnavailableError extends KeyVaultRequestError {
  constructor(message: string, kvCode: string, httpStatus: number | undefined, retryable: boolean) {
    super(
      message,
      kvCode,
      httpStatus,
      retryable,
      'Check options.vault_url, the network and the vault, then try again.',
    );
    this.name = 'KeyVaultUnavailableError';
  }
}

/** Everything a message about one call needs. */
export interface KeyVaultCallContext {
  readonly store: string;
  readonly secret: string;
  /** The Key Vault secret name. */
  readonly name: string;
  /** For people: "read", "write", "delete", "list the versions of", "recover". */
  readonly action: string;
  readonly vaultUrl: string;
  /** Where the credentials came from. */
  readonly credentialSource: string;
  /** A hint for a failure the SDK raised itself before any answer (e.g. its challenge resource check). */
  readonly sdkHint?: string | undefined;
}

export interface KeyVaultCallPolicy {
  /** Per attempt. */
  readonly timeoutMs: number;
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly signal?: AbortSignal | undefined;
  readonly sleep?: Sleep | undefined;
  readonly random?: (() => number) | undefined;
}

const CREDENTIAL_ERRORS = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
  'AuthenticationRequiredError',
]);
/** 408/429 and the 5xx a second try may cure (501 will not). */
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/** A connection dropped mid-call; a refused connection or an unknown host fails at once. */
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

function field(e: unknown, key: string): unknown {
  return typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[key] : undefined;
}

/** The backend's words, bounded, with the value being written (if any) blanked out. */
function bounded(text: string, value: string | undefined): string {
  let t = text;
  if (value !== undefined && value.length >= 4 && t.includes(value)) t = t.replaceAll(value, '[value]');
  return t.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function retryAfterMs(e: unknown): number | undefined {
  const headers = field(field(e, 'response'), 'headers');
  const get = field(headers, 'get');
  if (typeof get !== 'function') return undefined;
  const raw: unknown = (get as (name: string) => unknown).call(headers, 'retry-after');
  const n = typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isFinite(n) && n >= 0 ? n * 1000 : undefined;
}

/** Any thrown thing from the SDK or @azure/identity, reduced. */
export function reduceFailure(e: unknown, value?: string): KeyVaultFailureDetail {
  if (e instanceof KeyVaultFailure) return e.detail;
  const name = typeof field(e, 'name') === 'string' ? (field(e, 'name') as string) : 'Error';
  const message = typeof field(e, 'message') === 'string' ? (field(e, 'message') as string) : String(e);
  const words = bounded(message, value);
  if (name === 'RestError') {
    const status = field(e, 'statusCode');
    const code = field(e, 'code');
    if (typeof status === 'number') {
      return {
        kind: 'status',
        status,
        code: typeof code === 'string' ? code : undefined,
        words,
        retryAfterMs: retryAfterMs(e),
      };
    }
    return { kind: 'network', code: typeof code === 'string' ? code : 'REQUEST_SEND_ERROR', words };
  }
  if (CREDENTIAL_ERRORS.has(name)) return { kind: 'credential', name, words };
  const code = field(e, 'code');
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return { kind: 'network', code, words };
  return { kind: 'other', name, words };
}

/** The failure's own words (or its kind, when it has none), for a message. */
export function failureWords(d: KeyVaultFailureDetail): string {
  switch (d.kind) {
    case 'status':
    case 'network':
      return d.words;
    case 'credential':
    case 'other':
      return `${d.name}: ${d.words}`;
    case 'timeout':
    case 'cancelled':
      return d.kind;
    default: {
      const never: never = d;
      return never;
    }
  }
}

export function isTransient(d: KeyVaultFailureDetail): boolean {
  switch (d.kind) {
    case 'status':
      return TRANSIENT_STATUS.has(d.status);
    case 'network':
      return TRANSIENT_NETWORK.has(d.code);
    case 'credential':
    case 'timeout':
    case 'cancelled':
    case 'other':
      return false;
    default: {
      const never: never = d;
      return never;
    }
  }
}

/** Key Vault's "no such secret" answer (a 404 with another code is a wrong URL, not an absent secret). */
export function isSecretNotFound(d: KeyVaultFailureDetail): boolean {
  return d.kind === 'status' && d.status === 404 && d.code === 'SecretNotFound';
}

function subject(ctx: KeyVaultCallContext): string {
  return `the ${ctx.action} of secret "${ctx.secret}" (${ctx.name})`;
}

/** The store error for a failure the caller did not take as an answer. */
export function toStoreError(
  d: KeyVaultFailureDetail,
  ctx: KeyVaultCallContext,
  attempts: number,
  timeoutMs: number,
): AppError {
  const label = `store "${ctx.store}" (azure/keyvault)`;
  const retried = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  switch (d.kind) {
    case 'timeout':
      return new KeyVaultUnavailableError(
        `${label} is unavailable: Key Vault at ${ctx.vaultUrl} did not answer ${subject(ctx)} within ${timeoutMs} ms`,
        'Timeout',
        undefined,
        false,
      );
    case 'cancelled':
      return new AppError('CANCELLED', `${subject(ctx)} in ${label} was cancelled`);
    case 'network':
      return new KeyVaultUnavailableError(
        `${label} is unavailable: cannot reach Key Vault at ${ctx.vaultUrl} for ${subject(ctx)}: ${d.code}${d.words ? ` ${d.words}` : ''}${retried}`,
        d.code,
        undefined,
        TRANSIENT_NETWORK.has(d.code),
      );
    case 'credential':
      return new StoreAuthError(
        ctx.store,
        `no Azure token for ${subject(ctx)} from ${ctx.credentialSource}: ${d.name}: ${d.words}`,
        {
          hint:
            'Sign in (az login), or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or options ' +
            'tenant_id/client_id/client_secret) for a service principal.',
        },
      );
    case 'other':
      return new KeyVaultRequestError(
        `${label} failed ${subject(ctx)}: ${d.name}: ${d.words}`,
        d.name,
        undefined,
        false,
        ctx.sdkHint,
      );
    case 'status':
      break;
    default: {
      const never: never = d;
      return never;
    }
  }
  const said = `Key Vault at ${ctx.vaultUrl} answered ${d.status}${d.code ? ` ${d.code}` : ''} to ${subject(ctx)}${d.words ? `: ${d.words}` : ''}`;
  if (d.status === 401) {
    return new StoreAuthError(ctx.store, said, {
      hint: `The token from ${ctx.credentialSource} was refused: check it is for this vault's tenant and unexpired.`,
    });
  }
  if (d.status === 403) {
    return new StoreAuthError(ctx.store, said, {
      hint:
        'Grant the identity "Key Vault Secrets User" (read) or "Key Vault Secrets Officer" (write, delete, recover) ' +
        'on the vault, or an access policy with get, list, set, delete and recover on secrets.',
    });
  }
  if (d.status === 429) {
    const e = new StoreThrottledError(ctx.store, d.retryAfterMs !== undefined ? { retryAfterMs: d.retryAfterMs } : {});
    // StoreThrottledError's message names only the store; a person also needs the secret and Key Vault's words.
    e.message = `${e.message}: ${said}${retried}`;
    return e;
  }
  if (d.status >= 500) {
    return new KeyVaultUnavailableError(
      `${label} is unavailable: ${said}${retried}`,
      d.code ?? String(d.status),
      d.status,
      true,
    );
  }
  if (d.status === 404) {
    return new KeyVaultRequestError(
      `${label} cannot use ${said}`,
      d.code ?? 'NotFound',
      d.status,
      false,
      'Check options.vault_url: it must be the vault itself, e.g. https://my-vault.vault.azure.net/.',
    );
  }
  return new KeyVaultRequestError(`${label} failed: ${said}`, d.code ?? String(d.status), d.status, false);
}

/** Whether a store error is worth another attempt. */
function retryableError(e: AppError): boolean {
  if (e.code === 'THROTTLED') return true;
  return e instanceof KeyVaultRequestError && e.retryable;
}

export interface CallOptions {
  /** The value being written, blanked out of any message. */
  readonly value?: string;
  /** Answers the caller handles itself: thrown as KeyVaultFailure instead of mapped. */
  readonly answers?: (d: KeyVaultFailureDetail) => boolean;
}

/** An AUTH error of the app's identity resolver, named for the secret and store too (as the SDK's are). */
function authNamingSecret(e: AppError, ctx: KeyVaultCallContext): AppError {
  if (e.code !== 'AUTH' || e instanceof StoreAuthError) return e;
  return new StoreAuthError(
    ctx.store,
    `no Azure token for ${subject(ctx)} from ${ctx.credentialSource}: ${e.message}`,
    {
      ...(e.hint !== undefined ? { hint: e.hint } : {}),
    },
  );
}

/** Runs `send` (which must pass the signal to the SDK as `abortSignal`) under the policy. */
export async function keyVaultCall<T>(
  ctx: KeyVaultCallContext,
  policy: KeyVaultCallPolicy,
  send: (abortSignal: AbortSignal) => Promise<T>,
  options: CallOptions = {},
): Promise<T> {
  const sleep = policy.sleep ?? realSleep;
  const maxAttempts = Math.max(1, policy.maxAttempts);
  // The store's own cancellation joined with the running operation's (operation-signal.ts).
  const outer = callSignal(policy.signal);
  for (let attempt = 1; ; attempt++) {
    if (outer?.aborted) throw toStoreError({ kind: 'cancelled' }, ctx, attempt, policy.timeoutMs);
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    let detail: KeyVaultFailureDetail;
    try {
      return await send(signal);
    } catch (e) {
      if (e instanceof AppError) throw authNamingSecret(e, ctx);
      detail = outer?.aborted
        ? { kind: 'cancelled' }
        : timeout.aborted
          ? { kind: 'timeout' }
          : reduceFailure(e, options.value);
    }
    if (options.answers?.(detail)) throw new KeyVaultFailure(detail);
    const error = toStoreError(detail, ctx, attempt, policy.timeoutMs);
    if (!retryableError(error) || attempt >= maxAttempts) throw error;
    await backoffWait(sleep, backoffDelay(attempt, error, { random: policy.random }), outer);
  }
}
