// The Cloud KMS emulator against the official client (gRPC): AAD binding, CRC32C fields, the service's status
// codes and wording, the call counter, and a clean stop.
import { KeyManagementServiceClient } from '@google-cloud/kms';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c } from './crc32c';
import { start, type GcpKmsEmulator } from './index';

describe('gcp-kms emulator', () => {
  let kms: GcpKmsEmulator;
  let client: KeyManagementServiceClient;

  beforeAll(async () => {
    kms = await start();
    client = new KeyManagementServiceClient({
      apiEndpoint: '127.0.0.1',
      port: kms.port,
      sslCreds: grpc.credentials.createInsecure(),
      universeDomain: 'googleapis.com',
    });
  });
  afterAll(async () => {
    await client.close();
    await kms.stop();
  });

  it('computes CRC32C like the service (RFC 3720 check value)', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('binds additionalAuthenticatedData into the ciphertext', async () => {
    const key = kms.createKey();
    const aad = Buffer.from('atmos:prod');
    const [enc] = await client.encrypt({
      name: key.name,
      plaintext: Buffer.from('data key'),
      additionalAuthenticatedData: aad,
    });
    expect(enc.name).toBe(key.primaryVersion);
    expect(enc.verifiedPlaintextCrc32c).toBe(false);
    const [dec] = await client.decrypt({
      name: key.name,
      ciphertext: enc.ciphertext,
      additionalAuthenticatedData: aad,
    });
    expect(Buffer.from(dec.plaintext as Uint8Array).toString()).toBe('data key');
    expect(dec.usedPrimary).toBe(true);
    await expect(
      client.decrypt({
        name: key.name,
        ciphertext: enc.ciphertext,
        additionalAuthenticatedData: Buffer.from('atmos:dev'),
      }),
    ).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: "Decryption failed: verify that 'name' refers to the correct CryptoKey.",
    });
    await expect(client.decrypt({ name: key.name, ciphertext: enc.ciphertext })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
    });
  });

  it('checks and returns the CRC32C fields', async () => {
    const key = kms.createKey();
    const plaintext = Buffer.from('abc');
    const [enc] = await client.encrypt({ name: key.name, plaintext, plaintextCrc32c: { value: crc32c(plaintext) } });
    expect(enc.verifiedPlaintextCrc32c).toBe(true);
    expect(String(enc.ciphertextCrc32c?.value)).toBe(String(crc32c(enc.ciphertext as Uint8Array)));
    await expect(client.encrypt({ name: key.name, plaintext, plaintextCrc32c: { value: 1 } })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: 'The checksum in field plaintext_crc32c did not match the data in field plaintext.',
    });
  });

  it('answers NOT_FOUND and PERMISSION_DENIED as the API does', async () => {
    const missing = 'projects/test-project/locations/global/keyRings/sops/cryptoKeys/none';
    await expect(client.encrypt({ name: missing, plaintext: Buffer.from('x') })).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
      details: `CryptoKey ${missing} not found.`,
    });
    const key = kms.createKey();
    kms.denyAccess(key.name, 'Encrypt');
    await expect(client.encrypt({ name: key.name, plaintext: Buffer.from('x') })).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
      details: `Permission 'cloudkms.cryptoKeyVersions.useToEncrypt' denied on resource '${key.name}' (or it may not exist).`,
    });
  });

  it('counts calls, including failed ones', async () => {
    kms.calls.reset();
    const key = kms.createKey();
    await client.encrypt({ name: key.name, plaintext: Buffer.from('x') });
    await client.decrypt({ name: key.name, ciphertext: Buffer.from('garbage') }).catch(() => undefined);
    expect(kms.calls.snapshot()).toEqual({ Encrypt: 1, Decrypt: 1 });
  });
});
