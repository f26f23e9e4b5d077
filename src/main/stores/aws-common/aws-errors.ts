// AWS SDK failures turned into the store errors callers branch on (by code, never by message): not-found,
// refused credentials, throttling, unavailable (5xx, refused connection, timeout), cancelled, and the rest as
// BACKEND with the service's own code and words kept in the message. A value never reaches a message: the
// request's value, when the caller gives it, is scrubbed from the backend's words.
import { AppError } from '../../../shared/errors';
import { SecretNotFoundError, StoreAuthError, StoreThrottledError } from '../store-errors';

/** What a failed call was about, for the message: the declared secret, the store, the backend's name for it. */
export interface AwsCallSubject {
  readonly secret: string;
  readonly store: string;
  /** The parameter or secret name (never a value). */
  readonly nativeName: string;
  /** e.g. "SSM GetParameter". */
  readonly operation: string;
}

/** A backend failure that is not one of the typed store errors; `awsCode` is the service's error code. */
export class AwsRequestError extends AppError {
  readonly awsCode: string;
  readonly httpStatus: number | undefined;
  /** 5xx and refused/reset connections may succeed when tried again; a 4xx will not. */
  readonly retryable: boolean;

  constructor(message: string, awsCode: string, httpStatus: number | undefined, retryable: boolean, hint?: string) {
    super('BACKEND', message, { hint });
    this.name = 'AwsRequestError';
    this.awsCode = awsCode;
    this.httpStatus = httpStatus;
    this.retryable = retryable;
  }
}

/** Throttled, with the secret named too (the base message names only the store). */
export class AwsThrottledError extends StoreThrottledError {
  constructor(subject: AwsCallSubject, detail: string, retryAfterMs: number | undefined) {
    super(subject.store, { ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), cause: detail });
    this.message = `store "${subject.store}" is throttling requests for secret "${subject.secret}" (${subject.nativeName}): ${detail}; try again shortly`;
  }
}

/** The store could not be reached or answered 5xx: status reports `error`, never `missing`. */
export class StoreUnavailableError extends AwsRequestError {
  constructor(
    subject: AwsCallSubject,
    awsCode: string,
    detail: string,
    httpStatus: number | undefined,
    retryable: boolean,
  ) {
    super(
      `store "${subject.store}" is unavailable for secret "${subject.secret}" (${subject.nativeName}): ${subject.operation} failed: ${detail}`,
      awsCode,
      httpStatus,
      retryable,
      "Check the store's region and endpoint in atmos.yaml and your network, then try again.",
    );
    this.name = 'StoreUnavailableError';
  }
}

const AUTH_CODES = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'ExpiredToken',
  'MissingAuthenticationTokenException',
  'IncompleteSignature',
  'AuthFailure',
  'NotAuthorized',
  // The SDK's own: no credentials anywhere in the chain.
  'CredentialsProviderError',
]);

const THROTTLE_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'TooManyUpdates',
  'RequestThrottled',
  'RequestThrottledException',
]);

