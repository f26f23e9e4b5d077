// The tags every version we write carries. Key Vault names are lossy (Atmos' mapping turns every character
// outside [0-9a-zA-Z-] into `-` and compares without case), so the name alone cannot say which declared secret a
// Key Vault secret is. The tags keep the original path and its coordinate, so that:
//  - listing a vault can find ours and map each back to its declaration (drift listing: tags come back with
//    `listPropertiesOfSecrets`, no value read);
//  - a read can tell "this name holds another declared secret's value" (a collision validate also reports) and
//    refuse it rather than hand one secret's value to another. A secret without our tags (written by Atmos or by
//    hand) is taken as it is.
import { formatScopePath, type ScopedPath, type SecretPath } from '../paths';
import { UnmappablePathError } from '../store-errors';

export const TAG_MANAGED_BY = 'managed-by';
export const MANAGED_BY = 'atmos-secrets';
/** `{prefix}/{stack...}/{component...}/{NAME}`, as people read it. */
export const TAG_PATH = 'atmos-path';
export const TAG_SCOPE = 'atmos-scope';
export const TAG_STACK = 'atmos-stack';
export const TAG_COMPONENT = 'atmos-component';
export const TAG_NAME = 'atmos-name';
/** Key Vault's limit on a tag value. */
export const MAX_TAG_VALUE = 256;

/** The coordinate tags, compared on read: the path without the store's prefix, which only the store decides. */
const COORDINATE_TAGS = [TAG_SCOPE, TAG_STACK, TAG_COMPONENT, TAG_NAME] as const;

function coordinate(path: SecretPath): Record<(typeof COORDINATE_TAGS)[number], string> {
  return {
    [TAG_SCOPE]: path.scope,
    [TAG_STACK]: path.scope === 'global' ? '' : (path.stack ?? ''),
    [TAG_COMPONENT]: path.scope === 'instance' ? (path.component ?? '') : '',
    [TAG_NAME]: path.name,
  };
}

/** The tags of a version written for `path`; a tag value over Key Vault's limit refuses the path before any call. */
export function ownerTags(path: SecretPath, scoped: ScopedPath, store: string): Record<string, string> {
  const tags: Record<string, string> = {
    [TAG_MANAGED_BY]: MANAGED_BY,
    [TAG_PATH]: formatScopePath(scoped),
  };
  for (const [key, value] of Object.entries(coordinate(path))) if (value !== '') tags[key] = value;
  for (const [key, value] of Object.entries(tags)) {
    if (value.length > MAX_TAG_VALUE) {
      throw new UnmappablePathError(
        { secret: path.name, store },
        'azure/keyvault',
        `its ${key} (${value.length} characters) is longer than the ${MAX_TAG_VALUE} characters a Key Vault tag holds`,
      );
    }
  }
  return tags;
}

/**
 * The declared secret a version was written for, when its tags say (undefined: not ours, or not tagged).
 * Returned as the human path for messages.
 */
export function otherOwner(tags: Readonly<Record<string, string>> | undefined, path: SecretPath): string | undefined {
  if (!tags || tags[TAG_SCOPE] === undefined) return undefined;
  const mine = coordinate(path);
  const same = COORDINATE_TAGS.every((k) => (tags[k] ?? '') === mine[k]);
  if (same) return undefined;
  return (
    tags[TAG_PATH] ?? `${tags[TAG_SCOPE]}:${tags[TAG_STACK] ?? ''}/${tags[TAG_COMPONENT] ?? ''}/${tags[TAG_NAME] ?? ''}`
  );
}
