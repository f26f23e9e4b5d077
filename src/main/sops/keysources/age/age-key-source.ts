// The age key source: wraps the data key into a standard armored age file per recipient (X25519 `age1…` or
// post-quantum `age1pq1…`, through age-encryption) and unwraps it with the identities it is given.
import { Decrypter, Encrypter, armor, identityToRecipient } from 'age-encryption';
import { AppError } from '../../../../shared/errors';
import type { KeySource, MasterKeyEntry, MasterKeySpec } from '../../key-source';

type AgeEntry = Extract<MasterKeyEntry, { type: 'age' }>;
type AgeSpec = Extract<MasterKeySpec, { type: 'age' }>;

/** Supplies identities lazily, so the keychain or a key file is only read when a file is decrypted. */
export type AgeIdentityProvider = () => Promise<readonly string[]>;

export interface AgeKeySourceOptions {
  /** `AGE-SECRET-KEY-1…` / `AGE-SECRET-KEY-PQ-1…` strings, or a function that loads them. */
  readonly identities?: readonly string[] | AgeIdentityProvider;
  /** Where the identities come from, for error messages (never the keys themselves). */
  readonly describeSources?: () => string;
}

const RECIPIENT_RE = /^age1[02-9ac-hj-np-z]+$/;

export function isAgeRecipient(s: string): boolean {
  return RECIPIENT_RE.test(s) && (s.startsWith('age1pq1') || s.length === 62);
}

export class AgeKeySource implements KeySource<'age'> {
  readonly type = 'age' as const;
  private loaded: Promise<readonly string[]> | undefined;

  constructor(private readonly options: AgeKeySourceOptions = {}) {}

  private identities(): Promise<readonly string[]> {
    const ids = this.options.identities;
    if (!this.loaded) {
      this.loaded = typeof ids === 'function' ? ids() : Promise.resolve(ids ?? []);
      // A failed load (a locked keychain) is retried next time rather than remembered.
      this.loaded.catch(() => {
        this.loaded = undefined;
      });
    }
    return this.loaded;
  }

  async wrap(dataKey: Uint8Array, spec: AgeSpec): Promise<AgeEntry> {
    const recipient = spec.recipient.trim();
    const e = new Encrypter();
    try {
      e.addRecipient(recipient);
    } catch (cause) {
      throw new AppError('CONFIG', `"${recipient}" is not an age recipient this build can encrypt to.`, {
        hint: 'Use an age1… (X25519) or age1pq1… (post-quantum) recipient; ssh-ed25519/ssh-rsa and plugin recipients are not supported.',
        cause,
      });
    }
    const enc = armor.encode(await e.encrypt(dataKey));
    return { type: 'age', recipient, enc };
  }

  /** True when one of the identities is the key of `spec`'s recipient; false when none is, or none loads. */
  async holds(spec: AgeSpec): Promise<boolean> {
    let ids: readonly string[];
    try {
      ids = await this.identities();
    } catch {
      // No identity could be loaded (no key anywhere, a locked keychain): none is held.
      return false;
    }
    const wanted = spec.recipient.trim();
    for (const id of ids) {
      try {
        if ((await identityToRecipient(id)) === wanted) return true;
      } catch {
        // A malformed key holds nothing; unwrap reports it (without quoting it) when it is used.
      }
    }
    return false;
  }

  async unwrap(entry: AgeEntry): Promise<Uint8Array> {
    const ids = await this.identities();
    const where = this.options.describeSources?.() ?? 'no age identity source';
    if (ids.length === 0) {
      throw new AppError('CRYPTO', `no age private key was found (looked in: ${where})`, {
        hint: 'Set spec.age_key, SOPS_AGE_KEY_FILE or SOPS_AGE_KEY, or put the key in ~/.config/sops/age/keys.txt.',
      });
    }
    let file: Uint8Array;
    try {
      file = armor.decode(entry.enc);
    } catch (cause) {
      throw new AppError('SOPS', `the age-wrapped data key for ${entry.recipient} is not a valid armored age file`, {
        cause,
      });
    }
    const d = new Decrypter();
    for (const [i, id] of ids.entries()) {
      try {
        d.addIdentity(id);
      } catch {
        // age-encryption's message quotes the key; ours must not.
        throw new AppError('CRYPTO', `age private key #${i + 1} (from: ${where}) is malformed`, {
          hint: 'An age private key starts with AGE-SECRET-KEY-1 or AGE-SECRET-KEY-PQ-1; check the key file or keychain entry.',
        });
      }
    }
    try {
      return await d.decrypt(file);
    } catch (cause) {
      const raw = cause instanceof Error ? cause.message : '';
      const noMatch = /no identity matched/i.test(raw);
      // "No identity matched" is a wrong or missing key; anything else is a damaged stanza or header.
      throw new AppError(
        noMatch ? 'CRYPTO' : 'SOPS',
        noMatch
          ? `none of the ${ids.length} age private key(s) (from: ${where}) is the key for ${entry.recipient}`
          : `the age-wrapped data key for ${entry.recipient} does not decrypt (${raw || 'damaged'})`,
        { cause },
      );
    }
  }
}
