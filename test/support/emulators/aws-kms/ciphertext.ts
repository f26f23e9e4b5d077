// The emulator's ciphertext blob. Like real KMS, the blob names its key (so Decrypt needs no KeyId) and is
// authenticated together with the encryption context: any change to either fails with InvalidCiphertextException.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 0x01;
const IV_LEN = 12;
const TAG_LEN = 16;

/** Canonical form of an encryption context: key order must not matter, as in KMS. */
export function canonicalContext(context: Readonly<Record<string, string>> | undefined): Buffer {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

export function sealBlob(
  keyId: string,
  material: Buffer,
  plaintext: Buffer,
  context: Readonly<Record<string, string>> | undefined,
): Buffer {
  const id = Buffer.from(keyId, 'utf8');
  const header = Buffer.concat([Buffer.from([VERSION, id.length]), id]);
  const iv = randomBytes(IV_LEN);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(Buffer.concat([header, canonicalContext(context)]));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), ct]);
}

/** The key id a blob claims, or undefined when the blob is not one of ours. */
export function blobKeyId(blob: Buffer): string | undefined {
  if (blob.length < 2 || blob[0] !== VERSION) return undefined;
  const idLen = blob[1]!;
  if (blob.length < 2 + idLen + IV_LEN + TAG_LEN) return undefined;
  return blob.subarray(2, 2 + idLen).toString('utf8');
}

/** Opens a blob; undefined when authentication fails (wrong key material, context, or tampering). */
export function openBlob(
  blob: Buffer,
  material: Buffer,
  context: Readonly<Record<string, string>> | undefined,
): Buffer | undefined {
  const idLen = blob[1]!;
  const headerEnd = 2 + idLen;
  const iv = blob.subarray(headerEnd, headerEnd + IV_LEN);
  const tag = blob.subarray(headerEnd + IV_LEN, headerEnd + IV_LEN + TAG_LEN);
  const ct = blob.subarray(headerEnd + IV_LEN + TAG_LEN);
  try {
    const decipher = createDecipheriv('aes-256-gcm', material, iv);
    decipher.setAAD(Buffer.concat([blob.subarray(0, headerEnd), canonicalContext(context)]));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    return undefined;
  }
}
