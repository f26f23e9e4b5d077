// The errors every SecretStore throws, so callers can tell "nothing there" from "not allowed" from "slow down"
// without parsing messages. Messages name the secret, the store and the backend name; never a value.
import { AppError, type SourceLocation } from '../../shared/errors';

/** What an error is about: the declared secret and the configured store. */
export interface SecretErrorSubject {
  readonly secret: string;
  readonly store: string;
}

/** The sentinel for "the backend holds no value at that coordinate". */
export class SecretNotFoundError extends AppError {
  readonly secret: string;
  readonly store: string;
  readonly backendName: string | undefined;

  constructor(subject: SecretErrorSubject, backendName?: string, options: { cause?: unknown } = {}) {
    super(
      'SECRET_NOT_FOUND',
      `secret "${subject.secret}" is not set in store "${subject.store}"${backendName ? ` (${backendName})` : ''}`,
      options,
    );
    this.name = 'SecretNotFoundError';
    this.secret = subject.secret;
    this.store = subject.store;
    this.backendName = backendName;
  }
}

/** The backend refused the credentials (expired token, missing permission). */
export class StoreAuthError extends AppError {
  readonly store: string;

  constructor(store: string, detail: string, options: { hint?: string; cause?: unknown } = {}) {
    super('AUTH', `store "${store}" refused the credentials: ${detail}`, options);
    this.name = 'StoreAuthError';
    this.store = store;
  }
}

/** The backend asked us to slow down; retryThrottled() retries these with backoff. */
export class StoreThrottledError extends AppError {
  readonly store: string;
  /** The backend's own hint (Retry-After), when it gave one. */
  readonly retryAfterMs: number | undefined;

  constructor(store: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super('THROTTLED', `store "${store}" is throttling requests; try again shortly`, { cause: options.cause });
    this.name = 'StoreThrottledError';
    this.store = store;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * A secret's scope path that the backend cannot hold (bad character, too long, too deep). Raised by the
 * path mapper before any backend call, as a CONFIG error: the person fixes the name, prefix or store.
 */
export class UnmappablePathError extends AppError {
  readonly secret: string;
  readonly store: string;
  readonly rule: string;

  constructor(subject: SecretErrorSubject, kind: string, rule: string, location?: SourceLocation) {
    super('CONFIG', `secret "${subject.secret}" cannot be stored in store "${subject.store}" (${kind}): ${rule}`, {
      location,
    });
    this.name = 'UnmappablePathError';
    this.secret = subject.secret;
    this.store = subject.store;
    this.rule = rule;
  }
}

/** A value larger than the backend holds; refused before the call. The message has the limit, not the value. */
export class ValueTooLargeError extends AppError {
  readonly secret: string;
  readonly store: string;
  readonly limitBytes: number;

  constructor(subject: SecretErrorSubject, limitBytes: number, where: string) {
    super(
      'BAD_REQUEST',
      `the value for secret "${subject.secret}" is too large for store "${subject.store}": ${where} holds at most ${limitBytes} bytes`,
    );
    this.name = 'ValueTooLargeError';
    this.secret = subject.secret;
    this.store = subject.store;
    this.limitBytes = limitBytes;
  }
}

export function isSecretNotFound(e: unknown): e is SecretNotFoundError {
  return e instanceof AppError && e.code === 'SECRET_NOT_FOUND';
}

export function isThrottled(e: unknown): e is AppError {
  return e instanceof AppError && e.code === 'THROTTLED';
}
