// Runs the local `gpg` binary for the PGP key source: the input goes through stdin (a data key never lands in
// argv or a temp file), stdout comes back as bytes, and gpg's machine-readable status lines come back parsed.
import { spawn } from 'node:child_process';
import { AppError } from '../../../../shared/errors';

export interface GpgResult {
  /** null when gpg was killed (timeout). */
  readonly exitCode: number | null;
  readonly stdout: Buffer;
  /** Human-readable `gpg:` lines (never contains the plaintext: that only goes to stdout). */
  readonly messages: readonly string[];
  /** `[GNUPG:] KEYWORD args` status lines, without the prefix. */
  readonly status: readonly GpgStatus[];
}

export interface GpgStatus {
  readonly keyword: string;
  readonly args: readonly string[];
}

/** What the key source needs from gpg; tests may inject a fake. */
export type GpgRunner = (args: readonly string[], input: Uint8Array) => Promise<GpgResult>;

export interface GpgProcessOptions {
  /** The gpg executable; sops honours SOPS_GPG_EXEC, and so do we. */
  readonly binary: string;
  /** The environment gpg runs with (GNUPGHOME already applied). */
  readonly env: NodeJS.ProcessEnv;
  /** Kills gpg after this long; a pinentry prompt for a passphrase counts, so keep it generous. */
  readonly timeoutMs: number;
}

const STATUS_PREFIX = '[GNUPG:] ';

/** Splits gpg's stderr (status-fd 2) into status lines and human messages. */
export function parseGpgStderr(stderr: string): { messages: string[]; status: GpgStatus[] } {
  const messages: string[] = [];
  const status: GpgStatus[] = [];
  for (const line of stderr.split(/\r?\n/)) {
    if (line.startsWith(STATUS_PREFIX)) {
      const [keyword = '', ...args] = line.slice(STATUS_PREFIX.length).trim().split(/\s+/);
      status.push({ keyword, args });
    } else if (line.trim() !== '') {
      messages.push(line.trim());
    }
  }
  return { messages, status };
}

/** A runner that spawns the real gpg. Status lines go to stderr (fd 2) because extra fds do not exist on Windows. */
export function createGpgRunner(options: GpgProcessOptions): GpgRunner {
  return (args, input) =>
    new Promise<GpgResult>((resolve, reject) => {
      const child = spawn(options.binary, ['--no-tty', '--status-fd', '2', ...args], {
        env: options.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let settled = false;
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (e: NodeJS.ErrnoException) =>
        finish(() =>
          reject(
            e.code === 'ENOENT'
              ? new AppError('CRYPTO', `The GnuPG binary "${options.binary}" was not found.`, {
                  hint: 'Install GnuPG (gpg) or point SOPS_GPG_EXEC at it.',
                })
              : new AppError('CRYPTO', `Could not run GnuPG ("${options.binary}"): ${e.code ?? e.message}.`),
          ),
        ),
      );
      child.on('close', (code) =>
        finish(() => {
          const parsed = parseGpgStderr(Buffer.concat(err).toString('utf8'));
          resolve({ exitCode: code, stdout: Buffer.concat(out), ...parsed });
        }),
      );
      // gpg may exit before reading all of stdin (e.g. no such key); that EPIPE is not the error to report.
      child.stdin.on('error', () => undefined);
      child.stdin.end(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
    });
}
