// The shapes of Vault's KV v2 answers the adapter reads (backends-wire.md §3), parsed with zod so a surprising
// answer is a clear error instead of an `undefined` deep in the code. A value is never part of a message.
import { z } from 'zod';
import { AppError } from '../../../shared/errors';

/** The one field a declared secret's value lives in, as Atmos writes it. */
export const VAULT_FIELD = 'value';

const dataReadSchema = z.object({
  data: z.object({ data: z.record(z.string(), z.unknown()).nullable() }),
});

const metadataSchema = z.object({
  data: z.object({
    current_version: z.number().int(),
    versions: z.record(
      z.string(),
      z.object({ created_time: z.string(), deletion_time: z.string(), destroyed: z.boolean() }),
    ),
  }),
});

export interface ParseSubject {
  readonly store: string;
  readonly secret: string;
  readonly location: string;
}

function unexpected(s: ParseSubject, what: string): AppError {
  return new AppError(
    'BACKEND',
    `store "${s.store}" (hashicorp/vault) got an unexpected answer for secret "${s.secret}" (${s.location}): ${what}`,
    { hint: 'Is options.mount a KV version 2 engine? (KV version 1 has no data/ and metadata/ paths.)' },
  );
}

/** A Go time (RFC 3339, nanoseconds); undefined for "" (not deleted) or an unreadable time. */
function goTime(text: string): Date | undefined {
  if (text === '') return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * The `value` field of a data read. A non-string value (written by another tool as JSON) comes back as its JSON
 * text, as the keychain store does. A secret without the field is an error naming the fields it has.
 */
export function parseDataRead(body: unknown, s: ParseSubject): string | undefined {
  const parsed = dataReadSchema.safeParse(body);
  if (!parsed.success) throw unexpected(s, 'no data.data object');
  const data = parsed.data.data.data;
  if (data === null) return undefined;
  if (!Object.hasOwn(data, VAULT_FIELD)) {
    const fields = Object.keys(data);
    throw new AppError(
      'BACKEND',
      `secret "${s.secret}" in store "${s.store}" (${s.location}) has no "${VAULT_FIELD}" field` +
        ` (its fields: ${fields.length > 0 ? fields.map((f) => JSON.stringify(f)).join(', ') : 'none'})`,
      {
        hint: `Atmos keeps a declared secret in the "${VAULT_FIELD}" field; move the value there or point the secret elsewhere.`,
      },
    );
  }
  const value = data[VAULT_FIELD];
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export interface MetadataVersion {
  readonly version: number;
  readonly createdTime: Date | undefined;
  readonly deletionTime: Date | undefined;
  readonly destroyed: boolean;
}

export function parseMetadata(
  body: unknown,
  s: ParseSubject,
): { readonly currentVersion: number; readonly versions: MetadataVersion[] } {
  const parsed = metadataSchema.safeParse(body);
  if (!parsed.success) throw unexpected(s, 'metadata without current_version and versions');
  const versions = Object.entries(parsed.data.data.versions).map(([n, v]) => ({
    version: Number(n),
    createdTime: goTime(v.created_time),
    deletionTime: goTime(v.deletion_time),
    destroyed: v.destroyed,
  }));
  return {
    currentVersion: parsed.data.data.current_version,
    versions: versions.filter((v) => Number.isInteger(v.version)),
  };
}

/** Go's encoding/json escapes <, > and & (and U+2028/9) as \u003c...: the stored form is that big. */
export function goJsonBytes(value: unknown): number {
  const text = JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return Buffer.byteLength(text, 'utf8');
}
