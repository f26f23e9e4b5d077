// Every backend's name mapping behind one switch, so validate can compute (and check for collisions) the
// names of any configured store, even one whose adapter is not in this build yet.
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { assertNever, type SecretPath } from '../paths';
import { UnmappablePathError } from '../store-errors';
import type { PathMapper } from '../secret-store';
import type { StoreConfig } from '../store-config';
import { defaultStackDelimiter } from '../store-kinds';
import { asmSecretName } from './asm';
import { azureSecretName } from './azure-keyvault';
import type { NamingContext } from './common';
import { findNameCollisions, type NameCollision } from './collisions';
import { gcpSecretId } from './gcp-secretmanager';
import { keychainNamer } from './keychain';
import { onePasswordReference } from './onepassword';
import { ssmParameterName } from './ssm';
import { vaultLocation } from './vault';

export { asmSecretName, ASM_MAX_NAME_LENGTH } from './asm';
export { azureSecretName, normalizeAzureName, AZURE_MAX_NAME_LENGTH } from './azure-keyvault';
export { findNameCollisions, type MappedName, type NameCollision, type CollisionOptions } from './collisions';
export type { NamingContext } from './common';
export { gcpSecretId, normalizeGcpName, GCP_MAX_NAME_LENGTH } from './gcp-secretmanager';
export { keychainAccount, keychainNamer, KEYCHAIN_DEFAULT_PREFIX, KEYCHAIN_MAX_ACCOUNT_LENGTH } from './keychain';
export { onePasswordReference, OP_SCHEME, type OnePasswordReference } from './onepassword';
export { ssmParameterName, SSM_MAX_LEVELS } from './ssm';
export { vaultLocation, VAULT_VALUE_FIELD, type VaultLocation } from './vault';

const namingOptionsSchema = z.looseObject({
  prefix: z.string().optional(),
  stack_delimiter: z.string().optional(),
  region: z.string().optional(),
  mount: z.string().optional(),
  path: z.string().optional(),
  vault: z.string().optional(),
});

/** The naming function for a configured store; CONFIG error for a plaintext kind (never a secret store). */
export function nameMapperFor(config: StoreConfig): PathMapper {
  const parsed = namingOptionsSchema.safeParse(config.options);
  if (!parsed.success) {
    throw new AppError('CONFIG', `store "${config.name}" has invalid naming options`, { location: config.location });
  }
  const o = parsed.data;
  const ctx: NamingContext = { store: config.name, location: config.location };
  const common = { prefix: o.prefix, stackDelimiter: o.stack_delimiter ?? defaultStackDelimiter(config.kind) };
  const kind = config.kind;
  switch (kind) {
    case 'aws/ssm':
      return { locate: (p: SecretPath) => ssmParameterName(p, { ...common, region: o.region }, ctx) };
    case 'aws/asm':
      return { locate: (p: SecretPath) => asmSecretName(p, common, ctx) };
    case 'hashicorp/vault':
      // Atmos accepts `path` as the mount's older name.
      return { locate: (p: SecretPath) => vaultLocation(p, { ...common, mount: o.mount ?? o.path ?? '' }, ctx).path };
    case 'azure/keyvault':
      return { locate: (p: SecretPath) => azureSecretName(p, common, ctx) };
    case 'gcp/secretmanager':
      return { locate: (p: SecretPath) => gcpSecretId(p, common, ctx) };
    case 'onepassword':
      return { locate: (p: SecretPath) => onePasswordReference(p, { vault: o.vault }, ctx).reference };
    case 'keychain':
      return { locate: keychainNamer(common, ctx) };
    case 'redis':
    case 'artifactory':
      throw new AppError('CONFIG', `store "${config.name}" (${kind}) is a plaintext store and holds no secrets`, {
        location: config.location,
      });
    default:
      return assertNever(kind);
  }
}

/** Azure Key Vault compares names without case; every other backend with it. */
export function namesAreCaseInsensitive(config: StoreConfig): boolean {
  return config.kind === 'azure/keyvault';
}

export interface StoreNameCheck {
  readonly collisions: readonly NameCollision[];
  /** Paths the store cannot hold, one error each. */
  readonly refused: readonly UnmappablePathError[];
}

/** For validate: maps every path a store serves, reporting collisions and every refused path (not just the first). */
export function checkStoreNames(config: StoreConfig, paths: Iterable<SecretPath>): StoreNameCheck {
  const mapper = nameMapperFor(config);
  const mapped: { path: SecretPath; name: string }[] = [];
  const refused: UnmappablePathError[] = [];
  for (const path of paths) {
    try {
      mapped.push({ path, name: mapper.locate(path) });
    } catch (e) {
      if (e instanceof UnmappablePathError) refused.push(e);
      else throw e;
    }
  }
  return { collisions: findNameCollisions(mapped, { caseInsensitive: namesAreCaseInsensitive(config) }), refused };
}
