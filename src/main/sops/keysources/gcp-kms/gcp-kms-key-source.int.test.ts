// The GCP KMS key source through the real @google-cloud/kms client (gRPC) against the loopback Cloud KMS emulator:
// round trips, a key that cannot open another key's ciphertext, clear errors naming the resource, retries.
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppError, isAppError } from '../../../../shared/errors';
import { start, type GcpKmsEmulator } from '../../../../../test/support/emulators/gcp-kms';
import { createGcpKmsKeySource, type GcpKmsApi, type GcpKmsKeySource, defaultGcpKmsClientFactory } from './index';

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isAppError(e)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

describe('gcp-kms key source (emulator)', () => {
  let kms: GcpKmsEmulator;
  let source: GcpKmsKeySource;

  beforeAll(async () => {
    kms = await start();
    source = createGcpKmsKeySource({
      now: () => new Date('2026-11-30T01:02:03.999Z'),
      clientOptions: {
        apiEndpoint: '127.0.0.1',
        port: kms.port,
        sslCreds: grpc.credentials.createInsecure(),
        // With an explicit universe domain google-auth-library does not probe the GCE metadata server.
        universeDomain: 'googleapis.com',
      },
    });
  });
  afterAll(async () => {
    await source.close();
    await kms.stop();
  });

  it('round-trips a data key, in the sops entry shape', async () => {
    const key = kms.createKey();
    const dataKey = new Uint8Array(randomBytes(32));
    const entry = await source.wrap(dataKey, { type: 'gcp_kms', resource_id: key.name });
    expect(entry).toMatchObject({ type: 'gcp_kms', resource_id: key.name, created_at: '2026-11-30T01:02:03Z' });
    expect(entry.enc).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(await source.unwrap(entry)).equals(Buffer.from(dataKey))).toBe(true);
  });

  it('still unwraps after the key is rotated (the ciphertext names its version)', async () => {
    const key = kms.createKey();
    const entry = await source.wrap(new Uint8Array(33).fill(5), { type: 'gcp_kms', resource_id: key.name });
    kms.rotateKey(key.name);
    expect(await source.unwrap(entry)).toEqual(new Uint8Array(33).fill(5));
  });

  it("refuses another key's ciphertext, naming the resource", async () => {
    const a = kms.createKey();
    const b = kms.createKey();
    const entry = await source.wrap(new Uint8Array(32), { type: 'gcp_kms', resource_id: a.name });
    const err = await failure(source.unwrap({ ...entry, resource_id: b.name }));
    expect(err.code).toBe('CRYPTO');
    expect(err.message).toContain(b.name);
    expect(err.message).toMatch(/Decryption failed/);
  });

  it('refuses an unknown key with an error naming the resource id', async () => {
    const name = 'projects/test-project/locations/global/keyRings/sops/cryptoKeys/missing';
    const err = await failure(source.wrap(new Uint8Array(32), { type: 'gcp_kms', resource_id: name }));
    expect(err.code).toBe('CRYPTO');
    expect(err.message).toContain(name);
    expect(err.message).toMatch(/does not exist/);
  });

  it('reports permission denied and disabled versions as CRYPTO with a hint', async () => {
    const key = kms.createKey();
    const entry = await source.wrap(new Uint8Array(32), { type: 'gcp_kms', resource_id: key.name });
    kms.denyAccess(key.name, 'Decrypt');
    const denied = await failure(source.unwrap(entry));
    expect(denied.code).toBe('CRYPTO');
    expect(denied.message).toContain(key.name);
    expect(denied.hint).toContain('useToDecrypt');

    const other = kms.createKey();
    const entry2 = await source.wrap(new Uint8Array(32), { type: 'gcp_kms', resource_id: other.name });
    kms.setVersionState(other.primaryVersion, 'DISABLED');
    const disabled = await failure(source.unwrap(entry2));
    expect(disabled.code).toBe('CRYPTO');
    expect(disabled.message).toMatch(/not enabled/);
  });

  it('retries UNAVAILABLE (the client does) and reports RESOURCE_EXHAUSTED as throttling', async () => {
    const key = kms.createKey();
    kms.calls.reset();
    kms.injectFault('unavailable', 1, 'Encrypt');
    const entry = await source.wrap(new Uint8Array(32), { type: 'gcp_kms', resource_id: key.name });
    expect(kms.calls.of('Encrypt')).toBe(2);

    kms.injectFault('resource-exhausted', 1, 'Decrypt');
    const err = await failure(source.unwrap(entry));
    expect(err.code).toBe('THROTTLED');
    expect(err.message).toContain(key.name);
  });

  it('detects a response corrupted in transit by its CRC32C', async () => {
    const key = kms.createKey();
    const real = defaultGcpKmsClientFactory({
      apiEndpoint: '127.0.0.1',
      port: kms.port,
      sslCreds: grpc.credentials.createInsecure(),
      universeDomain: 'googleapis.com',
    });
    // A proxy that flips one bit of the ciphertext but leaves the checksum the service computed.
    const flipping: GcpKmsApi = {
      encrypt: async (req) => {
        const res = (await real.encrypt(req)) as { ciphertext: Buffer };
        const ciphertext = Buffer.from(res.ciphertext);
        ciphertext[0]! ^= 1;
        return { ...res, ciphertext };
      },
      decrypt: (req) => real.decrypt(req),
      close: () => real.close(),
    };
    const corrupting = createGcpKmsKeySource({ clientFactory: () => flipping });
    try {
      const err = await failure(corrupting.wrap(new Uint8Array(32), { type: 'gcp_kms', resource_id: key.name }));
      expect(err.code).toBe('BACKEND');
      expect(err.message).toMatch(/CRC32C/);
    } finally {
      await corrupting.close();
    }
  });

  it('refuses a malformed resource id before any call', async () => {
    kms.calls.reset();
    const err = await failure(
      source.wrap(new Uint8Array(32), { type: 'gcp_kms', resource_id: 'projects/p/keyRings/r' }),
    );
    expect(err.code).toBe('CONFIG');
    expect(kms.calls.total).toBe(0);
  });
});
