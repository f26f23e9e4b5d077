// GCP Secret Manager secret ids, as Atmos makes them: parts joined with `_`, `/` turned into `_`, `__`
// collapsed (one pass, as Go's ReplaceAll), `_` trimmed from both ends. Lossy: use findNameCollisions().
import { atmosJoin, firstDisallowed, refuse, type NamingContext } from './common';
import { scopedParts, scopedPath, type SecretPath } from '../paths';

export const GCP_MAX_NAME_LENGTH = 255;
const ALLOWED = /[A-Za-z0-9_-]/;
const KIND = 'gcp/secretmanager';

export interface GcpNamingOptions {
  readonly prefix?: string;
  readonly stackDelimiter?: string;
}

export function normalizeGcpName(raw: string): string {
  return raw
    .replaceAll('/', '_')
    .replaceAll('__', '_')
    .replace(/^_+|_+$/g, '');
}

export function gcpSecretId(path: SecretPath, options: GcpNamingOptions, ctx: NamingContext): string {
  const sp = scopedPath(path, { prefix: options.prefix ?? '', stackDelimiter: options.stackDelimiter ?? '-' });
  const id = normalizeGcpName(atmosJoin(scopedParts(sp), '_'));
  if (id === '') refuse(path, ctx, KIND, 'the secret id is empty after normalisation');
  const bad = firstDisallowed(id, ALLOWED);
  if (bad) refuse(path, ctx, KIND, `character ${bad} is not allowed in a Secret Manager id (letters, digits, _ -)`);
  if (id.length > GCP_MAX_NAME_LENGTH) {
    refuse(
      path,
      ctx,
      KIND,
      `"${id.slice(0, 40)}..." is ${id.length} characters; Secret Manager allows ${GCP_MAX_NAME_LENGTH}`,
    );
  }
  return id;
}
