// The store kinds this app knows, Atmos' legacy `type` names for them, and which are secret by nature or
// never secret. Mirrors Atmos' pkg/store registry vocabulary. Which kinds are plaintext or secret by default
// is written once, in the config loader (it refuses `secret: true` on a plaintext kind at load), and used here.
import { PLAINTEXT_KINDS, SECRET_BY_DEFAULT_ALIASES, SECRET_BY_DEFAULT_KINDS as SECRET_BY_DEFAULT } from '../config';

export { PLAINTEXT_KINDS };

/** Kinds that can hold secrets, one adapter folder each. */
export const SECRET_CAPABLE_KINDS = [
  'aws/ssm',
  'aws/asm',
  'hashicorp/vault',
  'azure/keyvault',
  'gcp/secretmanager',
  'onepassword',
  'keychain',
] as const;

export const STORE_KINDS = [...SECRET_CAPABLE_KINDS, ...PLAINTEXT_KINDS] as const;

export type SecretCapableKind = (typeof SECRET_CAPABLE_KINDS)[number];
export type PlaintextKind = (typeof PLAINTEXT_KINDS)[number];
export type StoreKind = (typeof STORE_KINDS)[number];

/** Secret managers by nature: `secret: true` is implied (typed as kinds: a name that is none fails to compile). */
export const SECRET_BY_DEFAULT_KINDS: readonly StoreKind[] = SECRET_BY_DEFAULT;

/**
 * Atmos' legacy `type` names (pkg/store/registry.go legacyTypeToKind), plus `gcp-secret-manager`, a spelling
 * people reach for. Atmos also maps an alias given in `kind`, so we do too.
 */
export const LEGACY_STORE_TYPES: Readonly<Record<string, StoreKind>> = {
  'aws-ssm-parameter-store': 'aws/ssm',
  'aws-secrets-manager': 'aws/asm',
  'hashicorp-vault': 'hashicorp/vault',
  'azure-key-vault': 'azure/keyvault',
  'google-secret-manager': 'gcp/secretmanager',
  'google/secretmanager': 'gcp/secretmanager',
  'gcp-secret-manager': 'gcp/secretmanager',
  gsm: 'gcp/secretmanager',
  onepassword: 'onepassword',
  keychain: 'keychain',
  ...SECRET_BY_DEFAULT_ALIASES,
  redis: 'redis',
  artifactory: 'artifactory',
};

/** Kinds Atmos has that this app deliberately does not support, with the reason shown to people. */
export const UNSUPPORTED_ATMOS_KINDS: Readonly<Record<string, string>> = {
  'github/actions': 'GitHub Actions secrets cannot be read back outside a runner',
  'github-actions': 'GitHub Actions secrets cannot be read back outside a runner',
};

export function isStoreKind(value: string): value is StoreKind {
  return (STORE_KINDS as readonly string[]).includes(value);
}

export function isPlaintextKind(kind: StoreKind): kind is PlaintextKind {
  return (PLAINTEXT_KINDS as readonly string[]).includes(kind);
}

export function isSecretCapableKind(kind: StoreKind): kind is SecretCapableKind {
  return (SECRET_CAPABLE_KINDS as readonly string[]).includes(kind);
}

/** A `kind` or `type` value to its canonical kind, or undefined when unknown. */
export function canonicalKind(value: string): StoreKind | undefined {
  const v = value.trim();
  if (isStoreKind(v)) return v;
  return Object.hasOwn(LEGACY_STORE_TYPES, v) ? LEGACY_STORE_TYPES[v] : undefined;
}

/** The stack delimiter Atmos uses when a store sets none: `/` for Vault, `-` for the others. */
export function defaultStackDelimiter(kind: StoreKind): string {
  return kind === 'hashicorp/vault' ? '/' : '-';
}
