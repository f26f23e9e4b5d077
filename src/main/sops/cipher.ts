// The `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` value encoding: AES-256-GCM from node:crypto with sops'
// 32-byte IVs and the key path as AAD. The IV stash remembers the ciphertext each plaintext was decrypted from, so
// re-encrypting an unchanged value under the same data key gives the same bytes (clean git diffs, as sops).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VALUE_TYPES, type ValueType } from './go-values';

const ENC_RE = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const IV_SIZE = 32;
const TAG_SIZE = 16;

export interface EncValue {
  readonly data: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly type: ValueType;
}

/** Why a string is not a well-formed ENC[] value, or the parts. Messages never quote the value. */
export function parseEncValue(s: string): EncValue | { error: string } {
  const m = ENC_RE.exec(s);
  if (!m) return { error: 'is not an ENC[AES256_GCM,...] value' };
  const [, data, iv, tag, type] = m;
  for (const [name, b64] of [
    ['data', data],
    ['iv', iv],
    ['tag', tag],
  ] as const) {
    if (!B64_RE.test(b64)) return { error: `has a malformed base64 ${name}` };
  }
  if (!(VALUE_TYPES as readonly string[]).includes(type)) return { error: `has an unknown value type "${type}"` };
  const parts = {
    data: Buffer.from(data, 'base64'),
    iv: Buffer.from(iv, 'base64'),
    tag: Buffer.from(tag, 'base64'),
    type: type as ValueType,
  };
  if (parts.iv.length === 0) return { error: 'has an empty IV' };
  if (parts.tag.length !== TAG_SIZE) return { error: `has a ${parts.tag.length}-byte tag (GCM tags are 16 bytes)` };
  return parts;
}

export function isEncValue(s: string): boolean {
  return ENC_RE.test(s);
}

/**
 * Remembers, per plaintext+AAD, the ENC[] text (and so the IV) a value was decrypted from. Re-encrypting the same
 * plaintext under the same data key then gives the very same bytes (clean diffs), and skips the cipher. It
 * lives only as long as the decrypted tree it belongs to, which holds the same plaintexts anyway.
 */
export class IvStash {
  private readonly entries = new Map<string, string>();

  private static id(type: ValueType, aad: string, plaintext: Uint8Array): string {
    return `${type}\0${aad}\0${Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength).toString('latin1')}`;
  }

  /** `enc` must be the ENC[] text that decrypted to exactly `plaintext` with this type and AAD. */
  remember(type: ValueType, aad: string, plaintext: Uint8Array, enc: string): void {
    this.entries.set(IvStash.id(type, aad, plaintext), enc);
  }

  lookup(type: ValueType, aad: string, plaintext: Uint8Array): string | undefined {
    return this.entries.get(IvStash.id(type, aad, plaintext));
  }
}

/** AES-256-GCM-decrypts one parsed value; undefined when authentication fails. */
export function decryptParts(key: Uint8Array, parts: EncValue, aad: string): Buffer | undefined {
  try {
    const d = createDecipheriv('aes-256-gcm', key, parts.iv);
    d.setAAD(Buffer.from(aad, 'utf8'));
    d.setAuthTag(parts.tag);
    return Buffer.concat([d.update(parts.data), d.final()]);
  } catch {
    return undefined;
  }
}

// IVs come from a pooled CSPRNG buffer: one randomBytes call per 512 IVs instead of one per value.
const IV_POOL_SIZE = IV_SIZE * 512;
let ivPool = Buffer.alloc(0);
let ivPoolAt = 0;

function freshIv(): Buffer {
  if (ivPoolAt + IV_SIZE > ivPool.length) {
    ivPool = randomBytes(IV_POOL_SIZE);
    ivPoolAt = 0;
  }
  // A copy, so no two values ever share the pool's memory.
  const iv = Buffer.from(ivPool.subarray(ivPoolAt, ivPoolAt + IV_SIZE));
  ivPool.fill(0, ivPoolAt, ivPoolAt + IV_SIZE);
  ivPoolAt += IV_SIZE;
  return iv;
}

/** Encrypts bytes into the ENC[] form (a fresh 32-byte IV, unless the stash knows this plaintext already). */
export function encryptBytes(
  key: Uint8Array,
  plaintext: Uint8Array,
  type: ValueType,
  aad: string,
  stash?: IvStash,
): string {
  const known = stash?.lookup(type, aad, plaintext);
  // Same key, IV, AAD and plaintext give the same ciphertext, so the stored text is the answer.
  if (known !== undefined) return known;
  const iv = freshIv();
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([c.update(plaintext), c.final()]);
  const tag = c.getAuthTag();
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${tag.toString('base64')},type:${type}]`;
}
