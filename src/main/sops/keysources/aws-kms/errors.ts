// Maps AWS SDK errors from KMS calls to AppErrors that name the key ARN and say what to do. CRYPTO: this key
// cannot (the key, its state, its policy or the ciphertext); AUTH: our credentials; THROTTLED / BACKEND otherwise.
import { AppError, isAppError } from '../../../../shared/errors';
import { describeAwsError } from './credentials';

export type KmsOperation = 'wrap' | 'unwrap';

interface SdkErrorShape {
  readonly name: string;
  readonly message: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
  readonly code?: string;
}

function shape(e: unknown): SdkErrorShape {
  if (e instanceof Error) return e as Error & SdkErrorShape;
  return { name: 'UnknownError', message: '' };
}

const AUTH_ERRORS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'MissingAuthenticationToken',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'TokenRefreshRequired',
]);

const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'Throttling',
  'LimitExceededException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
]);

export function mapAwsKmsError(e: unknown, arn: string, op: KmsOperation): AppError {
  if (isAppError(e)) return e;
  const err = shape(e);
  const action = op === 'wrap' ? 'encrypt the data key with' : 'decrypt the data key with';
  const perm = op === 'wrap' ? 'kms:Encrypt' : 'kms:Decrypt';
  const what = `Could not ${action} AWS KMS key ${arn}`;
  const detail = describeAwsError(e);
  const status = err.$metadata?.httpStatusCode;
  switch (err.name) {
    case 'InvalidCiphertextException':
    case 'IncorrectKeyException':
      return new AppError(
        'CRYPTO',
        `${what}: the ciphertext was not made by this key with this encryption context (${err.name}).`,
        {
          hint: "Check that the kms entry's arn and context are the ones the file was encrypted with; the context must match exactly.",
          cause: e,
        },
      );
    case 'NotFoundException':
      return new AppError('CRYPTO', `${what}: the key does not exist (${detail}).`, {
        hint: 'Check the ARN, its region and account; your credentials may belong to another account.',
        cause: e,
      });
    case 'AccessDeniedException':
      return new AppError('CRYPTO', `${what}: access denied (${detail}).`, {
        hint: `Grant ${perm} on this key to your identity, or set the aws_profile or role of this kms entry.`,
        cause: e,
      });
    case 'DisabledException':
    case 'KMSInvalidStateException':
    case 'KeyUnavailableException':
      return new AppError('CRYPTO', `${what}: the key is not usable (${detail}).`, {
        hint: 'Enable the key (aws kms enable-key) or cancel its scheduled deletion.',
        cause: e,
      });
    default:
      break;
  }
  if (AUTH_ERRORS.has(err.name) || /Could not load credentials/i.test(err.message)) {
    return new AppError('AUTH', `AWS refused or could not find credentials to use KMS key ${arn} (${detail}).`, {
      hint: 'Sign in (aws sso login, or set AWS_PROFILE / credentials), or set aws_profile on this kms entry.',
      cause: e,
    });
  }
  const attempts = err.$metadata?.attempts;
  const tries = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
  if (THROTTLING_ERRORS.has(err.name)) {
    return new AppError('THROTTLED', `AWS KMS throttled the request for key ${arn}${tries}.`, {
      hint: 'Try again in a moment, or ask for a higher KMS request quota.',
      cause: e,
    });
  }
  if (NETWORK_CODES.has(err.code ?? '') || NETWORK_CODES.has(err.name)) {
    return new AppError('BACKEND', `Could not reach AWS KMS for key ${arn} (${err.code ?? err.name}).`, {
      hint: 'Check the network, proxy settings, or AWS_ENDPOINT_URL_KMS.',
      cause: e,
    });
  }
  const where = status ? ` (HTTP ${status}${tries})` : tries;
  return new AppError('BACKEND', `AWS KMS failed for key ${arn}${where}: ${detail}.`, { cause: e });
}
