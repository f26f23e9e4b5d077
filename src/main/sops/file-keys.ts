// Which master keys can open a SOPS file, read from its metadata only (no key needed): for the warning before
// an age key is deleted.
import type { MasterKeyEntry } from './key-source';
import { parseMetadata } from './metadata';
import { readSopsSource } from './sops-file';
import { formatForPath, parseSopsBytes, type SopsFormat } from './stores';

export interface SopsFileKeys {
  readonly file: string;
  /** The master keys by key group (more than one group: Shamir). */
  readonly keyGroups: readonly (readonly MasterKeyEntry[])[];
  /** How many groups must agree to recover the data key. */
  readonly threshold: number;
  /** Key types this app cannot use (azure_kv, hc_vault, ...): someone else may still open the file with them. */
  readonly unsupported: readonly string[];
}

export async function readSopsFileKeys(file: string, o: { readonly format?: SopsFormat } = {}): Promise<SopsFileKeys> {
  const format = o.format ?? formatForPath(file);
  const parsed = parseSopsBytes(format, await readSopsSource(file), file);
  const meta = parseMetadata(parsed.metadata, file);
  return {
    file,
    keyGroups: meta.keyGroups,
    threshold: meta.keyGroups.length > 1 ? (meta.shamirThreshold ?? meta.keyGroups.length) : 1,
    unsupported: meta.unsupportedKeys,
  };
}

/** Whether the file names any of these age recipients. */
export function usesAgeRecipient(keys: SopsFileKeys, recipients: ReadonlySet<string>): boolean {
  return keys.keyGroups.some((g) => g.some((e) => e.type === 'age' && recipients.has(e.recipient)));
}

/**
 * True when nobody can open the file once the age keys of `recipients` are gone: too few key groups keep a
 * master key of another kind or another age recipient to recover the data key.
 */
export function unreadableWithout(keys: SopsFileKeys, recipients: ReadonlySet<string>): boolean {
  if (keys.unsupported.length > 0) return false;
  const usable = keys.keyGroups.filter((g) => g.some((e) => e.type !== 'age' || !recipients.has(e.recipient)));
  return usable.length < keys.threshold;
}