const UNAVAILABLE_CODES = new Set([
  'InternalServerError',
  'InternalServiceError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

/** Network errors a second try may cure (a reset, a dropped socket); a refused connection or unknown host fails fast. */
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN']);
const NETWORK = new Set([...TRANSIENT_NETWORK, 'ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);

interface SdkErrorShape {
  readonly name: string;
  readonly message: string;
  readonly code: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
}

function field(e: object, key: string): unknown {
  return (e as Record<string, unknown>)[key];
}

function shapeOf(e: unknown): SdkErrorShape {
  if (!(e instanceof Error))
    return { name: 'Error', message: String(e), code: undefined, status: undefined, retryAfterSeconds: undefined };
  const metadata = field(e, '$metadata');
  const status =
    metadata && typeof metadata === 'object' && typeof field(metadata, 'httpStatusCode') === 'number'
      ? (field(metadata, 'httpStatusCode') as number)
      : undefined;
  // Node's network errors carry `code` (ECONNREFUSED), sometimes only on an AggregateError's members.
  let code = typeof field(e, 'code') === 'string' ? (field(e, 'code') as string) : undefined;
  if (code === undefined && e instanceof AggregateError) {
    const inner = e.errors.find((x): x is Error => x instanceof Error && typeof field(x, 'code') === 'string');
    if (inner) code = field(inner, 'code') as string;
  }
  const response = field(e, '$response');
  let retryAfterSeconds: number | undefined;
  if (response && typeof response === 'object') {
    const headers = field(response, 'headers');
    const raw = headers && typeof headers === 'object' ? field(headers, 'retry-after') : undefined;
    const n = typeof raw === 'string' ? Number(raw) : NaN;
    if (Number.isFinite(n) && n >= 0) retryAfterSeconds = n;
  }
  return { name: e.name, message: e.message, code, status, retryAfterSeconds };
}

/** The backend's words, bounded, with the request's value (if any) blanked out. */
function words(shape: SdkErrorShape, value: string | undefined): string {
  let message = shape.message && shape.message !== 'UnknownError' ? shape.message : '';
  if (value !== undefined && value.length >= 4 && message.includes(value))
    message = message.replaceAll(value, '[value]');
  message = message.slice(0, 300);
  return message ? `${shape.name}: ${message}` : shape.name;
}

export interface MapOptions {
  /** Error codes meaning "no such parameter/secret" for this operation. */
  readonly notFound?: readonly string[];
  /** The value being written, scrubbed from any message. */
  readonly value?: string;
}

/** The store error for an SDK failure. */
export function mapAwsError(e: unknown, subject: AwsCallSubject, options: MapOptions = {}): AppError {
  // A credential provider of src/main/auth failed (no keys, refused AssumeRole): name the secret and store too.
  if (e instanceof AppError && e.code === 'AUTH' && !(e instanceof StoreAuthError)) {
    return new StoreAuthError(subject.store, `${subject.operation} on secret "${subject.secret}": ${e.message}`, {
      ...(e.hint !== undefined ? { hint: e.hint } : {}),
      cause: e,
    });
  }
  if (e instanceof AppError) return e;
  const shape = shapeOf(e);
  const detail = words(shape, options.value);
  const about = `secret "${subject.secret}" (${subject.nativeName})`;
  if (options.notFound?.includes(shape.name)) {
    return new SecretNotFoundError({ secret: subject.secret, store: subject.store }, subject.nativeName, {
      cause: detail,
    });
  }
  if (AUTH_CODES.has(shape.name) || shape.status === 401 || shape.status === 403) {
    return new StoreAuthError(subject.store, `${subject.operation} on ${about}: ${detail}`, {
      hint: "Check the credentials (AWS_PROFILE, the environment, or the store's identity in atmos.yaml) and that they allow this action on this name.",
    });
  }
  if (THROTTLE_CODES.has(shape.name) || shape.status === 429) {
    const retryAfterMs = shape.retryAfterSeconds !== undefined ? shape.retryAfterSeconds * 1000 : undefined;
    return new AwsThrottledError(subject, `${subject.operation}: ${detail}`, retryAfterMs);
  }
  if (UNAVAILABLE_CODES.has(shape.name) || (shape.status !== undefined && shape.status >= 500)) {
    return new StoreUnavailableError(subject, shape.name, detail, shape.status, true);
  }
  if (shape.code !== undefined && NETWORK.has(shape.code)) {
    return new StoreUnavailableError(
      subject,
      shape.code,
      `${shape.code} ${detail}`,
      undefined,
      TRANSIENT_NETWORK.has(shape.code),
    );
  }
  return new AwsRequestError(
    `store "${subject.store}" could not ${subject.operation} ${about}: ${detail}`,
    shape.name,
    shape.status,
    false,
  );
}

/** Whether a mapped error is worth another attempt: throttling, 5xx, a reset connection. */
export function isRetryable(e: AppError): boolean {
  if (e.code === 'THROTTLED') return true;
  return e instanceof AwsRequestError && e.retryable;
}

/** The service's error code of a mapped error, when it came from the service. */
export function awsCodeOf(e: unknown): string | undefined {
  return e instanceof AwsRequestError ? e.awsCode : undefined;
}
