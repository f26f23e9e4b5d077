// How a gcp/secretmanager store holds a value, as Atmos' GSM store does: the payload is the value JSON-encoded
// (Atmos json.Marshal's it), and on the way out a JSON string comes back as that string while anything else (a
// structured value, or raw text another tool wrote) comes back as the stored text. The 64 KiB payload limit
// applies to the encoded bytes; both checks happen before any call. CRC32C guards the payload both ways.
import { AppError } from '../../../shared/errors';
import { crc32c } from '../../sops/keysources/gcp-kms/crc32c';
import { utf8Bytes } from '../secret-store';
import { ValueTooLargeError, type SecretErrorSubject } from '../store-errors';

/** Secret Manager's payload limit. */
export const GCP_MAX_PAYLOAD_BYTES = 64 * 1024;
/** The largest plain value (no characters JSON must escape): the limit less JSON's two quotes. */
export const GCP_MAX_VALUE_BYTES = GCP_MAX_PAYLOAD_BYTES - 2;

export interface EncodedPayload {
  readonly data: Buffer;
  readonly dataCrc32c: number;
}

export function encodeGcpValue(value: string, subject: SecretErrorSubject): EncodedPayload {
  if (utf8Bytes(value) > GCP_MAX_VALUE_BYTES) {
    throw new ValueTooLargeError(subject, GCP_MAX_VALUE_BYTES, 'a Secret Manager version');
  }
  const data = Buffer.from(JSON.stringify(value), 'utf8');
  if (data.length > GCP_MAX_PAYLOAD_BYTES) {
    throw new ValueTooLargeError(
      subject,
      GCP_MAX_PAYLOAD_BYTES,
      'a Secret Manager version, counted as JSON-encoded text (quotes, backslashes and control characters take two or more bytes)',
    );
  }
  return { data, dataCrc32c: crc32c(data) };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The value of an accessed payload. `dataCrc32c` (returned by the service) is checked when present; a payload
 * that is not UTF-8 text (a binary secret another tool wrote) is refused rather than mangled.
 */
export function decodeGcpPayload(
  data: Uint8Array,
  dataCrc32c: string | undefined,
  subject: SecretErrorSubject & { readonly secretId: string },
): string {
  if (dataCrc32c !== undefined && dataCrc32c !== String(crc32c(data))) {
    throw new AppError(
      'BACKEND',
      `the value of secret "${subject.secret}" from store "${subject.store}" (${subject.secretId}) failed its CRC32C check (corrupted in transit)`,
      { hint: 'Try again; if it persists, check proxies between you and Secret Manager.' },
    );
  }
  let raw: string;
  try {
    raw = utf8.decode(data);
  } catch {
    throw new AppError(
      'BACKEND',
      `secret "${subject.secret}" in store "${subject.store}" (${subject.secretId}) holds ${data.length} bytes that are not UTF-8 text`,
      { hint: 'Atmos Secrets handles text values; read binary secrets with gcloud secrets versions access.' },
    );
  }
  try {
    const decoded: unknown = JSON.parse(raw);
    return typeof decoded === 'string' ? decoded : raw;
  } catch {
    return raw;
  }
}
