// Unit tests for the GCP KMS key source's pure parts: resource ids, CRC32C, error mapping (gRPC codes and the REST
// fallback's HTTP statuses), GOOGLE_CREDENTIALS, and response checks, with a fake client.
import { describe, expect, it } from 'vitest';
import {
  type GcpKmsApi,
  type GcpKmsClientOptions,
  createGcpKmsKeySource,
  crc32c,
  mapGcpKmsError,
  normalizeResourceId,
} from './index';

const NAME = 'projects/p/locations/global/keyRings/r/cryptoKeys/k';

function fake(overrides: Partial<GcpKmsApi> = {}): GcpKmsApi {
  return {
    encrypt: () => Promise.reject(new Error('not stubbed')),
    decrypt: () => Promise.reject(new Error('not stubbed')),
    close: () => Promise.resolve(),
    ...overrides,
  };
}

describe('gcp-kms helpers', () => {
  it('normalises resource ids as sops does and refuses others', () => {
    expect(normalizeResourceId(' projects/p/locations/global/keyRings/r/cryptoKeys/k ')).toBe(NAME);
    expect(() => normalizeResourceId(`${NAME}/cryptoKeyVersions/1`)).toThrow(/not a GCP KMS key resource id/);
  });
  it('computes CRC32C (RFC 3720 check value)', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });
  it.each([
    [5, 'CRYPTO'],
    [404, 'CRYPTO'],
    [7, 'CRYPTO'],
    [403, 'CRYPTO'],
    [3, 'CRYPTO'],
    [9, 'CRYPTO'],
    [16, 'AUTH'],
    [8, 'THROTTLED'],
    [429, 'THROTTLED'],
    [14, 'BACKEND'],
  ])('maps status %s to %s, naming the resource', (code, expected) => {
    const e = mapGcpKmsError(Object.assign(new Error('x'), { code, details: 'detail' }), NAME, 'unwrap');
    expect(e.code).toBe(expected);
    expect(e.message).toContain(NAME);
  });
  it('maps missing application default credentials to AUTH', () => {
    const e = mapGcpKmsError(new Error('Could not load the default credentials. Browse to ...'), NAME, 'wrap');
    expect(e.code).toBe('AUTH');
  });
});

describe('gcp-kms key source (fake client)', () => {
  it('uses GOOGLE_CREDENTIALS (a path, or the JSON itself) only when no identity is injected', async () => {
    const seen: GcpKmsClientOptions[] = [];
    const factory = (o: GcpKmsClientOptions): GcpKmsApi => {
      seen.push(o);
      return fake();
    };
    const run = (options: Parameters<typeof createGcpKmsKeySource>[0]) =>
      createGcpKmsKeySource({ clientFactory: factory, ...options })
        .wrap(new Uint8Array(32), { type: 'gcp_kms', resource_id: NAME })
        .catch(() => undefined);
    await run({ env: { GOOGLE_CREDENTIALS: '/keys/sa.json' } });
    await run({ env: { GOOGLE_CREDENTIALS: '{"client_email":"a@b","private_key":"k"}' } });
    await run({ env: { GOOGLE_CREDENTIALS: '/keys/sa.json' }, clientOptions: { keyFilename: '/mine.json' } });
    await run({ env: {} });
    expect(seen[0]).toEqual({ keyFilename: '/keys/sa.json' });
    expect(seen[1]).toEqual({ credentials: { client_email: 'a@b', private_key: 'k' } });
    expect(seen[2]).toEqual({ keyFilename: '/mine.json' });
    expect(seen[3]).toEqual({});
  });

  it('sends the plaintext checksum and refuses an unverified request', async () => {
    let sent: unknown;
    const ks = createGcpKmsKeySource({
      clientFactory: () =>
        fake({
          encrypt: (req) => {
            sent = req;
            return Promise.resolve({ ciphertext: Buffer.from('ct'), verifiedPlaintextCrc32c: false });
          },
        }),
    });
    const key = new Uint8Array(32).fill(1);
    await expect(ks.wrap(key, { type: 'gcp_kms', resource_id: NAME })).rejects.toMatchObject({ code: 'BACKEND' });
    expect(sent).toMatchObject({ name: NAME, plaintextCrc32c: { value: crc32c(key) } });
  });

  it('accepts base64 bytes (REST fallback) and Long-like checksums', async () => {
    const plain = Buffer.alloc(32, 3);
    const ks = createGcpKmsKeySource({
      clientFactory: () =>
        fake({
          decrypt: () =>
            Promise.resolve({
              plaintext: plain.toString('base64'),
              plaintextCrc32c: { value: { toString: () => String(crc32c(plain)) } },
            }),
        }),
    });
    const out = await ks.unwrap({ type: 'gcp_kms', resource_id: NAME, enc: 'AAAA', created_at: '' });
    expect(Buffer.from(out).equals(plain)).toBe(true);
  });

  it('refuses an enc that is not base64 without calling the service', async () => {
    const ks = createGcpKmsKeySource({ clientFactory: () => fake() });
    await expect(
      ks.unwrap({ type: 'gcp_kms', resource_id: NAME, enc: 'not base64!', created_at: '' }),
    ).rejects.toMatchObject({
      code: 'SOPS',
    });
  });
});
