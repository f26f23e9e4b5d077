// Atomic file replacement: write a temp file beside the target, fsync, keep the old mode (0600 for new files),
// rename over. A failure at any step leaves the old file whole and removes the temp file.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../shared/errors';

export interface AtomicWriteOptions {
  /** Mode for a new file; an existing file keeps its own. Default 0o600. */
  readonly mode?: number;
  /** Use `mode` even when the file exists (private key files are always 0600). */
  readonly forceMode?: boolean;
  /** When given, the write is refused if the file no longer holds these bytes (someone else changed it). */
  readonly expectedContent?: Uint8Array;
}

async function currentMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(path);
  const mode = (options.forceMode ? undefined : await currentMode(path)) ?? options.mode ?? 0o600;
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    created = true;
    try {
      await fh.writeFile(data);
      // The umask may have narrowed the mode given to open().
      await fh.chmod(mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (options.expectedContent) {
      const now = await readFile(path).catch(() => undefined);
      if (!now || !Buffer.from(options.expectedContent).equals(now)) {
        throw new AppError(
          'SOPS',
          `${path} was changed by someone else while it was being updated; nothing was written.`,
          {
            location: { file: path },
            hint: 'Run the command again.',
          },
        );
      }
    }
    await rename(tmp, path);
    created = false;
    await syncDir(dir);
  } catch (e) {
    if (created) await unlink(tmp).catch(() => undefined);
    if (e instanceof AppError) throw e;
    throw new AppError('SOPS', `Could not write ${path}: ${(e as Error).message}. The old file was left as it was.`, {
      location: { file: path },
      hint: 'Check that the folder exists and is writable, and that the disk is not full.',
      cause: e,
    });
  }
}

// Makes the rename itself durable; not every platform lets a directory be opened, so it is best effort.
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, constants.O_RDONLY);
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Windows cannot fsync a directory; the rename is still atomic there.
  }
}
