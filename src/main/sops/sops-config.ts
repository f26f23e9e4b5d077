// `.sops.yaml`: found by walking up from a folder, parsed with zod (unknown keys ignored, as sops does), and
// its creation rules matched in order (first match wins) with `path_regex` relative to the config's folder.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { SopsError } from './errors';
import type { MasterKeySpec } from './key-source';
import { RULE_KINDS, type EncryptionRule } from './rules';
import type { StoreStyle } from './stores';

export const SOPS_CONFIG_NAME = '.sops.yaml';

// A key list is a comma-separated string or (sops 3.11+) a YAML list; entries are trimmed.
const keyList = z
  .union([z.string(), z.array(z.string())])
  .nullish()
  .transform((v) => (Array.isArray(v) ? v : (v ?? '').split(',')).map((s) => s.trim()).filter((s) => s !== ''));

const kmsKey = z.object({
  arn: z.string(),
  role: z.string().optional(),
  context: z.record(z.string(), z.string()).optional(),
  aws_profile: z.string().optional(),
});

interface KeyGroupInput {
  age?: string[] | undefined;
  pgp?: string[] | undefined;
  kms?: z.infer<typeof kmsKey>[] | undefined;
  gcp_kms?: { resource_id: string }[] | undefined;
  merge?: KeyGroupInput[] | undefined;
}

const keyGroup: z.ZodType<KeyGroupInput> = z.lazy(() =>
  z.object({
    age: z.array(z.string()).optional(),
    pgp: z.array(z.string()).optional(),
    kms: z.array(kmsKey).optional(),
    gcp_kms: z.array(z.object({ resource_id: z.string() })).optional(),
    merge: z.array(keyGroup).optional(),
  }),
);

const creationRuleSchema = z.object({
  path_regex: z.string().optional(),
  age: keyList,
  pgp: keyList,
  kms: keyList,
  gcp_kms: keyList,
  aws_profile: z.string().optional(),
  key_groups: z.array(keyGroup).optional(),
  shamir_threshold: z.number().int().optional(),
  unencrypted_suffix: z.string().optional(),
  encrypted_suffix: z.string().optional(),
  unencrypted_regex: z.string().optional(),
  encrypted_regex: z.string().optional(),
  unencrypted_comment_regex: z.string().optional(),
  encrypted_comment_regex: z.string().optional(),
  mac_only_encrypted: z.boolean().optional(),
});

const storesSchema = z
  .object({
    yaml: z.object({ indent: z.number().int().min(1).max(16).optional() }).optional(),
    json: z.object({ indent: z.number().int().min(0).max(16).optional() }).optional(),
  })
  .optional();

export const sopsConfigSchema = z.object({
  creation_rules: z.array(creationRuleSchema).nullish(),
  stores: storesSchema,
});

export type RawCreationRule = z.infer<typeof creationRuleSchema>;

/** A creation rule resolved to what encryption needs. */
export interface CreationRule {
  readonly pathRegex: string | undefined;
  readonly keyGroups: readonly (readonly MasterKeySpec[])[];
  readonly shamirThreshold: number | undefined;
  readonly rule: EncryptionRule | undefined;
  readonly macOnlyEncrypted: boolean;
  /** The config's `stores:` layout, to pass to createSopsFile. */
  readonly style?: StoreStyle;
}

export interface SopsConfig {
  readonly path: string;
  readonly rules: readonly CreationRule[];
  /** Output layout from the config's `stores:` (sops' yaml/json indent), for new files. */
  readonly style: StoreStyle;
}

/** `arn[+role]` as sops writes KMS keys in flat lists. */
function kmsSpec(s: string, profile: string | undefined): MasterKeySpec {
  const [arn, role] = s.split('+');
  return { type: 'kms', arn, ...(role ? { role } : {}), ...(profile ? { aws_profile: profile } : {}) };
}

