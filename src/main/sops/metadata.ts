// The `sops:` metadata block: parsed with zod from whatever the store read (YAML, JSON, flattened dotenv),
// and written back into the same ordered object so a re-encrypted file keeps its layout (and git diff).
import { basename } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { MasterKeyEntry, MasterKeyType } from './key-source';
import { DEFAULT_UNENCRYPTED_SUFFIX, RULE_KINDS, type EncryptionRule } from './rules';

/** The sops version whose format we write (JSON ints as `type:int`, alphabetical metadata for new files). */
export const SOPS_FORMAT_VERSION = '3.13.2';

// Dotenv metadata arrives as strings, YAML as bigint, JSON as number: all become one type here.
const intLike = z.union([z.number(), z.bigint(), z.string().regex(/^\d+$/)]).transform((v) => Number(v));
const boolLike = z
  .union([z.boolean(), z.enum(['true', 'false', 'True', 'False'])])
  .transform((v) => v === true || v === 'true' || v === 'True');
const text = z
  .union([z.string(), z.number(), z.bigint(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString() : String(v)));

const ageEntry = z.object({ recipient: z.string().min(1), enc: z.string().min(1) });
const pgpEntry = z.object({ fp: z.string().min(1), enc: z.string().min(1), created_at: text.optional() });
const kmsEntry = z.object({
  arn: z.string().min(1),
  role: z.string().optional(),
  context: z.record(z.string(), z.string()).nullish(),
  aws_profile: z.string().optional(),
  enc: z.string().min(1),
  created_at: text.optional(),
});
const gcpEntry = z.object({ resource_id: z.string().min(1), enc: z.string().min(1), created_at: text.optional() });
const otherList = z.array(z.record(z.string(), z.unknown())).nullish();

const keyLists = {
  age: z.array(ageEntry).nullish(),
  pgp: z.array(pgpEntry).nullish(),
  kms: z.array(kmsEntry).nullish(),
  gcp_kms: z.array(gcpEntry).nullish(),
  azure_kv: otherList,
  hc_vault: otherList,
  hckms: otherList,
};

const keyGroupSchema = z.object(keyLists);

export const metadataSchema = z.object({
  ...keyLists,
  key_groups: z.array(keyGroupSchema).nullish(),
  shamir_threshold: intLike.nullish(),
  lastmodified: text,
  mac: z.string().nullish(),
  unencrypted_suffix: z.string().nullish(),
  encrypted_suffix: z.string().nullish(),
  unencrypted_regex: z.string().nullish(),
  encrypted_regex: z.string().nullish(),
  unencrypted_comment_regex: z.string().nullish(),
  encrypted_comment_regex: z.string().nullish(),
  mac_only_encrypted: boolLike.nullish(),
  version: text.nullish(),
});

type KeyGroupInput = z.infer<typeof keyGroupSchema>;

export interface SopsMetadata {
  /** Master keys by group; one group unless the file uses Shamir. */
  readonly keyGroups: readonly (readonly MasterKeyEntry[])[];
  /** Master keys of kinds this build cannot use (azure_kv, hc_vault, hckms), per group. */
  readonly unsupportedKeys: readonly string[];
  readonly shamirThreshold: number | undefined;
  readonly lastModified: string;
  readonly mac: string | undefined;
  readonly rule: EncryptionRule | undefined;
  readonly macOnlyEncrypted: boolean;
  readonly version: string | undefined;
}

function groupEntries(g: KeyGroupInput): { entries: MasterKeyEntry[]; unsupported: string[] } {
  const entries: MasterKeyEntry[] = [];
  for (const a of g.age ?? []) entries.push({ type: 'age', recipient: a.recipient.trim(), enc: a.enc });
  for (const p of g.pgp ?? []) entries.push({ type: 'pgp', fp: p.fp, enc: p.enc, created_at: p.created_at ?? '' });
  for (const k of g.kms ?? []) {
    entries.push({
      type: 'kms',
      arn: k.arn,
      enc: k.enc,
      created_at: k.created_at ?? '',
      ...(k.role ? { role: k.role } : {}),
      ...(k.context ? { context: k.context } : {}),
      ...(k.aws_profile ? { aws_profile: k.aws_profile } : {}),
    });
  }
  for (const k of g.gcp_kms ?? []) {
    entries.push({ type: 'gcp_kms', resource_id: k.resource_id, enc: k.enc, created_at: k.created_at ?? '' });
  }
  const unsupported = (['azure_kv', 'hc_vault', 'hckms'] as const).flatMap((t) => (g[t] ?? []).map(() => t));
  return { entries, unsupported };
}

/** Validates the raw metadata object of `file`; a SOPS error that says what is wrong otherwise. */
export function parseMetadata(raw: unknown, file: string): SopsMetadata {
  if (raw === undefined || raw === null) {
    throw new AppError('SOPS', `${basename(file)} is not a SOPS-encrypted file: it has no "sops" metadata.`, {
      location: { file },
      hint: 'Encrypt it first (create the file through this app or `sops -e`), or check that you opened the right file.',
    });
  }
  const r = metadataSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new AppError(
      'SOPS',
      `The "sops" metadata of ${basename(file)} is malformed at "sops.${issue.path.join('.')}": ${issue.message}.`,
      {
        location: { file },
        hint: 'Restore the file from version control; the metadata block is written by sops and should not be edited by hand.',
      },
    );
  }
  const m = r.data;
  const top = groupEntries(m);
  let groups: MasterKeyEntry[][];
  let unsupported = top.unsupported;
  if (top.entries.length > 0 || top.unsupported.length > 0) groups = [top.entries];
  else {
    const gs = (m.key_groups ?? []).map(groupEntries);
    groups = gs.map((g) => g.entries);
    unsupported = gs.flatMap((g) => g.unsupported);
  }
  if (groups.every((g) => g.length === 0) && unsupported.length === 0) {
    throw new AppError(
      'SOPS',
      `The "sops" metadata of ${basename(file)} lists no master keys, so the data key cannot be recovered.`,
      {
        location: { file },
        hint: 'Restore the file from version control.',
      },
    );
  }
  const rules = RULE_KINDS.filter((k) => typeof m[k] === 'string' && m[k] !== '');
  if (rules.length > 1) {
    throw new AppError(
      'SOPS',
      `The metadata of ${basename(file)} sets more than one encryption rule (${rules.join(', ')}).`,
      {
        location: { file },
        hint: 'sops allows only one of unencrypted_suffix, encrypted_suffix, *_regex, *_comment_regex.',
      },
    );
  }
  const kind = rules[0];
  // sops applies the default suffix when a file names no rule (stores.go:ToInternal).
  const rule: EncryptionRule = kind
    ? { kind, value: m[kind] as string }
    : { kind: 'unencrypted_suffix', value: DEFAULT_UNENCRYPTED_SUFFIX };
  return {
    keyGroups: groups,
    unsupportedKeys: unsupported,
    shamirThreshold: m.shamir_threshold ?? undefined,
    lastModified: m.lastmodified,
    mac: m.mac ?? undefined,
    rule,
    macOnlyEncrypted: m.mac_only_encrypted ?? false,
    version: m.version ?? undefined,
  };
}

