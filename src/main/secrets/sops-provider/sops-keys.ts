// The keys of a SOPS provider: its `spec` validated (zod), the key sources that unwrap a file's data key
// (age identities in the spec's precedence, pgp through the local gpg, AWS/GCP KMS), the master keys a NEW
// file gets (age_recipients / provider KMS ids, else the `.sops.yaml` creation rule) and where keygen puts a
// private key. Where an age key lives in a keychain store, the account is `<store prefix>/sops-age/<key>`
// (prefix default `atmos`, key = `age_key.path`, else the provider name, as Atmos' store mode defaults).
// The KMS sources run as the coordinate's resolved auth identity (resolved on first KMS use; none: the SDK chain).
import { isAbsolute, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { IdentityResolver } from '../../auth';
import { DEFAULT_KEYCHAIN_SERVICE, type Keychain } from '../../keychain/keychain';
import {
  createAgeKeySource,
  creationRuleFor,
  pathRegexFromTemplate,
  resolveAgeKeySink,
  SOPS_CONFIG_NAME,
  type AgeKeyConfig,
  type AgeKeySink,
  type AgeKeyStoreLookup,
  type CreationRule,
  type KeySource,
  type KeySources,
  type MasterKeySpec,
  type MasterKeyType,
} from '../../sops';
import { createPgpKeySource } from '../../sops/keysources/pgp';
import { createAwsKmsKeySource } from '../../sops/keysources/aws-kms';
import { createGcpKmsKeySource } from '../../sops/keysources/gcp-kms';
import { KEYCHAIN_DEFAULT_PREFIX } from '../../stores';
import type { SopsProvider } from '../model/providers';
import type { StoreCatalog } from '../model/store-catalog';

const idList = z.union([z.string(), z.array(z.string())]).nullish();

/** `spec` of a SOPS provider, as far as keys go (placement is providers.ts' business). */
const specSchema = z.looseObject({
  age_key: z
    .union([
      z.string(),
      z.looseObject({
        value: z.string().nullish(),
        store: z.string().min(1).nullish(),
        path: z.string().min(1).nullish(),
        file: z.string().min(1).nullish(),
      }),
    ])
    .nullish(),
  age_key_file: z.string().min(1).nullish(),
  age_recipients: idList,
  recipients_file: z.string().min(1).nullish(),
  // KMS / pgp ids for new files (else the .sops.yaml creation rule): a string (comma-separated) or a list.
  kms: idList,
  kms_arn: idList,
  gcp_kms: idList,
  gcp_kms_resource_id: idList,
  pgp: idList,
  pgp_fingerprint: idList,
});

export interface SopsKeySpec {
  readonly ageKey: AgeKeyConfig | undefined;
  readonly ageKeyFile: string | undefined;
  readonly ageRecipients: readonly string[];
  readonly recipientsFile: string | undefined;
  readonly kmsArns: readonly string[];
  readonly gcpKmsIds: readonly string[];
  readonly pgpFingerprints: readonly string[];
}

function ids(...values: (string | readonly string[] | null | undefined)[]): string[] {
  return values
    .flatMap((v) => (v === null || v === undefined ? [] : typeof v === 'string' ? v.split(',') : [...v]))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The provider's key settings; CONFIG error naming the provider when they are malformed. */
export function sopsKeySpec(p: SopsProvider): SopsKeySpec {
  const parsed = specSchema.safeParse(p.record.raw['spec'] ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `spec.${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('CONFIG', `secrets provider "${p.name}" is invalid: ${detail}`, { location: p.record.location });
  }
  const s = parsed.data;
  const ageKey: AgeKeyConfig | undefined =
    s.age_key === null || s.age_key === undefined
      ? undefined
      : typeof s.age_key === 'string'
        ? s.age_key
        : {
            ...(s.age_key.value ? { value: s.age_key.value } : {}),
            ...(s.age_key.store ? { store: s.age_key.store } : {}),
            ...(s.age_key.path ? { path: s.age_key.path } : {}),
            ...(s.age_key.file ? { file: s.age_key.file } : {}),
          };
  return {
    ageKey,
    ageKeyFile: s.age_key_file ?? undefined,
    ageRecipients: ids(s.age_recipients),
    recipientsFile: s.recipients_file ?? undefined,
    kmsArns: ids(s.kms, s.kms_arn),
    gcpKmsIds: ids(s.gcp_kms, s.gcp_kms_resource_id),
    pgpFingerprints: ids(s.pgp, s.pgp_fingerprint),
  };
}

/** The keychain account of an age key kept in a keychain store. */
export function ageKeyAccount(storePrefix: string | undefined, key: string): string {
  const prefix = storePrefix === undefined || storePrefix === '' ? KEYCHAIN_DEFAULT_PREFIX : storePrefix;
  return `${prefix}/sops-age/${key}`;
}

export interface SopsKeysDeps {
  readonly stores: StoreCatalog;
  readonly basePath: string;
  /** The OS keychain for a service name. */
  readonly keychain: (service?: string) => Keychain;
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  readonly homeDir?: string | undefined;
  /** Auth identities -> credentials for the KMS sources (default: atmos.yaml without `auth:`, so none resolve). */
  readonly identities?: IdentityResolver | undefined;
}

/** A key source made on first wrap/unwrap, so an identity is resolved (and refused) only when a key needs it. */
function lazyKeySource<T extends MasterKeyType>(type: T, make: () => KeySource<T>): KeySource<T> {
  let made: KeySource<T> | undefined;
  const source = (): KeySource<T> => (made ??= make());
  return {
    type,
    wrap: async (dataKey, spec) => source().wrap(dataKey, spec),
    unwrap: async (entry) => source().unwrap(entry),
  };
}

/** Where a keychain store keeps a provider's age key. */
export interface AgeKeychainPlace {
  readonly store: string;
  readonly keychain: Keychain;
  readonly account: string;
}

/** How messages name a keychain entry: service and account, never its content. */
function describePlace(place: AgeKeychainPlace): string {
  return `keychain service "${place.keychain.service}", account "${place.account}"`;
}

/** Whether the provider names a key file (age_key.file / path / store: file, or age_key_file). */
function namesAKeyFile(spec: SopsKeySpec): boolean {
  const cfg = typeof spec.ageKey === 'object' ? spec.ageKey : undefined;
  return cfg?.file !== undefined || cfg?.path !== undefined || cfg?.store === 'file' || spec.ageKeyFile !== undefined;
}

/** Key sources, recipients and key sinks for the providers of one workspace (sources cached per provider). */
export class SopsKeys {
  private readonly sources = new Map<string, KeySources>();
  private readonly identities: IdentityResolver;

  constructor(private readonly deps: SopsKeysDeps) {
    this.identities = deps.identities ?? new IdentityResolver({ auth: undefined, keychain: deps.keychain });
  }

  private get env(): Readonly<Record<string, string | undefined>> {
    return this.deps.env ?? process.env;
  }

  /** The keychain place of `age_key.store` when it names a store; CONFIG error unless it is a keychain store. */
  keychainPlace(p: SopsProvider, spec: SopsKeySpec = sopsKeySpec(p)): AgeKeychainPlace | undefined {
    const cfg = typeof spec.ageKey === 'object' ? spec.ageKey : undefined;
    if (!cfg?.store || cfg.store === 'file') return undefined;
    return this.placeIn(p.name, cfg.store, cfg.path ?? p.name);
  }

  /**
   * Where keygen keeps the key of a provider whose age_key names no store and no file: the OS keychain, at
   * the app's own service and the account a keychain store with the default prefix would use.
   */
  defaultPlace(p: SopsProvider): AgeKeychainPlace {
    return {
      store: 'keychain',
      keychain: this.deps.keychain(DEFAULT_KEYCHAIN_SERVICE),
      account: ageKeyAccount(undefined, p.name),
    };
  }

  /**
   * The keychain entry this provider's age key source reads and an imported key goes to: `age_key.store`'s
   * place, else (no key file and no inline key named) the default place. Undefined when the provider keeps
   * its key in a file or inline (managed outside the keychain), or is not sops/age.
   */
  heldPlace(p: SopsProvider): AgeKeychainPlace | undefined {
    if (p.kind !== 'sops/age') return undefined;
    const spec = sopsKeySpec(p);
    const inline =
      typeof spec.ageKey === 'string' || (typeof spec.ageKey === 'object' && spec.ageKey.value !== undefined);
    if (inline) return undefined;
    return this.keychainPlace(p, spec) ?? (namesAKeyFile(spec) ? undefined : this.defaultPlace(p));
  }

  private placeIn(providerName: string, store: string, key: string): AgeKeychainPlace {
    const config = this.deps.stores.config(store);
    if (!config || config.kind !== 'keychain') {
      throw new AppError(
        'CONFIG',
        `age_key.store "${store}" of SOPS provider "${providerName}" is ${config ? `a ${config.kind} store, not a keychain store` : 'not a configured store'}`,
        { hint: 'Point age_key.store at a store of kind keychain, or use age_key.file / SOPS_AGE_KEY_FILE.' },
      );
    }
    const service =
      typeof config.options['service'] === 'string' ? config.options['service'] : DEFAULT_KEYCHAIN_SERVICE;
    const prefix = typeof config.options['prefix'] === 'string' ? config.options['prefix'] : undefined;
    return { store, keychain: this.deps.keychain(service), account: ageKeyAccount(prefix, key) };
  }

  /**
   * Every key source a file of this provider may need; each loads its keys (or clients) on first use. The KMS
   * sources use `identity`'s credentials (the coordinate's resolved identity); undefined: the SDK's default chain.
   */
  keySources(p: SopsProvider, identity?: string): KeySources {
    const cacheKey = JSON.stringify([p.name, p.record.raw, identity ?? null]);
    const cached = this.sources.get(cacheKey);
    if (cached) return cached;
    const spec = sopsKeySpec(p);
    const lookupStore: AgeKeyStoreLookup = async (store, key) => {
      const place = this.placeIn(p.name, store, key);
      return place.keychain.get(place.account);
    };
    const describeStore = (store: string, key: string): string => {
      const config = this.deps.stores.config(store);
      if (!config || config.kind !== 'keychain') return `store ${store} (key "${key}")`;
      const place = this.placeIn(p.name, store, key);
      return describePlace(place);
    };
    const fallback = this.defaultPlace(p);
    const env = this.env;
    const made: KeySources = {
      age: createAgeKeySource({
        ...(spec.ageKey !== undefined ? { ageKey: spec.ageKey } : {}),
        ...(spec.ageKeyFile !== undefined ? { ageKeyFile: spec.ageKeyFile } : {}),
        providerName: p.name,
        lookupStore,
        describeStore,
        defaultEntry: { where: describePlace(fallback), read: () => fallback.keychain.get(fallback.account) },
        env,
        homeDir: this.deps.homeDir ?? homedir(),
        baseDir: this.deps.basePath,
      }),
      pgp: createPgpKeySource({ env: { ...env } }),
      // KMS clients are created on first use, so a provider that never meets a KMS entry costs nothing.
      kms:
        identity === undefined
          ? createAwsKmsKeySource()
          : lazyKeySource('kms', () =>
              createAwsKmsKeySource({
                credentials: this.identities.awsCredentials(identity, `AWS KMS of SOPS provider "${p.name}"`),
              }),
            ),
      gcp_kms:
        identity === undefined
          ? createGcpKmsKeySource({ env: { ...env } })
          : lazyKeySource('gcp_kms', () => {
              const o = this.identities.gcpOptions(identity, `GCP KMS of SOPS provider "${p.name}"`);
              return createGcpKmsKeySource({
                env: { ...env },
                clientOptions: o.keyFilename !== undefined ? { keyFilename: o.keyFilename } : {},
              });
            }),
    };
    this.sources.set(cacheKey, made);
    return made;
  }

  /** The `.sops.yaml` keygen records recipients in: `recipients_file` (relative to the base path), else the base path's. */
  recipientsFile(p: SopsProvider, spec: SopsKeySpec = sopsKeySpec(p)): string {
    const f = spec.recipientsFile;
    if (!f) return join(this.deps.basePath, SOPS_CONFIG_NAME);
    return isAbsolute(f) ? f : resolve(this.deps.basePath, f);
  }

  /** The creation rule's path_regex for the provider's files (relative to the base path). */
  pathRegex(p: SopsProvider): string {
    return pathRegexFromTemplate(p.fileTemplate ?? `${p.folder}/{{ .atmos_stack }}.enc.yaml`);
  }

  /**
   * The master keys a new file of this provider gets: age_recipients (age) or the provider's KMS / pgp ids
   * (their kinds), else the matching creation rule of `recipients_file` when set, else of the nearest `.sops.yaml`.
   */
  async creationRule(p: SopsProvider, file: string): Promise<CreationRule> {
    const spec = sopsKeySpec(p);
    const own = this.ownKeys(p, spec);
    if (own.length > 0) {
      return {
        pathRegex: undefined,
        keyGroups: [own],
        shamirThreshold: undefined,
        rule: undefined,
        macOnlyEncrypted: false,
      };
    }
    return creationRuleFor(file, spec.recipientsFile ? { configPath: this.recipientsFile(p, spec) } : {});
  }

  private ownKeys(p: SopsProvider, spec: SopsKeySpec): MasterKeySpec[] {
    switch (p.kind) {
      case 'sops/age':
        return spec.ageRecipients.map((recipient) => ({ type: 'age', recipient }));
      case 'sops/aws-kms':
        return spec.kmsArns.map((k): MasterKeySpec => {
          const [arn = k, role] = k.split('+');
          return { type: 'kms', arn, ...(role ? { role } : {}) };
        });
      case 'sops/gcp-kms':
        return spec.gcpKmsIds.map((resource_id) => ({ type: 'gcp_kms', resource_id }));
      case 'sops/pgp':
        return spec.pgpFingerprints.map((fp) => ({ type: 'pgp', fp }));
      default: {
        const never: never = p.kind;
        throw new AppError('INTERNAL', `unexpected provider kind ${String(never)}`);
      }
    }
  }

  /**
   * Where keygen writes the provider's private key: the keychain store `age_key.store` names (account as
   * above), the key file age_key names (`age_key.file`/`path`, `age_key_file`; `store: file` alone:
   * SOPS_AGE_KEY_FILE, else sops' keys.txt), else the OS keychain (defaultPlace).
   * Refused for non-age kinds, an inline `age_key.value` and pinned `age_recipients` (managed by hand).
   */
  ageKeySink(p: SopsProvider): AgeKeySink {
    if (p.kind !== 'sops/age') {
      throw new AppError('CONFIG', `SOPS provider "${p.name}" is ${p.kind}: keygen makes age keys only`, {
        hint: 'KMS and pgp keys are managed outside Atmos Secrets.',
        location: p.record.location,
      });
    }
    const spec = sopsKeySpec(p);
    if (spec.ageRecipients.length > 0) {
      throw new AppError(
        'CONFIG',
        `SOPS provider "${p.name}" pins its recipients (age_recipients); keygen does not change them`,
        {
          hint: 'Remove spec.age_recipients to let keygen record the recipient in .sops.yaml, or add the key by hand.',
          location: p.record.location,
        },
      );
    }
    const inline =
      typeof spec.ageKey === 'string' || (typeof spec.ageKey === 'object' && spec.ageKey.value !== undefined);
    const place = inline
      ? undefined
      : (this.keychainPlace(p, spec) ?? (namesAKeyFile(spec) ? undefined : this.defaultPlace(p)));
    if (place) return { kind: 'keychain', keychain: place.keychain, account: place.account };
    return resolveAgeKeySink({
      ...(spec.ageKey !== undefined ? { ageKey: spec.ageKey } : {}),
      ...(spec.ageKeyFile !== undefined ? { ageKeyFile: spec.ageKeyFile } : {}),
      providerName: p.name,
      keychains: {},
      defaultSink: 'file',
      env: this.env,
      homeDir: this.deps.homeDir ?? homedir(),
      baseDir: this.deps.basePath,
    });
  }
}
