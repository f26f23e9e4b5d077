import { describe, expect, it } from 'vitest';
import { newAgeKey } from '../../../../../test/support/fixtures/sops/age-keys';
import { isAppError } from '../../../../shared/errors';
import { AgeKeySource } from './age-key-source';

describe('AgeKeySource', () => {
  it.each([false, true])('wraps and unwraps (post-quantum: %s)', async (pq) => {
    const k = await newAgeKey(pq);
    const src = new AgeKeySource({ identities: [k.identity] });
    const entry = await src.wrap(new Uint8Array(33).fill(9), { type: 'age', recipient: k.recipient });
    expect(entry.enc).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n[\s\S]*-----END AGE ENCRYPTED FILE-----\n$/);
    expect(Buffer.from(await src.unwrap(entry)).equals(Buffer.alloc(33, 9))).toBe(true);
  });

  it('never quotes a malformed key in its error', async () => {
    const k = await newAgeKey();
    const entry = await new AgeKeySource().wrap(new Uint8Array(32), { type: 'age', recipient: k.recipient });
    const bad = 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ';
    const e: unknown = await new AgeKeySource({ identities: [bad] }).unwrap(entry).catch((err: unknown) => err);
    expect(isAppError(e) && e.code === 'CRYPTO').toBe(true);
    expect(String((e as Error).message)).not.toContain(bad);
  });

  it('refuses recipients it cannot encrypt to', async () => {
    const e: unknown = await new AgeKeySource()
      .wrap(new Uint8Array(32), { type: 'age', recipient: 'ssh-ed25519 AAAA' })
      .catch((err: unknown) => err);
    expect(isAppError(e) && e.code === 'CONFIG').toBe(true);
  });
});
