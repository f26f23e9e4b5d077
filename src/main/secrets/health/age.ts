// Rotation age: when each present secret last changed, and the ones older than the maximum age. The time comes
// from the backend's version metadata where the store keeps versions (the current version's creation time), else,
// for a SOPS secret, from its file's `sops.lastmodified` (read without decrypting, once per file), else from the
// file's git history (`git log -1 --format=%cI -- <file>`: argv holds a path, never a value). A keychain secret
// has none of these: its age is unknown and counted as such, not guessed.
// Versions are one call per secret (no backend lists versions in bulk), at most AGE_CONCURRENCY at a time.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../../shared/errors';
import { formatForPath, parseMetadata } from '../../sops';
import { parseSopsBytes } from '../../sops/stores';
import { isSecretNotFound, type SecretVersion } from '../../stores';
import { mapBounded } from '../../stores/bounded';
import type { SopsCoordinate, StoreCoordinate } from '../model/coordinates';
import { throwIfCancelled, type LongRunning, type OperationContext } from '../operations/operation-context';
import type { AuditedSecret } from './estate';
import { finding, type Finding } from './findings';
import { BackendFailures, storeOf } from './value-reader';

export const AGE_CONCURRENCY = 8;
const DAY_MS = 24 * 60 * 60 * 1000;
/** A `git log` that takes longer than this is given up (the age is then unknown). */
const GIT_TIMEOUT_MS = 10_000;

export type AgeSource = 'versions' | 'sops-lastmodified' | 'git';

export interface LastChange {
  readonly at: Date;
  readonly source: AgeSource;
}

export interface AgeOutcome {
  /** By coordinate key; absent: unknown. */
  readonly changes: Map<string, LastChange>;
  readonly problems: Finding[];
}

/** The time of the last commit touching `file`, or undefined (not in a repository, never committed, no git). */
export type GitLastCommit = (file: string) => Promise<Date | undefined>;

const run = promisify(execFile);

export const gitLastCommit: GitLastCommit = async (file) => {
  try {
    const { stdout } = await run('git', ['log', '-1', '--format=%cI', '--', file], {
      cwd: dirname(file),
      timeout: GIT_TIMEOUT_MS,
      maxBuffer: 64 * 1024,
    });
    const when = new Date(stdout.trim());
    return stdout.trim() === '' || Number.isNaN(when.getTime()) ? undefined : when;
  } catch {
    // Not a repository, git missing, or the file outside any: the age is unknown.
    return undefined;
  }
};

/**
 * When the current value was written: the version marked current, else the first listed (stores list newest
 * first). Generic over the time's form: a store's `Date`, or a history entry's ISO text (rotate's history panel).
 */
export function currentVersionTime<T>(
  versions: readonly { readonly current: boolean; readonly createdAt: T | undefined }[],
): T | undefined {
  return (versions.find((v) => v.current) ?? versions[0])?.createdAt;
}

export async function lastChanges(
  ctx: OperationContext,
  secrets: readonly AuditedSecret[],
  opts: LongRunning & { readonly git?: GitLastCommit | undefined } = {},
): Promise<AgeOutcome> {
  const changes = new Map<string, LastChange>();
  const failures = new BackendFailures();
  const byStore = new Map<string, StoreCoordinate[]>();
  const sops: SopsCoordinate[] = [];
  for (const s of secrets) {
    const c = s.coordinate;
    if (c.kind === 'sops') sops.push(c);
    else {
      const group = byStore.get(c.store);
      if (group) group.push(c);
      else byStore.set(c.store, [c]);
    }
  }
  for (const coords of byStore.values()) {
    throwIfCancelled(opts.signal);
    await storeAges(ctx, coords, changes, failures, opts.signal);
  }
  await sopsAges(sops, changes, opts.git ?? gitLastCommit, opts.signal);
  return { changes, problems: failures.findings() };
}