function groupSpecs(g: KeyGroupInput): MasterKeySpec[] {
  const out: MasterKeySpec[] = [
    ...(g.age ?? []).map((r): MasterKeySpec => ({ type: 'age', recipient: r.trim() })),
    ...(g.pgp ?? []).map((fp): MasterKeySpec => ({ type: 'pgp', fp: fp.trim() })),
    ...(g.kms ?? []).map((k): MasterKeySpec => ({
      type: 'kms',
      arn: k.arn,
      ...(k.role ? { role: k.role } : {}),
      ...(k.context ? { context: k.context } : {}),
      ...(k.aws_profile ? { aws_profile: k.aws_profile } : {}),
    })),
    ...(g.gcp_kms ?? []).map((k): MasterKeySpec => ({ type: 'gcp_kms', resource_id: k.resource_id })),
    ...(g.merge ?? []).flatMap(groupSpecs),
  ];
  // Keys are de-duplicated within a group.
  const seen = new Set<string>();
  return out.filter((k) => {
    const id = JSON.stringify(k);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function resolveRule(r: RawCreationRule, file: string, index: number): CreationRule {
  const rules = RULE_KINDS.filter((k) => r[k] !== undefined);
  if (rules.length > 1) {
    throw new AppError(
      'CONFIG',
      `${file}: creation rule ${index + 1} sets more than one encryption rule (${rules.join(', ')}).`,
      {
        location: { file },
        hint: 'Keep only one of unencrypted_suffix, encrypted_suffix, *_regex, *_comment_regex.',
      },
    );
  }
  // When key_groups is present the flat key fields are ignored, as in sops.
  const keyGroups = r.key_groups
    ? r.key_groups.map(groupSpecs)
    : [
        [
          ...r.age.map((recipient): MasterKeySpec => ({ type: 'age', recipient })),
          ...r.pgp.map((fp): MasterKeySpec => ({ type: 'pgp', fp })),
          ...r.kms.map((k) => kmsSpec(k, r.aws_profile)),
          ...r.gcp_kms.map((resource_id): MasterKeySpec => ({ type: 'gcp_kms', resource_id })),
        ],
      ];
  const kind = rules[0];
  return {
    pathRegex: r.path_regex,
    keyGroups,
    shamirThreshold: r.shamir_threshold,
    rule: kind ? { kind, value: r[kind] as string } : undefined,
    macOnlyEncrypted: r.mac_only_encrypted ?? false,
  };
}

export function parseSopsConfig(text: string, file: string): SopsConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text, { uniqueKeys: false }) ?? {};
  } catch (cause) {
    throw new AppError('YAML', `${file} is not valid YAML.`, { location: { file }, cause });
  }
  const r = sopsConfigSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new AppError('CONFIG', `${file}: "${issue.path.join('.')}" ${issue.message}.`, {
      location: { file },
      hint: 'See https://getsops.io/docs/#using-sops-yaml-conf-to-select-kms-pgp-and-age-for-new-files',
    });
  }
  const yamlIndent = r.data.stores?.yaml?.indent;
  const jsonIndent = r.data.stores?.json?.indent;
  return {
    path: file,
    rules: (r.data.creation_rules ?? []).map((rule, i) => resolveRule(rule, file, i)),
    style: {
      ...(yamlIndent !== undefined ? { indent: yamlIndent } : {}),
      ...(jsonIndent !== undefined ? { jsonIndent: jsonIndent === 0 ? '\t' : ' '.repeat(jsonIndent) } : {}),
    },
  };
}

/** The nearest `.sops.yaml` from `startDir` upward (at most 100 levels, as sops), or undefined. */
export async function findSopsConfig(startDir: string): Promise<string | undefined> {
  let dir = resolve(startDir);
  for (let i = 0; i < 100; i++) {
    const candidate = join(dir, SOPS_CONFIG_NAME);
    try {
      await readFile(candidate);
      return candidate;
    } catch {
      // not here; go up
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/** The path a rule's `path_regex` sees: relative to the config folder when the file is below it. */
export function rulePath(configPath: string, file: string): string {
  const abs = resolve(file);
  const rel = relative(dirname(resolve(configPath)), abs);
  const p = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
  return p.split(sep).join('/');
}

/** The first creation rule whose `path_regex` matches `file` (a rule without one matches everything). */
export function matchCreationRule(config: SopsConfig, file: string): CreationRule | undefined {
  const p = rulePath(config.path, file);
  const rule = config.rules.find((r) => r.pathRegex === undefined || new RegExp(r.pathRegex).test(p));
  return rule && { ...rule, style: config.style };
}

export interface RecipientsFor {
  /** The provider's `age_recipients` (comma-separated or a list): they win over `.sops.yaml`. */
  readonly ageRecipients?: string | readonly string[];
  /** An explicit `.sops.yaml` (the provider's recipients_file); else the nearest one above the file. */
  readonly configPath?: string;
}

/** Who a new file at `file` is encrypted for: `age_recipients`, else the matching `.sops.yaml` creation rule. */
export async function creationRuleFor(file: string, o: RecipientsFor = {}): Promise<CreationRule> {
  const listed = typeof o.ageRecipients === 'string' ? o.ageRecipients.split(',') : (o.ageRecipients ?? []);
  const recipients = listed.map((s) => s.trim()).filter((s) => s !== '');
  if (recipients.length > 0) {
    return {
      pathRegex: undefined,
      keyGroups: [recipients.map((recipient): MasterKeySpec => ({ type: 'age', recipient }))],
      shamirThreshold: undefined,
      rule: undefined,
      macOnlyEncrypted: false,
    };
  }
  const configPath = o.configPath ?? (await findSopsConfig(dirname(resolve(file))));
  const noRule = (why: string): SopsError =>
    new SopsError('no-recipients', `No recipients for ${file}: ${why}.`, {
      location: { file },
      hint: 'Set age_recipients on the provider, run keygen to record a recipient, or add a creation_rules entry to .sops.yaml.',
    });
  if (!configPath) throw noRule('no .sops.yaml was found above it and the provider sets no age_recipients');
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch {
    throw noRule(`${configPath} cannot be read`);
  }
  const rule = matchCreationRule(parseSopsConfig(text, configPath), file);
  if (!rule) throw noRule(`no creation rule in ${configPath} matches "${rulePath(configPath, file)}"`);
  if (rule.keyGroups.every((g) => g.length === 0))
    throw noRule(`the matching creation rule in ${configPath} lists no keys`);
  return rule;
}
