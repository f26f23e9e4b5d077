// Unit tests of the gcp/secretmanager pieces that need no server: the value form (Atmos' JSON, the 64 KiB limit
// on the encoded bytes, CRC32C, non-UTF-8 payloads), the gRPC status mapping, and the options.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { crc32c } from '../../sops/keysources/gcp-kms/crc32c';
import { parseStoreConfig } from '../store-config';
import { SecretNotFoundError, StoreAuthError, StoreThrottledError, ValueTooLargeError } from '../store-errors';
import {
  GcpRequestError,
  GcpUnavailableError,
  GcpVersionNotEnabledError,
  GRPC,
  isRetryable,
  mapGcpError,
  type GcpCallSubject,
} from './gcp-errors';
import { parseGcpOptions } from './gcp-options';
import { decodeGcpPayload, encodeGcpValue, GCP_MAX_PAYLOAD_BYTES, GCP_MAX_VALUE_BYTES } from './gcp-value';

const subject = { secret: 'DB_PASSWORD', store: 'gsm' };
const about: GcpCallSubject = { ...subject, secretId: 'plat_dev_api_DB_PASSWORD', operation: 'AccessSecretVersion' };

function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} X: ${details}`), { code, details });
}

describe('gcp value form', () => {
  it.each(['plain', '', '"quoted"', '{"a":1}', 'line\nbreak', 'ünïcødé 🔑'])(
    'round-trips %j as Atmos writes it',
    (v) => {
      const encoded = encodeGcpValue(v, subject);
      expect(encoded.data.toString('utf8')).toBe(JSON.stringify(v));
      expect(encoded.dataCrc32c).toBe(crc32c(encoded.data));
      expect(decodeGcpPayload(encoded.data, String(encoded.dataCrc32c), { ...subject, secretId: 'x' })).toBe(v);
    },
  );

  it('reads text another tool wrote as stored, and a JSON string written by Atmos as its text', () => {
    const read = (s: string): string => decodeGcpPayload(Buffer.from(s), undefined, { ...subject, secretId: 'x' });
    expect(read('not json')).toBe('not json');
    expect(read('{"user":"x"}')).toBe('{"user":"x"}');
    expect(read('42')).toBe('42');
    expect(read('"from atmos"')).toBe('from atmos');
  });

  it('limits the plain value and the encoded payload, naming the limit and never the value', () => {
    expect(encodeGcpValue('a'.repeat(GCP_MAX_VALUE_BYTES), subject).data.length).toBe(GCP_MAX_PAYLOAD_BYTES);
    const over = 'b'.repeat(GCP_MAX_VALUE_BYTES + 1);
    expect(() => encodeGcpValue(over, subject)).toThrow(ValueTooLargeError);
    expect(() => encodeGcpValue(over, subject)).toThrow(String(GCP_MAX_VALUE_BYTES));
    expect(() => encodeGcpValue(over, subject)).not.toThrow(/bbbbbbbb/);
    expect(() => encodeGcpValue('"'.repeat(33_000), subject)).toThrow(String(GCP_MAX_PAYLOAD_BYTES));
  });

  it('refuses a payload whose CRC32C does not match, and one that is not UTF-8', () => {
    const data = Buffer.from('"v"');
    expect(() => decodeGcpPayload(data, String(crc32c(data) + 1), { ...subject, secretId: 'x' })).toThrow(
      /failed its CRC32C check/,
    );
    expect(() => decodeGcpPayload(Buffer.from([0xc3, 0x28]), undefined, { ...subject, secretId: 'x' })).toThrow(
      /not UTF-8 text/,
    );
  });
});

describe('gcp error mapping (by status code, never by text)', () => {
  it.each<[string, number, object, new (...a: never[]) => AppError, string]>([
    ['NOT_FOUND on a read', GRPC.NOT_FOUND, { notFound: true }, SecretNotFoundError, 'SECRET_NOT_FOUND'],
    ['NOT_FOUND elsewhere', GRPC.NOT_FOUND, {}, GcpRequestError, 'BACKEND'],
    [
      'FAILED_PRECONDITION on access',
      GRPC.FAILED_PRECONDITION,
      { versionState: true },
      GcpVersionNotEnabledError,
      'SECRET_NOT_FOUND',
    ],
    ['PERMISSION_DENIED', GRPC.PERMISSION_DENIED, {}, StoreAuthError, 'AUTH'],
    ['UNAUTHENTICATED', GRPC.UNAUTHENTICATED, {}, StoreAuthError, 'AUTH'],
    ['RESOURCE_EXHAUSTED', GRPC.RESOURCE_EXHAUSTED, {}, StoreThrottledError, 'THROTTLED'],
    ['UNAVAILABLE', GRPC.UNAVAILABLE, {}, GcpUnavailableError, 'BACKEND'],
    ['INTERNAL', GRPC.INTERNAL, {}, GcpUnavailableError, 'BACKEND'],
    ['DEADLINE_EXCEEDED', GRPC.DEADLINE_EXCEEDED, {}, GcpUnavailableError, 'BACKEND'],
    ['INVALID_ARGUMENT', GRPC.INVALID_ARGUMENT, {}, GcpRequestError, 'BACKEND'],
  ])('%s', (_label, code, options, type, appCode) => {
    const e = mapGcpError(grpcError(code, 'the service said so'), about, options);
    expect(e).toBeInstanceOf(type);
    expect(e.code).toBe(appCode);
    expect(e.message).toContain('"gsm"');
  });

  it('keeps the service words and the secret in the message, retries only the transient codes', () => {
    const e = mapGcpError(grpcError(GRPC.UNAVAILABLE, 'The service is currently unavailable.'), about);
    expect(e.message).toBe(
      'store "gsm" is unavailable for secret "DB_PASSWORD" (plat_dev_api_DB_PASSWORD): AccessSecretVersion failed: UNAVAILABLE: The service is currently unavailable.',
    );
    expect(isRetryable(e)).toBe(true);
    expect(isRetryable(mapGcpError(grpcError(GRPC.RESOURCE_EXHAUSTED, 'quota'), about))).toBe(true);
    expect(isRetryable(mapGcpError(grpcError(GRPC.DEADLINE_EXCEEDED, 'late'), about))).toBe(false);
    expect(isRetryable(mapGcpError(grpcError(GRPC.INVALID_ARGUMENT, 'bad'), about))).toBe(false);
  });

  it('blanks the value out of the service words', () => {
    const e = mapGcpError(grpcError(GRPC.INVALID_ARGUMENT, 'payload hunter2-secret rejected'), about, {
      value: 'hunter2-secret',
    });
    expect(e.message).not.toContain('hunter2-secret');
    expect(e.message).toContain('[value]');
  });
});

describe('gcp options', () => {
  const config = (options: Record<string, unknown>, identity?: string) =>
    parseStoreConfig('gsm', { kind: 'gcp/secretmanager', secret: true, options, ...(identity ? { identity } : {}) });

  it('reads the endpoint kinds: default, TLS, loopback emulator', () => {
    expect(parseGcpOptions(config({ project_id: 'my-project' })).endpoint).toEqual({ kind: 'default' });
    expect(parseGcpOptions(config({ endpoint: 'https://secretmanager.us-east1.rep.googleapis.com' })).endpoint).toEqual(
      {
        kind: 'tls',
        host: 'secretmanager.us-east1.rep.googleapis.com',
        port: 443,
      },
    );
    expect(parseGcpOptions(config({ project_id: 'p-12345', endpoint: 'http://localhost:8085' })).endpoint).toEqual({
      kind: 'insecure',
      host: 'localhost',
      port: 8085,
    });
  });

  it.each<[string, Record<string, unknown>, RegExp, string?]>([
    ['an unknown option', { project: 'x' }, /unknown option\(s\) project/],
    ['inline credentials', { credentials: '{}' }, /options\.credentials/],
    ['plain http off this machine', { project_id: 'p-12345', endpoint: 'http://example.com' }, /only for an emulator/],
    ['an endpoint with a path', { endpoint: 'https://example.com/v1' }, /with a path/],
    ['an emulator without project_id', { endpoint: 'http://127.0.0.1:1' }, /no options\.project_id/],
    [
      'an identity with an emulator',
      { project_id: 'p-12345', endpoint: 'http://127.0.0.1:1' },
      /no credentials are sent/,
      'sa',
    ],
    ['a bad location', { locations: ['US East'] }, /options\.locations\.0/],
    ['a zero concurrency', { concurrency: 0 }, /options\.concurrency/],
  ])('refuses %s with a CONFIG error naming the store', (_label, options, message, identity) => {
    const e = (() => {
      try {
        parseGcpOptions(config(options, identity));
      } catch (err) {
        return err;
      }
      throw new Error('expected a refusal');
    })();
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('CONFIG');
    expect((e as AppError).message).toContain('store "gsm" (gcp/secretmanager)');
    expect((e as AppError).message).toMatch(message);
  });
});
