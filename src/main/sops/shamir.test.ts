import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { shamirCombine, shamirSplit } from './shamir';

describe('Shamir over GF(2^8)', () => {
  it('recovers the secret from any threshold-sized subset', () => {
    const secret = randomBytes(32);
    const shares = shamirSplit(secret, 5, 3);
    expect(shares.every((s) => s.length === 33)).toBe(true);
    expect(shares.map((s) => s[32])).toEqual([1, 2, 3, 4, 5]);
    for (const subset of [
      [0, 1, 2],
      [4, 2, 0],
      [1, 3, 4],
      [0, 1, 2, 3, 4],
    ]) {
      expect(Buffer.from(shamirCombine(subset.map((i) => shares[i]))).equals(secret)).toBe(true);
    }
    expect(Buffer.from(shamirCombine([shares[0], shares[1]])).equals(secret)).toBe(false);
  });

  it('refuses bad input', () => {
    expect(() => shamirSplit(randomBytes(32), 2, 3)).toThrow();
    expect(() => shamirCombine([new Uint8Array(33)])).toThrow();
    const s = shamirSplit(randomBytes(32), 3, 2);
    expect(() => shamirCombine([s[0], s[0]])).toThrow(/duplicate/);
  });
});
