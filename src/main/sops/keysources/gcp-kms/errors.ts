// Maps Cloud KMS client errors (gRPC status codes, or HTTP statuses from the REST fallback, which gax 5 does not
// translate: backends-wire.md §5) to AppErrors that name the key's resource id and say what to do.
import { AppError, isAppError } from '../../../../shared/errors';

export type GcpKmsOperation = 'wrap' | 'unwrap';

interface GaxErrorShape {
  readonly code?: unknown;
  readonly details?: unknown;
  readonly message: string;
  readonly name: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** gRPC status code, with the REST fallback's HTTP statuses folded onto them. */
function grpcCode(code: unknown): number | string | undefined {
  const byHttp: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 409: 10, 429: 8, 500: 13, 503: 14, 504: 4 };
  if (typeof code === 'number') return byHttp[code] ?? code;
  return typeof code === 'string' ? code : undefined;
}

export function mapGcpKmsError(e: unknown, resourceId: string, op: GcpKmsOperation): AppError {
  if (isAppError(e)) return e;
  const err: GaxErrorShape = e instanceof Error ? (e as Error & GaxErrorShape) : { name: 'UnknownError', message: '' };
  const detail = (typeof err.details === 'string' && err.details !== '' ? err.details : err.message).slice(0, 300);
  const what = `Could not ${op === 'wrap' ? 'encrypt' : 'decrypt'} the data key with GCP KMS key ${resourceId}`;
  const permission =
    op === 'wrap' ? 'cloudkms.cryptoKeyVersions.useToEncrypt' : 'cloudkms.cryptoKeyVersions.useToDecrypt';
  if (/Could not load the default credentials|invalid_grant|Could not refresh access token/i.test(err.message)) {
    return new AppError('AUTH', `No usable Google credentials for GCP KMS key ${resourceId}: ${detail}.`, {
      hint: 'Run gcloud auth application-default login, or set GOOGLE_APPLICATION_CREDENTIALS / GOOGLE_CREDENTIALS.',
      cause: e,
    });
  }
  const code = grpcCode(err.code);
  switch (code) {
    case 5:
      return new AppError('CRYPTO', `${what}: the key does not exist (${detail}).`, {
        hint: 'Check the resource_id (projects/P/locations/L/keyRings/R/cryptoKeys/K) and the project.',
        cause: e,
      });
    case 7:
      return new AppError('CRYPTO', `${what}: permission denied (${detail}).`, {
        hint: `Grant ${permission} (e.g. roles/cloudkms.cryptoKeyEncrypterDecrypter) on this key to your identity.`,
        cause: e,
      });
    case 3:
      return new AppError('CRYPTO', `${what}: the key refused the ciphertext or request (${detail}).`, {
        hint: 'The file was probably encrypted with a different key; check the resource_id of this gcp_kms entry.',
        cause: e,
      });
    case 9:
      return new AppError('CRYPTO', `${what}: the key version is not usable (${detail}).`, {
        hint: 'Enable (or restore) the key version in Cloud KMS.',
        cause: e,
      });
    case 16:
      return new AppError('AUTH', `Google rejected the credentials for GCP KMS key ${resourceId} (${detail}).`, {
        hint: 'Refresh your login: gcloud auth application-default login.',
        cause: e,
      });
    case 8:
      return new AppError('THROTTLED', `GCP KMS throttled the request for key ${resourceId} (${detail}).`, {
        hint: 'Try again in a moment, or ask for a higher Cloud KMS quota.',
        cause: e,
      });
    default:
      break;
  }
  const sysCode = (e as { code?: unknown } | undefined)?.code;
  if (typeof sysCode === 'string' && NETWORK_CODES.has(sysCode)) {
    return new AppError('BACKEND', `Could not reach GCP KMS for key ${resourceId} (${sysCode}).`, { cause: e });
  }
  return new AppError('BACKEND', `GCP KMS failed for key ${resourceId}: ${detail}.`, { cause: e });
}
