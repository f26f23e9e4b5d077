// The typed errors of file writing. Callers branch on `reason` (never on message text); messages name the
// file and never hold file content.
import { AppError, type AppErrorOptions } from '../../shared/errors';

export type FileErrorReason =
  /** The file changed since the caller read it (someone else wrote it); nothing was written. */
  | 'changed'
  /** A create-only write found the file already there; nothing was written. */
  | 'exists'
  /** Another writer held the file's lock for longer than the wait bound. */
  | 'lock-timeout'
  /** The operating system refused a step (folder missing, disk full, permissions). */
  | 'io';

export class FileError extends AppError {
  constructor(
    readonly reason: FileErrorReason,
    readonly file: string,
    message: string,
    options: Omit<AppErrorOptions, 'location'> = {},
  ) {
    // BACKEND: a file is the store of the SOPS provider and of pull outputs; the CLI exits 1 for it.
    super('BACKEND', message, { ...options, location: { file } });
    this.name = 'FileError';
  }
}

export function isFileError(e: unknown, reason?: FileErrorReason): e is FileError {
  return e instanceof FileError && (reason === undefined || e.reason === reason);
}

export function fileChanged(file: string): FileError {
  return new FileError(
    'changed',
    file,
    `${file} was changed by someone else while it was being updated; nothing was written.`,
    {
      hint: 'Run the command again: it reads the new content first.',
    },
  );
}

export function fileExists(file: string): FileError {
  return new FileError('exists', file, `${file} already exists; it was not replaced.`, {
    hint: 'Another writer created it first. Run the command again to update it instead.',
  });
}

export function lockTimeout(file: string, lockFile: string, waitedMs: number): FileError {
  return new FileError(
    'lock-timeout',
    file,
    `${file} is being written by another process; gave up after waiting ${Math.round(waitedMs / 1000)} s.`,
    {
      hint: `If no atmos-secret or Atmos Secrets app is running, delete the lock file ${lockFile} and try again.`,
    },
  );
}

export function ioError(file: string, step: string, cause: unknown): FileError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'error';
  return new FileError('io', file, `Could not write ${file} (${step}: ${code}). The old file was left as it was.`, {
    hint: 'Check that the folder exists and is writable, and that the disk is not full.',
    cause,
  });
}
