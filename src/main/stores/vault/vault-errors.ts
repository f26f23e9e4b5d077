// Vault's failures -> the store errors every caller understands, decided on the HTTP status, the presence of an
// `errors` array and the network code, never on message text. Vault's own words go into the message (they name
// paths and reasons, never values); a token or a value never does.
import { AppError } from '../../../shared/errors';
import { StoreAuthError, StoreThrottledError } from '../store-errors';
import type { VaultFailure } from './vault-http';
import type { VaultTokenSource } from './vault-token';

/** Everything an error message about one call needs. */
export interface VaultCallContext {
  readonly store: string;
  readonly secret: string;
  /** What we were doing, for people: "read", "write", "delete", "read the versions of". */
  readonly action: string;
  /** `<mount>/<path>`, as `vault kv` shows it. */
  readonly location: string;
  readonly endpoint: string;
  readonly namespace: string | undefined;
  readonly tokenSource: VaultTokenSource;
  /** The policy path the call needs, e.g. `secret/data/app/DB`, and the capability. */
  readonly policyPath: string;
  readonly capability: 'read' | 'create/update' | 'delete' | 'list';
  readonly timeoutMs: number;
  /** Attempts made (retries included), for the final message after retrying. */
  readonly attempts: number;
}

/** 429 (rate-limit quota), 412 (a performance standby not caught up yet), and 5xx but 501. */
const TRANSIENT_STATUS = new Set([412, 429, 500, 502, 503, 504]);
/** A connection dropped mid-call. A refused connection is not retried: Vault is not there, say so at once. */
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'EAI_AGAIN']);

/**
 * Worth another attempt. A timeout is not: the call already waited the whole timeout, and a person waiting on
 * `get` should hear "Vault did not answer" rather than wait three times as long.
 */
export function isTransient(f: VaultFailure): boolean {
  const d = f.detail;
  switch (d.kind) {
    case 'status':
      return TRANSIENT_STATUS.has(d.status);
    case 'network':
      return TRANSIENT_NETWORK.has(d.code);
    case 'timeout':
      return false;
    default: {
      const never: never = d;
      return never;
    }
  }
}

/** A 404 meaning "nothing at this path": Vault's `{"errors":[]}`, or a deleted version's body with `data`. */
export function isVaultNotFound(f: VaultFailure): boolean {
  return f.detail.kind === 'status' && f.detail.status === 404 && f.detail.errors.length === 0;
}

function where(ctx: VaultCallContext): string {
  return `Vault at ${ctx.endpoint}${ctx.namespace ? ` (namespace ${ctx.namespace})` : ''}`;
}

function subject(ctx: Pick<VaultCallContext, 'action' | 'secret' | 'location'>): string {
  return `${ctx.action} of secret "${ctx.secret}" (${ctx.location})`;
}

function words(errors: readonly string[]): string {
  return errors.length > 0 ? `: ${errors.join('; ')}` : '';
}

const NETWORK_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the host name was not found',
  EAI_AGAIN: 'the host name could not be resolved',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
};

/** Node's codes for a server certificate it does not trust. */
const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The store's signal was aborted: the call was stopped (or never started). */
export function cancelledError(ctx: Pick<VaultCallContext, 'store' | 'action' | 'secret' | 'location'>): AppError {
  return new AppError('CANCELLED', `the ${subject(ctx)} in store "${ctx.store}" (hashicorp/vault) was cancelled`);
}

/** The AppError for a failure that is not a plain "not found". */
export function toStoreError(f: VaultFailure, ctx: VaultCallContext): AppError {
  const d = f.detail;
  const storeLabel = `store "${ctx.store}" (hashicorp/vault)`;
  const retried = ctx.attempts > 1 ? ` (after ${ctx.attempts} attempts)` : '';
  switch (d.kind) {
    case 'timeout':
      return new AppError(
        'BACKEND',
        `${storeLabel} is unavailable: ${where(ctx)} did not answer the ${subject(ctx)} within ${ctx.timeoutMs / 1000} s`,
        { hint: 'Check options.url and the network; raise options.timeout_seconds for a slow link.' },
      );
    case 'network':
      if (TLS_TRUST_CODES.has(d.code)) {
        return new AppError(
          'BACKEND',
          `${storeLabel} is unavailable: ${where(ctx)} presented a TLS certificate this machine does not trust (${d.code}), for the ${subject(ctx)}`,
          { hint: "Give the CA that signed Vault's certificate with options.ca_cert (or VAULT_CACERT), a PEM file." },
        );
      }
      return new AppError(
        'BACKEND',
        `${storeLabel} is unavailable: cannot reach ${where(ctx)} for the ${subject(ctx)}: ${NETWORK_WORDS[d.code] ?? d.code}${retried}`,
        { hint: 'Is Vault running at that address? Check options.url (or VAULT_ADDR).' },
      );
    case 'status':
      break;
    default: {
      const never: never = d;
      return never;
    }
  }
  const said = `${where(ctx)} answered ${d.status} to the ${subject(ctx)}${words(d.errors)}`;
  if (d.status === 401 || d.status === 403) {
    return new StoreAuthError(ctx.store, said, {
      hint:
        `The token from ${ctx.tokenSource} was refused: check it is valid and unexpired, and that its policy ` +
        `grants "${ctx.capability}" on ${ctx.policyPath}${ctx.namespace ? ` in namespace ${ctx.namespace}` : ''}.`,
    });
  }
  if (d.status === 429) {
    const e = new StoreThrottledError(ctx.store);
    // StoreThrottledError's message names only the store; a person also needs the secret and Vault's words.
    e.message = `${e.message}: ${said}${retried}`;
    return e;
  }
  if (d.status === 404) {
    // A 404 with errors is not "no secret here": no engine answers at that path (wrong mount or namespace).
    return new AppError('CONFIG', `${storeLabel} cannot use ${said}`, {
      hint: `Check options.mount (a KV version 2 engine must be enabled there) and options.namespace.`,
    });
  }
  if (d.status >= 500) {
    return new AppError('BACKEND', `${storeLabel} is unavailable: ${said}${retried}`, {
      hint: 'Try again shortly; if it persists, check the Vault server (`vault status`).',
    });
  }
  return new AppError('BACKEND', `${storeLabel} failed: ${said}`);
}
