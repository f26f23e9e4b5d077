// The `stores:` section of atmos.yaml, validated: each record's kind (or legacy type), whether it is a secret
// store, its identity and options. Errors name the store and, when the loader knows it, the file and line.
import { z } from 'zod';
import { AppError, type SourceLocation } from '../../shared/errors';
import {
  LEGACY_STORE_TYPES,
  SECRET_BY_DEFAULT_KINDS,
  STORE_KINDS,
  UNSUPPORTED_ATMOS_KINDS,
  canonicalKind,
  isPlaintextKind,
  type StoreKind,
} from './store-kinds';

/** One validated store record. */
export interface StoreConfig {
  readonly name: string;
  readonly kind: StoreKind;
  /** True for `secret: true` and for secret-by-default kinds (onepassword, keychain). */
  readonly secret: boolean;
  readonly identity: string | undefined;
  readonly options: Readonly<Record<string, unknown>>;
  readonly location: SourceLocation | undefined;
}

/** Where each store is declared, when the config loader knows. */
export type StoreLocator = (name: string) => SourceLocation | undefined;

export interface ParsedStores {
  readonly configs: readonly StoreConfig[];
  /** Every problem found, one per store at most; the good stores are still in `configs`. */
  readonly errors: readonly AppError[];
}

// Options shared by the name-keyed backends; each adapter validates the rest of its own options.
const commonOptionsSchema = z.looseObject({
  prefix: z.string().optional(),
  stack_delimiter: z.string().optional(),
});

const storeRecordSchema = z.strictObject({
  kind: z.string().min(1).optional(),
  type: z.string().min(1).optional(),
  secret: z.boolean().optional(),
  identity: z.string().min(1).optional(),
  // `options:` with nothing under it is YAML null.
  options: commonOptionsSchema.nullable().optional(),
});

const storesSectionSchema = z.record(z.string(), z.unknown()).nullable().optional();

function validKindsText(): string {
  return `valid kinds: ${STORE_KINDS.join(', ')} (legacy types: ${Object.keys(LEGACY_STORE_TYPES).join(', ')})`;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) => {
      const where = i.path.length > 0 ? `${i.path.join('.')}: ` : '';
      return i.code === 'unrecognized_keys' ? `${where}unknown field(s) ${i.keys.join(', ')}` : `${where}${i.message}`;
    })
    .join('; ');
}

function resolveKind(
  name: string,
  kind: string | undefined,
  type: string | undefined,
  location?: SourceLocation,
): StoreKind {
  // `kind` wins when both are set, as in Atmos.
  const declared = kind ?? type;
  if (declared === undefined) {
    throw new AppError('CONFIG', `store "${name}" needs a kind; ${validKindsText()}`, { location });
  }
  const canonical = canonicalKind(declared);
  if (canonical) return canonical;
  const field = kind !== undefined ? 'kind' : 'type';
  const why = UNSUPPORTED_ATMOS_KINDS[declared.trim()];
  if (why) {
    throw new AppError(
      'CONFIG',
      `store "${name}" has ${field} "${declared}", which Atmos Secrets does not support: ${why}`,
      {
        location,
      },
    );
  }
  throw new AppError('CONFIG', `store "${name}" has unknown ${field} "${declared}"; ${validKindsText()}`, { location });
}

/** Validates one store record. Throws a CONFIG AppError naming the store (and file/line when known). */
export function parseStoreConfig(name: string, raw: unknown, location?: SourceLocation): StoreConfig {
  const parsed = storeRecordSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new AppError('CONFIG', `store "${name}" is invalid: ${describeIssues(parsed.error.issues)}`, { location });
  }
  const rec = parsed.data;
  const kind = resolveKind(name, rec.kind, rec.type, location);
  if (rec.secret === true && isPlaintextKind(kind)) {
    throw new AppError(
      'CONFIG',
      `store "${name}" (${kind}) cannot be a secret store: ${kind} keeps values in plaintext`,
      {
        location,
        hint: 'Remove `secret: true`, or use an encrypting backend (aws/ssm, aws/asm, hashicorp/vault, azure/keyvault, gcp/secretmanager, onepassword, keychain).',
      },
    );
  }
  return {
    name,
    kind,
    secret: rec.secret === true || SECRET_BY_DEFAULT_KINDS.includes(kind),
    identity: rec.identity,
    options: rec.options ?? {},
    location,
  };
}

/** Validates the whole `stores:` section, collecting one error per bad store. */
export function parseStoreConfigs(stores: unknown, locate: StoreLocator = () => undefined): ParsedStores {
  const section = storesSectionSchema.safeParse(stores);
  if (!section.success) {
    return {
      configs: [],
      errors: [new AppError('CONFIG', '`stores` must be a mapping of store names to store settings')],
    };
  }
  const configs: StoreConfig[] = [];
  const errors: AppError[] = [];
  for (const [name, raw] of Object.entries(section.data ?? {})) {
    try {
      configs.push(parseStoreConfig(name, raw, locate(name)));
    } catch (e) {
      if (e instanceof AppError) errors.push(e);
      else throw e;
    }
  }
  return { configs, errors };
}

/** A store record as the config loader hands it over: the YAML mapping and where it was declared. */
export interface LocatedStoreRecord {
  readonly raw: unknown;
  readonly location?: SourceLocation;
}

/** Validates the loader's located records (src/main/config's `stores`), collecting one error per bad store. */
export function parseStoreRecords(records: Readonly<Record<string, LocatedStoreRecord>>): ParsedStores {
  const raw = Object.fromEntries(Object.entries(records).map(([name, r]) => [name, r.raw]));
  return parseStoreConfigs(raw, (name) => records[name]?.location);
}

/** parseStoreConfigs for callers that stop at the first problem. */
export function loadStoreConfigs(stores: unknown, locate?: StoreLocator): readonly StoreConfig[] {
  const { configs, errors } = parseStoreConfigs(stores, locate);
  const first = errors[0];
  if (first) throw first;
  return configs;
}
