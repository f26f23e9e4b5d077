// The AWS KMS emulator against the official SDK: the public API's shapes (GenerateDataKey, errors by __type,
// context binding, IncorrectKeyException), the call counter, and a clean stop.
import { DecryptCommand, EncryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type AwsKmsEmulator } from './index';

describe('aws-kms emulator', () => {
  let kms: AwsKmsEmulator;
  let client: KMSClient;

  beforeAll(async () => {
    kms = await start();
    client = new KMSClient({
      region: 'us-east-1',
      endpoint: kms.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await kms.stop();
  });

  it('generates a data key whose ciphertext decrypts to the same plaintext', async () => {
    const key = kms.createKey();
    const out = await client.send(
      new GenerateDataKeyCommand({ KeyId: key.arn, KeySpec: 'AES_256', EncryptionContext: { a: '1' } }),
    );
    expect(out.Plaintext).toHaveLength(32);
    expect(out.KeyId).toBe(key.arn);
    const back = await client.send(
      new DecryptCommand({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: { a: '1' } }),
    );
    expect(Buffer.from(back.Plaintext!).equals(Buffer.from(out.Plaintext!))).toBe(true);
    expect(back.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
  });

  it('binds the encryption context and the key', async () => {
    const key = kms.createKey({ alias: 'bound' });
    const other = kms.createKey();
    const enc = await client.send(
      new EncryptCommand({ KeyId: 'alias/bound', Plaintext: new Uint8Array([1, 2, 3]), EncryptionContext: { x: 'y' } }),
    );
    expect(enc.KeyId).toBe(key.arn);
    await expect(client.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))).rejects.toMatchObject({
      name: 'InvalidCiphertextException',
    });
    await expect(
      client.send(
        new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { x: 'y' }, KeyId: other.arn }),
      ),
    ).rejects.toMatchObject({ name: 'IncorrectKeyException' });
    const tampered = Buffer.from(enc.CiphertextBlob!);
    tampered[tampered.length - 1]! ^= 1;
    await expect(
      client.send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: { x: 'y' } })),
    ).rejects.toMatchObject({
      name: 'InvalidCiphertextException',
    });
  });

  it('answers unknown keys and bad input with the service error types', async () => {
    await expect(
      client.send(new EncryptCommand({ KeyId: 'alias/none', Plaintext: new Uint8Array([1]) })),
    ).rejects.toMatchObject({
      name: 'NotFoundException',
      message: `Alias arn:aws:kms:us-east-1:${kms.account}:alias/none is not found.`,
      $metadata: { httpStatusCode: 400 },
    });
    const key = kms.createKey();
    await expect(
      client.send(new EncryptCommand({ KeyId: key.arn, Plaintext: new Uint8Array(4097) })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(client.send(new GenerateDataKeyCommand({ KeyId: key.arn }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('refuses unsigned requests and counts every call', async () => {
    kms.calls.reset();
    const res = await fetch(kms.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Encrypt' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
    expect(kms.calls.of('Encrypt')).toBe(1);
    expect(kms.calls.total).toBe(1);
  });

  it('injects 5xx faults that surface with their status', async () => {
    const key = kms.createKey();
    kms.injectFault('unavailable');
    await expect(
      client.send(new EncryptCommand({ KeyId: key.arn, Plaintext: new Uint8Array([1]) })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 503 },
    });
  });
});
