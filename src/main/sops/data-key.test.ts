// Key groups and Shamir work with any injected KeySource: here a fake "pgp" source next to real age keys,
// and the decryption order decides which member of a group is asked first.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ageGroup, newAgeKey } from '../../../test/support/fixtures/sops/age-keys';
import { AppError } from '../../shared/errors';
import { AgeKeySource } from './keysources/age';
import type { KeySource, MasterKeyEntry, MasterKeySpec } from './key-source';
import { recoverDataKey, wrapDataKey } from './data-key';

type PgpEntry = Extract<MasterKeyEntry, { type: 'pgp' }>;

/** A stand-in for the real pgp source: "wraps" by XOR with a per-fingerprint pad it keeps in memory. */
class FakePgp implements KeySource<'pgp'> {
  readonly type = 'pgp' as const;
  readonly pads = new Map<string, Buffer>();
  unwrapCalls = 0;
  constructor(private readonly known: ReadonlySet<string>) {}
  async wrap(dataKey: Uint8Array, spec: Extract<MasterKeySpec, { type: 'pgp' }>): Promise<PgpEntry> {
    const pad = randomBytes(dataKey.length);
    this.pads.set(spec.fp, pad);
    const enc = Buffer.from(dataKey.map((b, i) => b ^ pad[i])).toString('base64');
    return { type: 'pgp', fp: spec.fp, enc, created_at: '2024-01-01T00:00:00Z' };
  }
  async unwrap(entry: PgpEntry): Promise<Uint8Array> {
    this.unwrapCalls++;
    const pad = this.pads.get(entry.fp);
    if (!pad || !this.known.has(entry.fp)) throw new AppError('CRYPTO', `no secret key for ${entry.fp}`);
    return Buffer.from(Buffer.from(entry.enc, 'base64').map((b, i) => b ^ pad[i]));
  }
}

describe('key groups with any key source', () => {
  it('Shamir over an age group and a pgp group', async () => {
    const alice = await newAgeKey();
    const bob = await newAgeKey();
    const pgp = new FakePgp(new Set(['FPR1']));
    const dataKey = randomBytes(32);
    const groups = await wrapDataKey(
      dataKey,
      [ageGroup(alice), [{ type: 'pgp', fp: 'FPR1' }], ageGroup(bob)],
      { age: new AgeKeySource(), pgp },
      2,
    );
    expect(groups.map((g) => g.map((e) => e.type))).toEqual([['age'], ['pgp'], ['age']]);
    const key = await recoverDataKey(groups, {
      file: 'f.yaml',
      shamirThreshold: 2,
      sources: { age: new AgeKeySource({ identities: [alice.identity] }), pgp },
    });
    expect(Buffer.from(key).equals(dataKey)).toBe(true);
  });

  it('tries members in the decryption order (age first by default)', async () => {
    const alice = await newAgeKey();
    const pgp = new FakePgp(new Set(['FPR1']));
    const dataKey = randomBytes(32);
    const [group] = await wrapDataKey(dataKey, [[{ type: 'pgp', fp: 'FPR1' }, ...ageGroup(alice)]], {
      age: new AgeKeySource(),
      pgp,
    });
    const sources = { age: new AgeKeySource({ identities: [alice.identity] }), pgp };
    await recoverDataKey([group], { file: 'f.yaml', sources });
    expect(pgp.unwrapCalls).toBe(0);
    await recoverDataKey([group], { file: 'f.yaml', sources, decryptionOrder: ['pgp', 'age'] });
    expect(pgp.unwrapCalls).toBe(1);
  });
});
