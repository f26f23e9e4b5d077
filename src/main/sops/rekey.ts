// Re-keying: `updatekeys` re-wraps the data key for a new set of master keys (people added or removed; the
// values keep their bytes), `rotate` makes a new data key and re-encrypts every value. Each is a plan first
// (what will change, computed from the metadata alone) and an apply step that refuses if the file changed.
import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { withFileLock, writeFileAtomic } from './atomic-write';
import { isEncValue } from './cipher';
import { describeMasterKey, newDataKey, wrapDataKey, type KeySources } from './data-key';
import type { MasterKeyEntry, MasterKeySpec } from './key-source';
import { parseMetadata } from './metadata';
import { decryptSopsBytes, reencryptSopsFile, type DecryptOptions } from './sops-codec';
import { readSopsSource } from './sops-file';
import { formatForPath, parseSopsBytes, type SopsFormat } from './stores';
import { isEntry, isSopsList, isSopsMap, type SopsNode } from './tree';

export interface KeyTarget {
  /** The master keys the file should have afterwards, by group. */
  readonly keyGroups: readonly (readonly MasterKeySpec[])[];
  readonly shamirThreshold?: number;
}

export interface RekeyPlan {
  readonly action: 'updatekeys' | 'rotate';
  readonly file: string;
  readonly format: SopsFormat;
  /** SHA-256 of the file the plan was made from; apply refuses if the file changed since. */
  readonly sourceSha256: string;
  /** Master keys as "age age1…", "pgp FPR", … by group, before and after. */
  readonly before: readonly (readonly string[])[];
  readonly after: readonly (readonly string[])[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly thresholdBefore: number | undefined;
  readonly thresholdAfter: number | undefined;
  /** How many stored values get new ciphertext (0 for updatekeys). */
  readonly valuesReencrypted: number;
  /** False when applying would change nothing (updatekeys with the same keys). */
  readonly changes: boolean;
  readonly target: KeyTarget;
}

export function specOf(e: MasterKeyEntry): MasterKeySpec {
  switch (e.type) {
    case 'age':
      return { type: 'age', recipient: e.recipient };
    case 'pgp':
      return { type: 'pgp', fp: e.fp };
    case 'kms':
      return {
        type: 'kms',
        arn: e.arn,
        ...(e.role ? { role: e.role } : {}),
        ...(e.context ? { context: e.context } : {}),
        ...(e.aws_profile ? { aws_profile: e.aws_profile } : {}),
      };
    case 'gcp_kms':
      return { type: 'gcp_kms', resource_id: e.resource_id };
    default: {
      const never: never = e;
      return never;
    }
  }
}

function countEncrypted(n: SopsNode): number {
  if (isSopsMap(n)) return n.items.reduce((a, i) => a + (isEntry(i) ? countEncrypted(i.value) : 0), 0);
  if (isSopsList(n))
    return n.items.reduce<number>(
      (a, i) => a + (typeof i === 'string' || typeof i === 'object' ? countEncrypted(i as SopsNode) : 0),
      0,
    );
  return typeof n === 'string' && isEncValue(n) ? 1 : 0;
}

async function plan(
  action: RekeyPlan['action'],
  file: string,
  target: KeyTarget | undefined,
  format?: SopsFormat,
): Promise<RekeyPlan> {
  const fmt = format ?? formatForPath(file);
  const data = await readSopsSource(file);
  const parsed = parseSopsBytes(fmt, data, file);
  const meta = parseMetadata(parsed.metadata, file);
  const t: KeyTarget = target ?? {
    keyGroups: meta.keyGroups.map((g) => g.map(specOf)),
    ...(meta.shamirThreshold !== undefined ? { shamirThreshold: meta.shamirThreshold } : {}),
  };
  const before = meta.keyGroups.map((g) => g.map(describeMasterKey));
  const after = t.keyGroups.map((g) => g.map(describeMasterKey));
  const flatBefore = new Set([...before.flat(), ...meta.unsupportedKeys]);
  const flatAfter = new Set(after.flat());
  const added = [...flatAfter].filter((k) => !flatBefore.has(k));
  const removed = [...flatBefore].filter((k) => !flatAfter.has(k));
  const thresholdBefore = meta.keyGroups.length > 1 ? (meta.shamirThreshold ?? meta.keyGroups.length) : undefined;
  const thresholdAfter = t.keyGroups.length > 1 ? (t.shamirThreshold ?? t.keyGroups.length) : undefined;
  const sameGroups = JSON.stringify(before) === JSON.stringify(after) && meta.unsupportedKeys.length === 0;
  const valuesReencrypted = action === 'rotate' ? parsed.documents.reduce((a, d) => a + countEncrypted(d), 0) : 0;
  return {
    action,
    file,
    format: fmt,
    sourceSha256: createHash('sha256').update(data).digest('hex'),
    before,
    after,
    added,
    removed: action === 'updatekeys' ? removed.filter((k) => before.flat().includes(k)) : removed,
    thresholdBefore,
    thresholdAfter,
    valuesReencrypted,
    changes: action === 'rotate' || !sameGroups || thresholdBefore !== thresholdAfter,
    target: t,
  };
}

/** What `updatekeys` would change: the file's master keys become `target`. Reads only the metadata. */
export function planUpdateKeys(
  file: string,
  target: KeyTarget,
  o: { readonly format?: SopsFormat } = {},
): Promise<RekeyPlan> {
  return plan('updatekeys', file, target, o.format);
}

/** What `rotate` would change: a new data key for `target` (default: the current keys), every value anew. */
export function planRotate(
  file: string,
  o: { readonly format?: SopsFormat; readonly target?: KeyTarget } = {},
): Promise<RekeyPlan> {
  return plan('rotate', file, o.target, o.format);
}

/** Applies a plan: decrypts (MAC verified), re-wraps or rotates, and writes atomically. */
export function applyRekeyPlan(p: RekeyPlan, o: DecryptOptions): Promise<void> {
  // Under the file's lock, so no set slips in between the check and the write.
  return withFileLock(p.file, () => applyLocked(p, o));
}

async function applyLocked(p: RekeyPlan, o: DecryptOptions): Promise<void> {
  const data = await readSopsSource(p.file);
  if (createHash('sha256').update(data).digest('hex') !== p.sourceSha256) {
    throw new AppError('SOPS', `${p.file} changed after the ${p.action} plan was made; nothing was written.`, {
      location: { file: p.file },
      hint: 'Make the plan again and review it.',
    });
  }
  if (!p.changes) return;
  const f = await decryptSopsBytes(data, p.file, p.format, { ...o, format: p.format });
  const sources: KeySources = o.keySources;
  const threshold = p.target.keyGroups.length > 1 ? (p.target.shamirThreshold ?? p.target.keyGroups.length) : undefined;
  let out: Uint8Array;
  if (p.action === 'rotate') {
    const dataKey = newDataKey();
    const keyGroups = await wrapDataKey(dataKey, p.target.keyGroups, sources, threshold);
    out = reencryptSopsFile(f, {
      dataKey,
      keyGroups,
      ...(threshold !== undefined ? { shamirThreshold: threshold } : {}),
    });
  } else {
    out = reencryptSopsFile(f, {
      keyGroups: await rewrap(f.dataKey, f.metadata.keyGroups, p.target, sources, threshold),
      ...(threshold !== undefined ? { shamirThreshold: threshold } : {}),
    });
  }
  await writeFileAtomic(p.file, out, { expectedContent: data });
}

/**
 * New key entries for the same data key. With one group before and after, entries of kept keys stay as
 * they are (a clean diff) and only added keys are wrapped; with Shamir groups every share is made anew.
 */
async function rewrap(
  dataKey: Uint8Array,
  current: readonly (readonly MasterKeyEntry[])[],
  target: KeyTarget,
  sources: KeySources,
  threshold: number | undefined,
): Promise<MasterKeyEntry[][]> {
  if (current.length !== 1 || target.keyGroups.length !== 1)
    return wrapDataKey(dataKey, target.keyGroups, sources, threshold);
  const kept = new Map(current[0].map((e) => [describeMasterKey(e), e]));
  const out: MasterKeyEntry[] = [];
  for (const spec of target.keyGroups[0]) {
    const existing = kept.get(describeMasterKey(spec));
    out.push(existing ?? (await wrapDataKey(dataKey, [[spec]], sources))[0][0]);
  }
  return [out];
}
