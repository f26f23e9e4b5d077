// The one atomic file writer: every file this app writes (SOPS files, .sops.yaml, age key files, pull
// outputs, settings) goes through here. A temp file beside the target (mode 0600, or the existing file's),
// written, fsynced, then renamed over the target; a NEW file is published with link(), so two creators can
// never both win. All under the file's lock, with an optional re-check that the file is what the caller read.
// A failure or a kill at any point leaves the old file whole; temp files of killed writes are swept.
import { constants } from 'node:fs';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crashPoint } from './crash-points';
import { fileChanged, fileExists, ioError, isFileError } from './errors';
import { lockPathFor, withFileLock, type FileLockOptions } from './file-lock';
import { sweepStaleTemps, tempPathFor } from './temp-files';
import { resolveWriteTarget } from './write-target';

export const PRIVATE_FILE_MODE = 0o600;

export interface AtomicWriteOptions extends FileLockOptions {
  /** Mode for a new file; an existing file keeps its own. Default 0o600. */
  readonly mode?: number;
  /** Use `mode` even when the file exists (private key files and pull outputs are always 0600). */
  readonly forceMode?: boolean;
  /** Refuse (FileError 'changed') unless the file still holds exactly these bytes. */
  readonly expectedContent?: Uint8Array;
  /** Refuse (FileError 'changed') unless the file's mtime is still this (as read by the caller). */
  readonly expectedMtimeMs?: number;
  /** Publish a new file only: FileError 'exists' when there is one (or another writer made one first). */
  readonly createOnly?: boolean;
}

async function currentMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function checkUnchanged(target: string, o: AtomicWriteOptions): Promise<void> {
  if (o.expectedContent !== undefined) {
    const now = await readFile(target).catch(() => undefined);
    if (!now || !Buffer.from(o.expectedContent).equals(now)) throw fileChanged(target);
  }
  if (o.expectedMtimeMs !== undefined) {
    const now = await stat(target).catch(() => undefined);
    if (!now || now.mtimeMs !== o.expectedMtimeMs) throw fileChanged(target);
  }
}

/**
 * Writes the temp file completely and makes it durable. It is 0600 while it is being written (a kill leaves no
 * wider file behind); the final mode (exact, whatever the umask) is set last, just before it is published.
 */
async function writeTemp(tmp: string, data: Uint8Array | string, mode: number): Promise<void> {
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, PRIVATE_FILE_MODE);
  try {
    crashPoint('write:temp-open');
    await fh.writeFile(data);
    crashPoint('write:temp-written');
    await fh.sync();
    crashPoint('write:temp-synced');
    await fh.chmod(mode);
  } finally {
    await fh.close();
  }
}

/** Publishes the temp file as a new target without ever replacing one. */
async function publishNew(tmp: string, target: string): Promise<void> {
  try {
    await link(tmp, target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw fileExists(target);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw e;
    // No hard links on this file system: under the lock, a check then rename is the best left.
    if ((await currentMode(target)) !== undefined) throw fileExists(target);
    await rename(tmp, target);
    return;
  }
  crashPoint('write:linked');
  await unlink(tmp);
}

/** Atomically replaces (or creates) `path` with `data`. Follows symlinks to their target. */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  o: AtomicWriteOptions = {},
): Promise<void> {
  const target = await resolveWriteTarget(path);
  await withFileLock(target, () => writeLocked(target, data, o), o);
}

/** The write itself; the caller holds the target's lock. */
async function writeLocked(target: string, data: Uint8Array | string, o: AtomicWriteOptions): Promise<void> {
  await sweepStaleTemps([target, lockPathFor(target)]);
  const tmp = tempPathFor(target);
  let tmpExists = false;
  try {
    const existing = o.forceMode ? undefined : await currentMode(target);
    const mode = existing ?? o.mode ?? PRIVATE_FILE_MODE;
    tmpExists = true;
    await writeTemp(tmp, data, mode);
    if (o.createOnly) {
      await publishNew(tmp, target);
    } else {
      await checkUnchanged(target, o);
      crashPoint('write:before-rename');
      await rename(tmp, target);
    }
    tmpExists = false;
    crashPoint('write:published');
    await syncDir(dirname(target));
  } catch (e) {
    if (tmpExists) await unlink(tmp).catch(() => undefined);
    if (isFileError(e)) throw e;
    throw ioError(target, 'write', e);
  }
}

/**
 * Read-modify-write under the file's lock: `update` gets the current bytes (undefined when there is no file)
 * and returns the new content, or undefined to leave the file alone. Nobody using this module can write in
 * between, so no update is lost; the re-check still catches writers that do not take the lock.
 */
export async function updateFileAtomic(
  path: string,
  update: (current: Buffer | undefined) => Promise<Uint8Array | string | undefined> | Uint8Array | string | undefined,
  o: Omit<AtomicWriteOptions, 'expectedContent' | 'expectedMtimeMs' | 'createOnly'> = {},
): Promise<void> {
  const target = await resolveWriteTarget(path);
  await withFileLock(
    target,
    async () => {
      let current: Buffer | undefined;
      try {
        current = await readFile(target);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(target, 'read', e);
      }
      const next = await update(current);
      if (next === undefined) return;
      await writeLocked(
        target,
        next,
        current === undefined ? { ...o, createOnly: true } : { ...o, expectedContent: current },
      );
    },
    o,
  );
}

/** A private file (pull's output): mode 0600 from the first byte, replaced atomically. */
export function writePrivateFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  return writeFileAtomic(file, content, { mode: PRIVATE_FILE_MODE, forceMode: true });
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
