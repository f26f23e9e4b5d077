// Which `stores:` records are secret stores, as far as the loader must know to refuse what the spec refuses at
// load (`secret: true` on a plaintext kind) and in describe (`!store` on a secret store). These lists are the
// one place the secrecy of a kind is written: the store registry (src/main/stores/store-kinds.ts) owns the rest of
// the kind vocabulary and imports them from here (config may not import stores: layer rule).
import { AppError } from '../../shared/errors';
import { type RawRecord } from './atmos-config';

/** Kinds that keep values in plaintext: `!store` only, never a secret store. */
export const PLAINTEXT_KINDS = ['redis', 'artifactory'] as const;
/** Kinds that are secret stores whatever `secret:` says (Atmos' secretByDefaultKinds). */
export const SECRET_BY_DEFAULT_KINDS = ['onepassword', 'keychain'] as const;
/** Atmos' legacy `type` names of the secret-by-default kinds, to their kind (secret by default as well). */
export const SECRET_BY_DEFAULT_ALIASES: Readonly<Record<string, (typeof SECRET_BY_DEFAULT_KINDS)[number]>> = {
  '1password': 'onepassword',
  keyring: 'keychain',
};

const PLAINTEXT: ReadonlySet<string> = new Set(PLAINTEXT_KINDS);
const SECRET_BY_DEFAULT: ReadonlySet<string> = new Set([
  ...SECRET_BY_DEFAULT_KINDS,
  ...Object.keys(SECRET_BY_DEFAULT_ALIASES),
]);

/** A store's kind as written: `kind` wins over the legacy `type`. */
function kindOf(raw: Readonly<Record<string, unknown>>): string | undefined {
  const k = raw['kind'] ?? raw['type'];
  return typeof k === 'string' ? k.trim() : undefined;
}

/** True for `secret: true` and for the secret-by-default kinds. */
export function isSecretStoreRecord(raw: Readonly<Record<string, unknown>>): boolean {
  const kind = kindOf(raw);
  return raw['secret'] === true || (kind !== undefined && SECRET_BY_DEFAULT.has(kind));
}

/** Refuse `secret: true` on a plaintext kind, naming the store and where it is declared. */
export function checkStoreSecrecy(stores: Readonly<Record<string, RawRecord>>): void {
  for (const [name, { raw, location }] of Object.entries(stores)) {
    const kind = kindOf(raw);
    if (raw['secret'] === true && kind !== undefined && PLAINTEXT.has(kind)) {
      throw new AppError(
        'CONFIG',
        `store "${name}" (${kind}) cannot be a secret store: ${kind} keeps values in plaintext`,
        {
          location,
          hint: 'Remove `secret: true`, or use an encrypting backend (aws/ssm, aws/asm, hashicorp/vault, azure/keyvault, gcp/secretmanager, onepassword, keychain).',
        },
      );
    }
  }
}
