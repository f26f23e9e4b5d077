// Secret Manager failures (gRPC status codes, as gax hands them over) turned into the store errors callers
// branch on, by code, never by message: NOT_FOUND (5) -> SecretNotFoundError where the operation reads a
// secret; PERMISSION_DENIED (7) / UNAUTHENTICATED (16) -> StoreAuthError; RESOURCE_EXHAUSTED (8) -> throttled;
// UNAVAILABLE (14), INTERNAL (13), DEADLINE_EXCEEDED (4) -> unavailable (BACKEND); the rest BACKEND with the
// service's status name and words. A value never reaches a message: the request's value is blanked out.
import { AppError } from '../../../shared/errors';
import { SecretNotFoundError, StoreAuthError, StoreThrottledError } from '../store-errors';

/** What a failed call was about: the declared secret, the store, the secret id, the RPC. */
export interface GcpCallSubject {
  readonly secret: string;
  readonly store: string;
  /** The Secret Manager secret id (never a value). */
  readonly secretId: string;
  /** e.g. "AccessSecretVersion". */
  readonly operation: string;
}

/** gRPC status codes (google.rpc.Code), named for the messages. */
export const GRPC = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

const STATUS_NAME = new Map<number, string>(Object.entries(GRPC).map(([name, code]) => [code, name]));

/** A Secret Manager failure that is not one of the typed store errors; `grpcCode` is the status code. */
export class GcpRequestError extends AppError {
  readonly grpcCode: number | undefined;
  /** Worth another attempt (UNAVAILABLE, INTERNAL); INVALID_ARGUMENT and friends are not. */
  readonly retryable: boolean;

  constructor(message: string, grpcCode: number | undefined, retryable: boolean, hint?: string) {
    super('BACKEND', message, { hint });
    this.name = 'GcpRequestError';
    this.grpcCode = grpcCode;
    this.retryable = retryable;
  }
}

/** Secret Manager could not be reached, answered 5xx-like, or not in time: status is `error`, never `missing`. */
export class GcpUnavailableError extends GcpRequestError {
  constructor(subject: GcpCallSubject, detail: string, grpcCode: number | undefined, retryable: boolean) {
    super(
      `store "${subject.store}" is unavailable for secret "${subject.secret}" (${subject.secretId}): ${subject.operation} failed: ${detail}`,
      grpcCode,
      retryable,
      "Check the store's endpoint in atmos.yaml and your network, then try again.",
    );
    this.name = 'GcpUnavailableError';
  }
}

/** RESOURCE_EXHAUSTED, with the secret named too (the base message names only the store). */
export class GcpThrottledError extends StoreThrottledError {
  constructor(subject: GcpCallSubject, detail: string) {
    super(subject.store, { cause: detail });
    this.message = `store "${subject.store}" is throttling requests for secret "${subject.secret}" (${subject.secretId}): ${subject.operation}: ${detail}; try again shortly`;
  }
}

/**
 * The latest version exists but is DISABLED or DESTROYED (FAILED_PRECONDITION): there is no value to read, so
 * it is not-found to callers (status `missing`), with the state in the message and how to fix it.
 */
export class GcpVersionNotEnabledError extends SecretNotFoundError {
  constructor(subject: GcpCallSubject, detail: string) {
    super({ secret: subject.secret, store: subject.store }, subject.secretId, { cause: detail });
    // SecretNotFoundError takes no hint, so the fix is in the message.
    this.message = `secret "${subject.secret}" has no readable value in store "${subject.store}" (${subject.secretId}): its latest version is not enabled (${detail}); set a new value, or enable that version in Secret Manager`;
  }
}

interface GaxErrorShape {
  readonly code: number | undefined;
  readonly details: string;
  /** Node's own code for errors that never reached gRPC (rare: gax reports transport failures as UNAVAILABLE). */
  readonly sysCode: string | undefined;
}

function field(e: object, key: string): unknown {
  return (e as Record<string, unknown>)[key];
}

function shapeOf(e: unknown): GaxErrorShape {
  if (!(e instanceof Error)) return { code: undefined, details: String(e), sysCode: undefined };
  const code = field(e, 'code');
  const details = field(e, 'details');
  return {
    code: typeof code === 'number' ? code : undefined,
    details: typeof details === 'string' && details !== '' ? details : e.message,
    sysCode: typeof code === 'string' ? code : undefined,
  };
}

/** The service's words, bounded, with the value (if any) blanked out, after the status name. */
function words(shape: GaxErrorShape, value: string | undefined): string {
  let text = shape.details;
  if (value !== undefined && value.length >= 4 && text.includes(value)) text = text.replaceAll(value, '[value]');
  text = text.slice(0, 300);
  const status = shape.code !== undefined ? (STATUS_NAME.get(shape.code) ?? `status ${shape.code}`) : shape.sysCode;
  return status ? `${status}: ${text}` : text;
}

export interface GcpMapOptions {
  /** NOT_FOUND means "no value here" for this operation (reads, delete); elsewhere it is a plain failure. */
  readonly notFound?: boolean;
  /** FAILED_PRECONDITION means "the latest version is not enabled" (AccessSecretVersion). */
  readonly versionState?: boolean;
  /** The value being written, scrubbed from any message. */
  readonly value?: string;
}

/** The store error for a gax failure. */
export function mapGcpError(e: unknown, subject: GcpCallSubject, options: GcpMapOptions = {}): AppError {
  if (e instanceof AppError) return e;
  const shape = shapeOf(e);
  const detail = words(shape, options.value);
  const about = `secret "${subject.secret}" (${subject.secretId})`;
  switch (shape.code) {
    case GRPC.NOT_FOUND:
      if (options.notFound) {
        return new SecretNotFoundError({ secret: subject.secret, store: subject.store }, subject.secretId, {
          cause: detail,
        });
      }
      break;
    case GRPC.FAILED_PRECONDITION:
      if (options.versionState) return new GcpVersionNotEnabledError(subject, detail);
      break;
    case GRPC.PERMISSION_DENIED:
      return new StoreAuthError(subject.store, `${subject.operation} on ${about}: ${detail}`, {
        hint: 'Grant your identity a Secret Manager role on the project or secret (roles/secretmanager.secretAccessor to read, roles/secretmanager.admin to create, add versions and delete), and check options.project_id.',
      });
    case GRPC.UNAUTHENTICATED:
      return new StoreAuthError(subject.store, `${subject.operation} on ${about}: ${detail}`, {
        hint: "Refresh your Google credentials (gcloud auth application-default login), or check the store's identity and its key file.",
      });
    case GRPC.RESOURCE_EXHAUSTED:
      return new GcpThrottledError(subject, detail);
    case GRPC.UNAVAILABLE:
    case GRPC.INTERNAL:
      return new GcpUnavailableError(subject, detail, shape.code, true);
    case GRPC.DEADLINE_EXCEEDED:
      // A write may have landed; the caller decides whether to try again.
      return new GcpUnavailableError(subject, detail, shape.code, false);
    default:
      break;
  }
  return new GcpRequestError(
    `store "${subject.store}" could not ${subject.operation} ${about}: ${detail}`,
    shape.code,
    false,
  );
}

/** Whether a mapped error is worth another attempt: throttling, UNAVAILABLE, INTERNAL. */
export function isRetryable(e: AppError): boolean {
  if (e.code === 'THROTTLED') return true;
  return e instanceof GcpRequestError && e.retryable;
}
