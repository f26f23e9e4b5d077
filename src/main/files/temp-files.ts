// Temporary files beside a target: one name pattern for every writer (so a sweep only ever removes our own),
// carrying the host and pid of the writer so a file left by a killed write is recognised as such.
//   .<target name>.<host tag>-<pid>-<random>.atmos-tmp
import { randomBytes } from 'node:crypto';
import { readdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HOST_TAG, processAlive } from './process-alive';

const SUFFIX = '.atmos-tmp';
// Keeps the temp name under the usual 255-byte limit whatever the target's name.
const MAX_BASE = 120;
/** A temp file whose writer cannot be checked (another host, or a reused pid) is swept once this old. */
export const STALE_TEMP_MS = 60 * 60 * 1000;

function baseOf(target: string): string {
  return basename(target).slice(0, MAX_BASE);
}

export function tempPathFor(target: string): string {
  return join(
    dirname(target),
    `.${baseOf(target)}.${HOST_TAG}-${process.pid}-${randomBytes(6).toString('hex')}${SUFFIX}`,
  );
}

const OURS = /^\.(.+)\.([0-9a-f]{8})-(\d+)-[0-9a-f]{12}\.atmos-tmp$/;
// What the writers before this module left (.<name>.<12 hex>.tmp): swept by age only.
const LEGACY = /^\.(.+)\.[0-9a-f]{12}\.tmp$/;

/** Whether a folder entry is a stale temp file of a write of one of `bases`. */
function isStaleTemp(
  name: string,
  bases: ReadonlySet<string>,
  ageMs: () => Promise<number>,
): Promise<boolean> | boolean {
  const ours = OURS.exec(name);
  if (ours) {
    if (!bases.has(ours[1])) return false;
    const pid = Number(ours[3]);
    if (ours[2] === HOST_TAG && pid !== process.pid && !processAlive(pid)) return true;
    return ageMs().then((a) => a > STALE_TEMP_MS);
  }
  const legacy = LEGACY.exec(name);
  if (legacy && bases.has(legacy[1])) return ageMs().then((a) => a > STALE_TEMP_MS);
  return false;
}

/**
 * Removes temp files a killed write of any of `targets` (all in one folder) left behind: ours whose writer is
 * gone, or any of ours or the legacy pattern older than STALE_TEMP_MS. Best effort: a sweep never fails a write.
 */
export async function sweepStaleTemps(targets: readonly string[]): Promise<string[]> {
  if (targets.length === 0) return [];
  const dir = dirname(targets[0]);
  const bases = new Set(targets.map(baseOf));
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith('.') || !(name.endsWith(SUFFIX) || name.endsWith('.tmp'))) continue;
    const path = join(dir, name);
    const ageMs = async (): Promise<number> => Date.now() - (await stat(path)).mtimeMs;
    try {
      if (await isStaleTemp(name, bases, ageMs)) {
        await unlink(path);
        removed.push(path);
      }
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

/** Whether a folder entry has our temp-file pattern (for tests and the crash proof). */
export function isTempName(name: string): boolean {
  return OURS.test(name) || LEGACY.test(name);
}
