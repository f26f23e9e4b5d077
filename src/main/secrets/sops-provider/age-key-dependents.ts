// Before an age key is deleted (the keys page, or a keychain entry by hand): the SOPS files of this workspace
// that are encrypted to it, and which of them nobody could open any more. Reads metadata only; the private
// key is read from the keychain to derive its recipients and never leaves this function.
import type { Workspace } from '../../config';
import { readSopsFileKeys, recipientsOfKeyText, unreadableWithout, usesAgeRecipient } from '../../sops';
import { DEFAULT_KEYCHAIN_SERVICE } from '../../keychain/keychain';
import { throwIfCancelled, type LongRunning } from '../operations/operation-context';
import { sopsProviderFiles, sopsProviders, type SopsOpsDeps } from './sops-ops';

export interface AgeKeyDependent {
  /** Relative to the base path. */
  readonly file: string;
  readonly provider: string;
  /** True when no other master key (another age recipient, KMS, pgp) can open the file: deleting loses it. */
  readonly unreadable: boolean;
}

export interface AgeKeyEntry {
  /** The keychain account that holds the key(s). */
  readonly account: string;
  /** Default: the app's own service. */
  readonly service?: string | undefined;
}

/**
 * The files encrypted to the age key(s) in a keychain entry, each with whether deleting the entry would make
 * it unreadable. Empty when the entry holds no age key. Files that do not parse are skipped (validate says why).
 */
export async function filesDependingOnAgeKey(
  ws: Workspace,
  deps: SopsOpsDeps,
  entry: AgeKeyEntry,
  opts: LongRunning = {},
): Promise<AgeKeyDependent[]> {
  const text = await deps.keychain(entry.service ?? DEFAULT_KEYCHAIN_SERVICE).get(entry.account);
  const recipients = text === null ? new Set<string>() : await recipientsOfKeyText(text);
  if (recipients.size === 0) return [];
  const out: AgeKeyDependent[] = [];
  const seen = new Set<string>();
  for (const p of sopsProviders(ws, opts)) {
    for (const f of await sopsProviderFiles(ws, p.name, opts)) {
      throwIfCancelled(opts.signal);
      if (seen.has(f.absoluteFile)) continue;
      seen.add(f.absoluteFile);
      let keys;
      try {
        keys = await readSopsFileKeys(f.absoluteFile);
      } catch {
        continue;
      }
      if (!usesAgeRecipient(keys, recipients)) continue;
      out.push({ file: f.file, provider: p.name, unreadable: unreadableWithout(keys, recipients) });
    }
  }
  return out;
}