async function storeAges(
  ctx: OperationContext,
  coords: readonly StoreCoordinate[],
  changes: Map<string, LastChange>,
  failures: BackendFailures,
  signal: AbortSignal | undefined,
): Promise<void> {
  const provider = coords[0]?.provider;
  const store = storeOf(ctx, coords);
  // No store: a configuration error, already reported by the value reader.
  if (provider === undefined || store === undefined || store instanceof AppError) return;
  const versions = store.capabilities.versions ? store.versions?.bind(store) : undefined;
  if (!versions) return;
  try {
    await mapBounded(
      coords,
      AGE_CONCURRENCY,
      async (c) => {
        let list: SecretVersion[];
        try {
          list = await versions(c.path);
        } catch (e) {
          if (isSecretNotFound(e)) return;
          throw e;
        }
        const at = currentVersionTime(list);
        if (at) changes.set(c.key, { at, source: 'versions' });
      },
      signal,
    );
  } catch (e) {
    if (!(e instanceof AppError) || e.code === 'CANCELLED') throw e;
    failures.add(provider, e, coords.length);
  }
}

async function sopsLastModified(file: string): Promise<Date | undefined> {
  try {
    const parsed = parseSopsBytes(formatForPath(file), await readFile(file), file);
    if (parsed.metadata === undefined) return undefined;
    const when = new Date(parseMetadata(parsed.metadata, file).lastModified);
    return Number.isNaN(when.getTime()) ? undefined : when;
  } catch (e) {
    // Missing, unreadable or not SOPS: the value reader reports it; git may still know. Anything else is a bug.
    if (e instanceof AppError || typeof (e as NodeJS.ErrnoException).code === 'string') return undefined;
    throw e;
  }
}

async function sopsAges(
  coords: readonly SopsCoordinate[],
  changes: Map<string, LastChange>,
  git: GitLastCommit,
  signal: AbortSignal | undefined,
): Promise<void> {
  const byFile = new Map<string, SopsCoordinate[]>();
  for (const c of coords) {
    const group = byFile.get(c.absoluteFile);
    if (group) group.push(c);
    else byFile.set(c.absoluteFile, [c]);
  }
  for (const [file, group] of byFile) {
    throwIfCancelled(signal);
    const modified = await sopsLastModified(file);
    const change: LastChange | undefined = modified
      ? { at: modified, source: 'sops-lastmodified' }
      : await git(file).then((at) => (at ? { at, source: 'git' as const } : undefined));
    if (change) for (const c of group) changes.set(c.key, change);
  }
}

/** Whole days between two times. */
export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

/**
 * The age of a value last changed at `at`, in whole days at `now`, and whether it is past the maximum: the one
 * rule behind audit's `stale` findings and the rotation age the app's history panel shows.
 */
export function ageAgainst(at: Date, now: Date, maxAgeDays: number): { days: number; overdue: boolean } {
  const days = daysBetween(at, now);
  return { days, overdue: days > maxAgeDays };
}

export function staleFindings(
  secrets: ReadonlyMap<string, AuditedSecret>,
  changes: ReadonlyMap<string, LastChange>,
  now: Date,
  maxAgeDays: number,
): Finding[] {
  const out: Finding[] = [];
  for (const [key, change] of changes) {
    const s = secrets.get(key);
    if (!s) continue;
    const { days, overdue } = ageAgainst(change.at, now, maxAgeDays);
    if (!overdue) continue;
    const first = s.places[0];
    const name = first?.secret ?? s.coordinate.path.name;
    const where = first?.stack
      ? ` in ${first.stack}${first.component && first.component !== '*' ? `/${first.component}` : ''}`
      : '';
    const from =
      change.source === 'versions' ? 'its current version' : change.source === 'git' ? 'git history' : 'its SOPS file';
    out.push(
      finding(
        'stale',
        `${name}${where} last changed ${days} days ago (${from}, ${change.at.toISOString()}); the maximum is ${maxAgeDays}`,
        { kind: 'rotate', text: `Rotate ${name}: set a new value.` },
        s.places,
        { lastChanged: change.at.toISOString() },
      ),
    );
  }
  return out;
}
