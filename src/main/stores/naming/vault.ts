// HashiCorp Vault KV v2 locations: a mount plus a `/`-joined data path holding one field, `value` (as Atmos).
// Atmos' Vault store splits stacks on `/` by default, not `-`. Segments are URL-encoded for the HTTP paths.
import { AppError } from '../../../shared/errors';
import { atmosJoin, hasControlCharacter, refuse, type NamingContext } from './common';
import { scopedParts, scopedPath, type SecretPath } from '../paths';

export const VAULT_VALUE_FIELD = 'value';
export const VAULT_DEFAULT_STACK_DELIMITER = '/';
const KIND = 'hashicorp/vault';

export interface VaultNamingOptions {
  /** The KV v2 mount (`options.mount`, or Atmos' older `options.path`). */
  readonly mount: string;
  readonly prefix?: string;
  readonly stackDelimiter?: string;
}

export interface VaultLocation {
  readonly mount: string;
  /** The secret's path inside the mount, e.g. `atmos/plat-ue2-dev/app/DB_PASSWORD`. */
  readonly path: string;
  /** `<mount>/data/<path>`, each segment URL-encoded: the read/write endpoint after `/v1/`. */
  readonly dataPath: string;
  /** `<mount>/metadata/<path>`: versions, existence and delete-all. */
  readonly metadataPath: string;
  readonly field: typeof VAULT_VALUE_FIELD;
}

function encodeSegments(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

export function vaultLocation(path: SecretPath, options: VaultNamingOptions, ctx: NamingContext): VaultLocation {
  const mount = options.mount.replace(/^\/+|\/+$/g, '');
  if (mount === '') {
    throw new AppError(
      'CONFIG',
      `store "${ctx.store}" (${KIND}) needs options.mount, the KV v2 mount (e.g. "secret")`,
      {
        location: ctx.location,
      },
    );
  }
  const sp = scopedPath(path, {
    prefix: options.prefix ?? '',
    stackDelimiter: options.stackDelimiter ?? VAULT_DEFAULT_STACK_DELIMITER,
  });
  const inner = atmosJoin(scopedParts(sp), '/').replace(/^\/+/, '');
  if (hasControlCharacter(inner)) refuse(path, ctx, KIND, 'control characters are not allowed in a Vault path');
  const segments = inner.split('/');
  if (segments.some((s) => s === '')) refuse(path, ctx, KIND, `"${inner}" has an empty path segment`);
  if (segments.some((s) => s === '.' || s === '..')) {
    refuse(path, ctx, KIND, `"${inner}" has a "." or ".." segment, which Vault would resolve away`);
  }
  return {
    mount,
    path: inner,
    dataPath: `${encodeSegments(mount)}/data/${encodeSegments(inner)}`,
    metadataPath: `${encodeSegments(mount)}/metadata/${encodeSegments(inner)}`,
    field: VAULT_VALUE_FIELD,
  };
}
