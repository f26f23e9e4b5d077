// Recovering and wrapping the 32-byte data key through injected key sources: any member of a group gives
// that group's part; with several groups (Shamir) `shamir_threshold` parts are combined.
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { AppError, isAppError } from '../../shared/errors';
import type { KeySource, MasterKeyEntry, MasterKeySpec, MasterKeyType } from './key-source';
import { shamirCombine, shamirSplit } from './shamir';

export const DATA_KEY_SIZE = 32;

/** The key sources the file code may use, by master-key type; pgp/KMS plug in here. */
export type KeySources = { readonly [T in MasterKeyType]?: KeySource<T> };

/** sops' default order inside a group: age, then pgp, then the rest in file order. */
export const DEFAULT_DECRYPTION_ORDER: readonly MasterKeyType[] = ['age', 'pgp'];

export function describeMasterKey(e: MasterKeyEntry | MasterKeySpec): string {
  switch (e.type) {
    case 'age':
      return `age ${e.recipient}`;
    case 'pgp':
      return `pgp ${e.fp}`;
    case 'kms':
      return `kms ${e.arn}`;
    case 'gcp_kms':
      return `gcp_kms ${e.resource_id}`;
    default: {
      const never: never = e;
      return never;
    }
  }
}

function sourceFor<T extends MasterKeyType>(sources: KeySources, type: T): KeySource<T> | undefined {
  return sources[type] as KeySource<T> | undefined;
}

async function unwrapWith(sources: KeySources, entry: MasterKeyEntry): Promise<Uint8Array> {
  const source = sourceFor(sources, entry.type);
  if (!source) throw new AppError('CRYPTO', `no ${entry.type} key source is configured`);
  // The cast is safe: source and entry share `type`, which TS cannot correlate through the map.
  return (source as KeySource).unwrap(entry as never);
}

function ordered(group: readonly MasterKeyEntry[], order: readonly MasterKeyType[]): MasterKeyEntry[] {
  const rank = (e: MasterKeyEntry): number => {
    const i = order.indexOf(e.type);
    return i < 0 ? order.length : i;
  };
  return [...group].sort((a, b) => rank(a) - rank(b));
}

export interface RecoverOptions {
  readonly file: string;
  readonly sources: KeySources;
  readonly shamirThreshold?: number;
  readonly decryptionOrder?: readonly MasterKeyType[];
}

/** The data key, from any one member of the single group, or from `threshold` groups combined. */
export async function recoverDataKey(
  groups: readonly (readonly MasterKeyEntry[])[],
  o: RecoverOptions,
): Promise<Uint8Array> {
  const failures: string[] = [];
  // When every failure is a damaged entry (not a missing or wrong key) the file is at fault, not the keys.
  let onlyDamage = true;
  const parts: Uint8Array[] = [];
  const threshold = groups.length > 1 ? (o.shamirThreshold ?? groups.length) : 1;
  for (const [gi, group] of groups.entries()) {
    for (const entry of ordered(group, o.decryptionOrder ?? DEFAULT_DECRYPTION_ORDER)) {
      try {
        const part = await unwrapWith(o.sources, entry);
        const expected = groups.length > 1 ? DATA_KEY_SIZE + 1 : DATA_KEY_SIZE;
        if (part.length !== expected) throw new AppError('SOPS', `it unwraps to ${part.length} bytes, not ${expected}`);
        parts.push(part);
        break;
      } catch (e) {
        const why = isAppError(e) ? e.message : 'an unexpected error';
        if (!isAppError(e) || e.code !== 'SOPS') onlyDamage = false;
        failures.push(`${groups.length > 1 ? `group ${gi + 1}: ` : ''}${describeMasterKey(entry)}: ${why}`);
      }
    }
    if (parts.length >= threshold) break;
  }
  if (parts.length >= threshold) {
    if (groups.length === 1) return parts[0];
    try {
      return shamirCombine(parts);
    } catch (cause) {
      throw new AppError('SOPS', `The Shamir key shares of ${basename(o.file)} do not combine into a data key.`, {
        location: { file: o.file },
        cause,
      });
    }
  }
  const need =
    groups.length > 1 ? `${threshold} of ${groups.length} key groups (got ${parts.length})` : 'one of its master keys';
  if (onlyDamage && failures.length > 0) {
    throw new AppError('SOPS', `The wrapped data key in ${basename(o.file)} is damaged.\n  ${failures.join('\n  ')}`, {
      location: { file: o.file },
      hint: 'The sops metadata was changed or damaged. Restore the file from version control.',
    });
  }
  throw new AppError(
    'CRYPTO',
    `Could not recover the data key of ${basename(o.file)}: it needs ${need}.\n  ${failures.join('\n  ')}`,
    {
      location: { file: o.file },
      hint:
        'Provide a private key for one of the listed master keys (for age: spec.age_key, SOPS_AGE_KEY_FILE, SOPS_AGE_KEY ' +
        'or ~/.config/sops/age/keys.txt), or ask someone who can decrypt the file to add your recipient (updatekeys).',
    },
  );
}

export function newDataKey(): Uint8Array {
  return randomBytes(DATA_KEY_SIZE);
}

/** Wraps the data key for every master key: the whole key with one group, share i for group i otherwise. */
export async function wrapDataKey(
  dataKey: Uint8Array,
  groups: readonly (readonly MasterKeySpec[])[],
  sources: KeySources,
  shamirThreshold?: number,
): Promise<MasterKeyEntry[][]> {
  if (groups.length === 0 || groups.some((g) => g.length === 0)) {
    throw new AppError('CONFIG', 'Cannot encrypt: no master keys (recipients) were given, or a key group is empty.', {
      hint: 'Set age_recipients on the provider, or add a creation rule with keys to .sops.yaml.',
    });
  }
  const threshold = shamirThreshold ?? groups.length;
  if (groups.length > 1 && (threshold < 2 || threshold > groups.length)) {
    throw new AppError(
      'CONFIG',
      `shamir_threshold ${threshold} is invalid for ${groups.length} key groups (2..${groups.length}).`,
    );
  }
  const parts = groups.length > 1 ? shamirSplit(dataKey, groups.length, threshold) : [dataKey];
  return Promise.all(
    groups.map((group, i) =>
      Promise.all(
        group.map(async (spec) => {
          const source = sourceFor(sources, spec.type);
          if (!source) {
            throw new AppError(
              'CONFIG',
              `Cannot encrypt for ${describeMasterKey(spec)}: no ${spec.type} key source is configured.`,
            );
          }
          return (source as KeySource).wrap(parts[i], spec as never);
        }),
      ),
    ),
  );
}
