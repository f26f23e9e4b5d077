// One writer per file at a time, within the process and across processes (CLI runs, the app, tests).
//
// Hand-written rather than proper-lockfile: that library detects a dead holder only by an mtime it refreshes
// on a timer, so recovery takes at least its 2 s minimum staleness, and a lock needs a live timer. Our locks
// are held for milliseconds by short-lived CLI processes, and a killed holder must not stall the next write:
// the lock file records host and pid, so a holder that is gone is known at once (other hosts: by age).
//
// The lock is `.<name>.atmos-lock` beside the file, published complete with link() (never half-written).
// A stale lock is broken under a second, tiny lock (`.atmos-lock.break`), after re-reading that it is still
// the same stale lock: two waiters can never both break and both take it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { link, open, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { crashPoint } from './crash-points';
import { ioError, lockTimeout } from './errors';
import { HOST_TAG, processAlive } from './process-alive';
import { tempPathFor } from './temp-files';
import { resolveWriteTarget } from './write-target';

/** Default wait for a busy lock before a typed `lock-timeout` error. */
export const LOCK_WAIT_MS = 60_000;
/** A lock older than this is stale whoever holds it (another host's, or a pid reused since). */
export const LOCK_MAX_AGE_MS = 10 * 60 * 1000;
/** A breaker lock is held for two small file operations; older than this, its holder died in between. */
const BREAK_MAX_AGE_MS = 5_000;

interface LockInfo {
  readonly host: string;
  readonly pid: number;
  readonly token: string;
}

export interface FileLockOptions {
  /** How long to wait for another writer before failing with a `lock-timeout` FileError. */
  readonly waitMs?: number;
}

export function lockPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.atmos-lock`);
}

// The locks the current async call chain holds, so a holder may lock the same file again (reentrant).
const held = new AsyncLocalStorage<ReadonlySet<string>>();
// In-process queue per file: waiters in this process line up here instead of polling the lock file.
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` holding the file's lock (in this process and across processes). Reentrant within one call chain.
 * Symlinks are resolved first, so every name of one file shares one lock.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, o: FileLockOptions = {}): Promise<T> {
  const file = await resolveWriteTarget(path);
  const mine = held.getStore();
  if (mine?.has(file)) return fn();
  const previous = queues.get(file) ?? Promise.resolve();
  let release!: () => void;
  const turn = new Promise<void>((r) => (release = r));
  const tail = previous.then(() => turn);
  queues.set(file, tail);
  try {
    await previous;
    const token = await acquire(file, o.waitMs ?? LOCK_WAIT_MS);
    try {
      return await held.run(new Set([...(mine ?? []), file]), fn);
    } finally {
      await releaseLock(file, token);
    }
  } finally {
    release();
    if (queues.get(file) === tail) queues.delete(file);
  }
}

async function readInfo(lockFile: string): Promise<LockInfo | 'absent' | 'unreadable'> {
  try {
    const parsed: unknown = JSON.parse(await readFile(lockFile, 'utf8'));
    if (
      parsed !== null &&
      typeof parsed === 'object' &&
      typeof (parsed as LockInfo).host === 'string' &&
      typeof (parsed as LockInfo).pid === 'number' &&
      typeof (parsed as LockInfo).token === 'string'
    ) {
      return parsed as LockInfo;
    }
    return 'unreadable';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'unreadable';
  }
}

async function ageMs(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function isStale(lockFile: string, info: LockInfo | 'unreadable'): Promise<boolean> {
  const age = await ageMs(lockFile);
  if (age === undefined) return false;
  if (age > LOCK_MAX_AGE_MS) return true;
  if (info === 'unreadable') return false;
  return info.host === HOST_TAG && info.pid !== process.pid && !processAlive(info.pid);
}

/** Publishes a complete lock file with link(): it fails with EEXIST when any lock is there. */
async function tryCreate(lockFile: string, info: LockInfo): Promise<boolean> {
  const tmp = tempPathFor(lockFile);
  await writeFile(tmp, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
  try {
    crashPoint('lock:before-link');
    await link(tmp, lockFile);
    crashPoint('lock:linked');
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw e;
    // A file system without hard links (FAT, some network shares): an exclusive create is the next best.
    try {
      await writeFile(lockFile, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e2;
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** Removes the lock only if it is still the stale one we saw, under the breaker lock. */
async function breakStale(lockFile: string, stale: LockInfo | 'unreadable'): Promise<void> {
  const breaker = `${lockFile}.break`;
  let fh;
  try {
    fh = await open(breaker, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const age = await ageMs(breaker);
    // Its holder died between two file operations; the residual race (two waiters clearing it at once
    // after this long) needs a second crash inside a microsecond window.
    if (age !== undefined && age > BREAK_MAX_AGE_MS) await unlink(breaker).catch(() => undefined);
    return;
  }
  try {
    await fh.close();
    const now = await readInfo(lockFile);
    const same =
      now === 'absent'
        ? false
        : stale === 'unreadable'
          ? now === 'unreadable'
          : now !== 'unreadable' && now.token === stale.token;
    if (same) {
      crashPoint('lock:break');
      await unlink(lockFile).catch(() => undefined);
    }
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

async function acquire(file: string, waitMs: number): Promise<string> {
  const lockFile = lockPathFor(file);
  const info: LockInfo = { host: HOST_TAG, pid: process.pid, token: randomBytes(12).toString('hex') };
  const started = Date.now();
  let delay = 2;
  for (;;) {
    try {
      if (await tryCreate(lockFile, info)) return info.token;
    } catch (e) {
      throw ioError(file, 'lock', e);
    }
    const current = await readInfo(lockFile);
    if (current !== 'absent') {
      if (await isStale(lockFile, current)) {
        await breakStale(lockFile, current).catch((e: unknown) => {
          throw ioError(file, 'break a stale lock', e);
        });
        continue;
      }
      const waited = Date.now() - started;
      if (waited >= waitMs) throw lockTimeout(file, lockFile, waited);
      // Jittered backoff, so a crowd of waiters does not retry in lockstep.
      await sleep(delay + Math.floor(Math.random() * delay));
      delay = Math.min(delay * 2, 100);
    }
  }
}

async function releaseLock(file: string, token: string): Promise<void> {
  const lockFile = lockPathFor(file);
  const now = await readInfo(lockFile);
  // Only our own lock: if it was broken as stale (we stalled past LOCK_MAX_AGE_MS), it is someone else's now.
  if (now !== 'absent' && now !== 'unreadable' && now.token === token) {
    crashPoint('lock:release');
    await unlink(lockFile).catch(() => undefined);
  }
}
