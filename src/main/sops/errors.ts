// Typed SOPS errors for the cases callers branch on: they test `reason`, never the message text.
import { AppError, type AppErrorOptions, type ErrorCode } from '../../shared/errors';

export type SopsErrorReason =
  /** No recipients for a new file: no age_recipients, no `.sops.yaml`, or no matching creation rule (CONFIG). */
  | 'no-recipients'
  /** keygen without force found an age key already there (CONFIG). */
  | 'key-exists'
  /** A generated key read back from its sink is not the key that was stored (CRYPTO). */
  | 'key-not-kept';

const CODES: Readonly<Record<SopsErrorReason, ErrorCode>> = {
  'no-recipients': 'CONFIG',
  'key-exists': 'CONFIG',
  'key-not-kept': 'CRYPTO',
};

export class SopsError extends AppError {
  constructor(
    readonly reason: SopsErrorReason,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(CODES[reason], message, options);
    this.name = 'SopsError';
  }
}

export function isSopsError(e: unknown, reason?: SopsErrorReason): e is SopsError {
  return e instanceof SopsError && (reason === undefined || e.reason === reason);
}