type Plain = Record<string, unknown>;

function sortKeys(o: Plain): Plain {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function entryObject(e: MasterKeyEntry, previous: readonly Plain[] | undefined): Plain {
  const same = previous?.find((p) => p.enc === e.enc);
  if (same) return same;
  const { type: _type, ...fields } = e;
  return sortKeys(fields as Plain);
}

const KEY_LIST_FIELDS: Record<MasterKeyType, string> = { age: 'age', pgp: 'pgp', kms: 'kms', gcp_kms: 'gcp_kms' };

function groupObject(group: readonly MasterKeyEntry[], previous: Plain | undefined): Plain {
  const out: Plain = {};
  for (const t of Object.keys(KEY_LIST_FIELDS) as MasterKeyType[]) {
    const list = group.filter((e) => e.type === t);
    const prevList = Array.isArray(previous?.[t]) ? (previous[t] as Plain[]) : undefined;
    if (list.length > 0) out[t] = list.map((e) => entryObject(e, prevList));
  }
  return out;
}

export interface MetadataUpdate {
  readonly keyGroups?: readonly (readonly MasterKeyEntry[])[];
  readonly shamirThreshold?: number;
  readonly lastModified: string;
  readonly mac: string;
  readonly rule?: EncryptionRule | null;
  readonly macOnlyEncrypted?: boolean;
  /** Drop azure_kv/hc_vault/hckms entries (a rotated data key makes them stale). */
  readonly dropUnsupportedKeys?: boolean;
}

/**
 * The metadata object to write. With `previous` (the file's own block) its key order and untouched fields
 * stay; new files get sops 3.13's layout (keys sorted alphabetically, empty key lists left out).
 */
export function buildMetadata(update: MetadataUpdate, previous?: Plain): Plain {
  const out: Plain = previous ? { ...previous } : {};
  if (update.keyGroups) {
    const groups = update.keyGroups;
    if (groups.length > 1) {
      for (const t of Object.values(KEY_LIST_FIELDS))
        if (Array.isArray(out[t]) && (out[t] as unknown[]).length > 0) delete out[t];
      const prevGroups = Array.isArray(out.key_groups) ? (out.key_groups as Plain[]) : [];
      out.key_groups = groups.map((g, i) => groupObject(g, prevGroups[i]));
      out.shamir_threshold = update.shamirThreshold ?? groups.length;
    } else {
      delete out.key_groups;
      delete out.shamir_threshold;
      const fresh = groupObject(groups[0] ?? [], out);
      for (const t of Object.values(KEY_LIST_FIELDS)) {
        if (fresh[t]) out[t] = fresh[t];
        else if (Array.isArray(out[t]) && (out[t] as unknown[]).length > 0) out[t] = [];
      }
    }
  }
  if (update.dropUnsupportedKeys) {
    for (const t of ['azure_kv', 'hc_vault', 'hckms'])
      if (Array.isArray(out[t]) && (out[t] as unknown[]).length > 0) delete out[t];
  }
  out.lastmodified = update.lastModified;
  out.mac = update.mac;
  if (update.rule !== undefined) {
    for (const k of RULE_KINDS) delete out[k];
    if (update.rule) out[update.rule.kind] = update.rule.value;
  }
  if (update.macOnlyEncrypted !== undefined) {
    if (update.macOnlyEncrypted) out.mac_only_encrypted = true;
    else delete out.mac_only_encrypted;
  }
  out.version = SOPS_FORMAT_VERSION;
  return previous ? out : sortKeys(out);
}
