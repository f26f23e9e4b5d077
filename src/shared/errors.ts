// Error codes and the one error class every layer throws. Shared by main, preload and renderer, so no Node here.
// A message is for people: it names the file, line and fix where known, and never carries a secret value.

export const ERROR_CODES = [
  'BAD_REQUEST', // an IPC request or CLI argument of the wrong shape
  'UNKNOWN_CHANNEL',
  'UNTRUSTED_SENDER',
  'USAGE', // bad CLI usage or a confirmation that could not be asked
  'CONFIG', // atmos.yaml, stack manifests, declarations: anything the person must fix in config
  'YAML', // a file that does not parse
  'NOT_FOUND', // a file, stack, component or workspace that does not exist
  'SECRET_NOT_FOUND', // a backend holds no value at that coordinate
  'KEYCHAIN_UNAVAILABLE',
  'AUTH', // a backend refused the credentials
  'THROTTLED',
  'BACKEND', // any other backend failure
  'SOPS', // a SOPS file that cannot be read, decrypted or verified
  'CRYPTO', // a wrong or missing key
  'VALIDATION_FAILED',
  'CANCELLED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Where in which file an error is, when known. Lines and columns are 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

export interface AppErrorOptions {
  readonly hint?: string;
  readonly location?: SourceLocation;
  readonly cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** "file:line:column: message" plus the hint on its own line: the form people and editors both read. */
export function formatError(e: AppError): string {
  const where = e.location
    ? `${e.location.file}${e.location.line ? `:${e.location.line}` : ''}${e.location.line && e.location.column ? `:${e.location.column}` : ''}: `
    : '';
  return `${where}${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}`;
}

/** The safe, serialisable form of any thrown thing: code and message, never a stack. */
export interface ErrorPayload {
  readonly code: ErrorCode;
  readonly message: string;
  readonly hint?: string;
  readonly location?: SourceLocation;
}

export function toErrorPayload(e: unknown): ErrorPayload {
  if (isAppError(e)) {
    return {
      code: e.code,
      message: e.message,
      ...(e.hint ? { hint: e.hint } : {}),
      ...(e.location ? { location: e.location } : {}),
    };
  }
  // An unexpected error's message may quote anything (even input), so it does not cross the boundary.
  return { code: 'INTERNAL', message: 'An internal error occurred; see the application log for details.' };
}
