// Unit tests for the PGP key source with a fake gpg: argv never carries the data key, status lines drive errors.
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../../shared/errors';
import { type GpgResult, type GpgRunner, parseGpgStderr } from './gpg';
import { createPgpKeySource, normalizeFingerprint, rfc3339Seconds } from './pgp-key-source';

const FP = 'FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4';
const ARMOR = '-----BEGIN PGP MESSAGE-----\n\nabc\n-----END PGP MESSAGE-----\n';

function result(partial: Partial<GpgResult> & { stderr?: string }): GpgResult {
  const parsed = parseGpgStderr(partial.stderr ?? '');
  return { exitCode: 0, stdout: Buffer.alloc(0), ...parsed, ...partial };
}

describe('pgp key source (fake gpg)', () => {
  it('passes the data key on stdin only, with the sops flags', async () => {
    const calls: { args: readonly string[]; input: Uint8Array }[] = [];
    const runGpg: GpgRunner = (args, input) => {
      calls.push({ args, input });
      return Promise.resolve(result({ stdout: Buffer.from(ARMOR) }));
    };
    const source = createPgpKeySource({ runGpg, now: () => new Date('2024-03-25T22:08:10.999Z') });
    const key = new Uint8Array(32).fill(7);
    const entry = await source.wrap(key, { type: 'pgp', fp: 'FBC7 B9E2 A4F9 289A C0C1  D484 3D16 CEE4 A273 81B4' });
    expect(entry).toEqual({ type: 'pgp', fp: FP, enc: ARMOR, created_at: '2024-03-25T22:08:10Z' });
    expect(calls[0]!.args).toEqual([
      '--batch',
      '--no-default-recipient',
      '--yes',
      '--encrypt',
      '--armor',
      '-r',
      FP,
      '--trusted-key',
      '3D16CEE4A27381B4',
      '--no-encrypt-to',
    ]);
    expect(Buffer.from(calls[0]!.input).equals(Buffer.from(key))).toBe(true);
  });

  it('returns the decrypted bytes only when gpg reports DECRYPTION_OKAY', async () => {
    const plain = Buffer.alloc(32, 9);
    const ok = createPgpKeySource({
      runGpg: () => Promise.resolve(result({ stdout: Buffer.from(plain), stderr: '[GNUPG:] DECRYPTION_OKAY\n' })),
    });
    expect(Buffer.from(await ok.unwrap({ type: 'pgp', fp: FP, enc: ARMOR, created_at: '' })).equals(plain)).toBe(true);

    const silent = createPgpKeySource({ runGpg: () => Promise.resolve(result({ stdout: Buffer.from(plain) })) });
    await expect(silent.unwrap({ type: 'pgp', fp: FP, enc: ARMOR, created_at: '' })).rejects.toMatchObject({
      code: 'CRYPTO',
    });
  });

  it('names the fingerprint and the key id on NO_SECKEY', async () => {
    const source = createPgpKeySource({
      gnupgHome: '/keys/home',
      runGpg: () =>
        Promise.resolve(
          result({
            exitCode: 2,
            stderr:
              '[GNUPG:] ENC_TO 25294A17CD90507F 1 0\n[GNUPG:] NO_SECKEY 25294A17CD90507F\n[GNUPG:] DECRYPTION_FAILED\ngpg: decryption failed: No secret key\n',
          }),
        ),
    });
    const err: unknown = await source
      .unwrap({ type: 'pgp', fp: FP, enc: ARMOR, created_at: '' })
      .catch((e: unknown) => e);
    expect(isAppError(err)).toBe(true);
    if (!isAppError(err)) return;
    expect(err.code).toBe('CRYPTO');
    expect(err.message).toContain(FP);
    expect(err.message).toContain('25294A17CD90507F');
    expect(err.message).toContain('/keys/home');
    expect(err.hint).toContain('gpg --import');
  });

  it('refuses a fingerprint that would read as an option, and an entry that is not armored', async () => {
    expect(() => normalizeFingerprint('--homedir')).toThrow(/not a PGP key fingerprint/);
    const source = createPgpKeySource({ runGpg: () => Promise.reject(new Error('not called')) });
    await expect(source.unwrap({ type: 'pgp', fp: FP, enc: 'garbage', created_at: '' })).rejects.toMatchObject({
      code: 'SOPS',
    });
  });

  it('says so when gpg was stopped (timeout) instead of finishing', async () => {
    const source = createPgpKeySource({ runGpg: () => Promise.resolve(result({ exitCode: null })) });
    await expect(source.unwrap({ type: 'pgp', fp: FP, enc: ARMOR, created_at: '' })).rejects.toMatchObject({
      code: 'CRYPTO',
      message: expect.stringMatching(/stopped before it finished/),
    });
  });

  it('formats created_at as RFC 3339 with whole seconds', () => {
    expect(rfc3339Seconds(new Date('2019-08-29T22:22:04.5Z'))).toBe('2019-08-29T22:22:04Z');
  });
});
