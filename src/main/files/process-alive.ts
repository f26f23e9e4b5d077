// Whether a process that left a lock or temp file behind still runs, and this host's tag for such files.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';

/** A short, stable tag for this machine: a pid means something only on the host that wrote it. */
export const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/** True unless the process is known to be gone (signal 0 checks existence without touching it). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
