// Azure Key Vault secret names, as Atmos makes them: parts joined with `-`, every character outside
// [0-9a-zA-Z-] turned into `-`, runs of `-` collapsed, ends trimmed. Lossy: use findNameCollisions().
// Where Atmos falls back to the name "default" for an empty result we refuse instead (a silent shared name).
import { atmosJoin, refuse, type NamingContext } from './common';
import { scopedParts, scopedPath, type SecretPath } from '../paths';

export const AZURE_MAX_NAME_LENGTH = 127;
const KIND = 'azure/keyvault';

export interface AzureNamingOptions {
  readonly prefix?: string;
  readonly stackDelimiter?: string;
}

export function normalizeAzureName(raw: string): string {
  return raw
    .replace(/[^0-9a-zA-Z-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function azureSecretName(path: SecretPath, options: AzureNamingOptions, ctx: NamingContext): string {
  const sp = scopedPath(path, { prefix: options.prefix ?? '', stackDelimiter: options.stackDelimiter ?? '-' });
  const name = normalizeAzureName(atmosJoin(scopedParts(sp), '-'));
  if (name === '') refuse(path, ctx, KIND, 'the name has no letters or digits left after Key Vault normalisation');
  if (name.length > AZURE_MAX_NAME_LENGTH) {
    refuse(
      path,
      ctx,
      KIND,
      `"${name.slice(0, 40)}..." is ${name.length} characters; Key Vault allows ${AZURE_MAX_NAME_LENGTH}`,
    );
  }
  return name;
}
