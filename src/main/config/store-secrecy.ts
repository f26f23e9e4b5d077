// Which `stores:` records are secret stores, as far as the loader must know to refuse what the spec refuses at
// load (`secret: true` on a plaintext kind) and in describe (`!store` on a secret store). The store registry
// (src/main/stores/store-kinds.ts) owns the full kind vocabulary; config may not import it (layer rule), so the
// few names needed here are repeated, with Atmos' legacy `type` spellings.
import { AppError } from '../../shared/errors';
import { type RawRecord } from './atmos-config';

/** Kinds that keep values in plaintext: `!store` only, never a secret store. */
const PLAINTEXT_KINDS: ReadonlySet<string> = new Set(['redis', 'artifactory']);
/** Kinds that are secret stores whatever `secret:` says (Atmos' secretByDefaultKinds, with legacy names). */
const SECRET_BY_DEFAULT_KINDS: ReadonlySet<string> = new Set(['onepassword', '1password', 'keychain', 'keyring']);

/** A store's kind as written: `kind` wins over the legacy `type`. */
function kindOf(raw: Readonly<Record<string, unknown>>): string | undefined {
  const k = raw['kind'] ?? raw['type'];
  return typeof k === 'string' ? k.trim() : undefined;
}

/** True for `secret: true` and for the secret-by-default kinds. */
export function isSecretStoreRecord(raw: Readonly<Record<string, unknown>>): boolean {
  const kind = kindOf(raw);
  return raw['secret'] === true || (kind !== undefined && SECRET_BY_DEFAULT_KINDS.has(kind));
}

/** Refuse `secret: true` on a plaintext kind, naming the store and where it is declared. */
export function checkStoreSecrecy(stores: Readonly<Record<string, RawRecord>>): void {
  for (const [name, { raw, location }] of Object.entries(stores)) {
    const kind = kindOf(raw);
    if (raw['secret'] === true && kind !== undefined && PLAINTEXT_KINDS.has(kind)) {
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
