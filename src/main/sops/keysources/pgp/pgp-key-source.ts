// The PGP key source: wraps and unwraps a SOPS data key with the local `gpg`, i.e. the user's own keyring and
// gpg-agent (pinentry, smartcards), exactly as sops does. GNUPGHOME is honoured; the data key travels on stdin.
import { AppError } from '../../../../shared/errors';
import { type KeySource, type MasterKeyEntry, type MasterKeySpec } from '../../key-source';
import { createGpgRunner, type GpgResult, type GpgRunner } from './gpg';

type PgpEntry = Extract<MasterKeyEntry, { type: 'pgp' }>;
type PgpSpec = Extract<MasterKeySpec, { type: 'pgp' }>;

export interface PgpKeySourceOptions {
  /** The gpg executable. Default: $SOPS_GPG_EXEC, else `gpg` on PATH. */
  readonly gpgBinary?: string;
  /** The GnuPG home. Default: $GNUPGHOME, else gpg's own default (~/.gnupg). */
  readonly gnupgHome?: string;
  /** The environment gpg runs with. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Kills a gpg call after this long (a passphrase prompt counts). Default: 5 minutes. */
  readonly timeoutMs?: number;
  /** The clock for created_at. */
  readonly now?: () => Date;
  /** Replaces the gpg process (unit tests). */
  readonly runGpg?: GpgRunner;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** sops writes created_at as RFC 3339 in UTC with whole seconds. */
export function rfc3339Seconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** sops removes spaces from fingerprints ("FBC7 B9E2 ..." is common in docs); a leading '-' would read as an option. */
export function normalizeFingerprint(fp: string): string {
  const clean = fp.replace(/\s+/g, '');
  if (clean === '' || clean.startsWith('-')) {
    throw new AppError('CONFIG', `"${fp}" is not a PGP key fingerprint.`, {
      hint: 'Use the 40-hex-digit fingerprint shown by: gpg --list-keys --fingerprint',
    });
  }
  return clean;
}

/** The last 16 hex digits: gpg's --trusted-key takes a long key id. */
function longKeyId(fp: string): string | undefined {
  return /^(0x)?[0-9A-Fa-f]{16,}$/.test(fp) ? fp.slice(-16) : undefined;
}

/** gpg's own `gpg:` lines, shortened, for the tail of an error message (they never carry the plaintext). */
function gpgSays(result: GpgResult): string {
  if (result.exitCode === null)
    return ' gpg was stopped before it finished (timed out waiting, e.g. for a passphrase).';
  const lines = result.messages.filter((m) => m.startsWith('gpg:')).slice(-3);
  return lines.length > 0 ? ` gpg said: ${lines.join(' / ')}` : '';
}

function homeNote(home: string | undefined): string {
  return home ? ` (GNUPGHOME=${home})` : '';
}

export function createPgpKeySource(options: PgpKeySourceOptions = {}): KeySource<'pgp'> {
  const baseEnv = options.env ?? process.env;
  const gnupgHome = options.gnupgHome ?? baseEnv.GNUPGHOME;
  const env: NodeJS.ProcessEnv = gnupgHome ? { ...baseEnv, GNUPGHOME: gnupgHome } : { ...baseEnv };
  const run =
    options.runGpg ??
    createGpgRunner({
      binary: options.gpgBinary ?? baseEnv.SOPS_GPG_EXEC ?? 'gpg',
      env,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
  const now = options.now ?? (() => new Date());

  async function wrap(dataKey: Uint8Array, spec: PgpSpec): Promise<PgpEntry> {
    const fp = normalizeFingerprint(spec.fp);
    const keyId = longKeyId(fp);
    // The same flags as sops: no default or extra recipients, and trust the named key for this call only,
    // so an imported key with unknown owner trust still works in batch mode.
    // --batch: wrapping never needs a person, so never wait for one. (Unwrapping omits it, like sops, so that
    // gpg-agent can still ask for a passphrase through pinentry.)
    const args = ['--batch', '--no-default-recipient', '--yes', '--encrypt', '--armor', '-r', fp];
    if (keyId) args.push('--trusted-key', keyId);
    args.push('--no-encrypt-to');
    const result = await run(args, dataKey);
    const armored = result.stdout.toString('utf8');
    if (result.exitCode !== 0 || !armored.includes('-----BEGIN PGP MESSAGE-----')) {
      const invalid = result.status.some((s) => s.keyword === 'INV_RECP');
      throw new AppError(
        'CRYPTO',
        `Could not encrypt the data key for PGP key ${fp}${invalid ? ': the public key is missing or unusable' : ''}${homeNote(gnupgHome)}.${gpgSays(result)}`,
        {
          hint: `Import the public key (gpg --import key.asc, or gpg --recv-keys ${fp}) and check it has not expired.`,
        },
      );
    }
    return { type: 'pgp', fp, enc: armored, created_at: rfc3339Seconds(now()) };
  }

  async function unwrap(entry: PgpEntry): Promise<Uint8Array> {
    const fp = normalizeFingerprint(entry.fp);
    if (!entry.enc.includes('-----BEGIN PGP MESSAGE-----')) {
      throw new AppError('SOPS', `The pgp entry for ${fp} does not hold an armored PGP message.`);
    }
    const result = await run(['--use-agent', '--decrypt'], new TextEncoder().encode(entry.enc));
    const ok = result.exitCode === 0 && result.status.some((s) => s.keyword === 'DECRYPTION_OKAY');
    if (!ok || result.stdout.length === 0) {
      result.stdout.fill(0);
      const noSecKey = result.status.filter((s) => s.keyword === 'NO_SECKEY').map((s) => s.args[0] ?? '');
      if (noSecKey.length > 0) {
        throw new AppError(
          'CRYPTO',
          `No PGP secret key in the GnuPG keyring${homeNote(gnupgHome)} can decrypt the data key for ${fp}` +
            ` (the message is encrypted to key id ${noSecKey.join(', ')}).`,
          {
            hint: `Import the secret key of ${fp}: gpg --import private-key.asc (or run with GNUPGHOME pointing at the keyring that has it).`,
          },
        );
      }
      throw new AppError(
        'CRYPTO',
        `GnuPG could not decrypt the data key for PGP key ${fp}${homeNote(gnupgHome)}.${gpgSays(result)}`,
        {
          hint: `Check that the secret key of ${fp} is in the keyring and that gpg-agent can ask for its passphrase.`,
        },
      );
    }
    const key = new Uint8Array(result.stdout);
    result.stdout.fill(0);
    return key;
  }

  return { type: 'pgp', wrap, unwrap };
}
