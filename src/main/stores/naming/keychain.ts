// OS keychain entries, as Atmos' keychain store names them: service `atmos-secrets`, account =
// `<prefix>/<stack segments>/<component segments>/<NAME>` with prefix `atmos` (an empty prefix also means `atmos`).
import { atmosJoin, hasControlCharacter, refuse, type NamingContext } from './common';
import { assertValidSecretPath, scopedParts, scopedPath, type SecretPath } from '../paths';

export const KEYCHAIN_DEFAULT_PREFIX = 'atmos';
/**
 * keytar stores the account as the Windows credential's UserName (at most 513 characters with its terminator).
 * Applied everywhere so a workspace that works on one OS works on the others.
 */
export const KEYCHAIN_MAX_ACCOUNT_LENGTH = 512;
const KIND = 'keychain';

export interface KeychainNamingOptions {
  readonly prefix?: string;
  readonly stackDelimiter?: string;
}

export function keychainAccount(path: SecretPath, options: KeychainNamingOptions, ctx: NamingContext): string {
  const prefix = prefixOf(options);
  const sp = scopedPath(path, { prefix, stackDelimiter: options.stackDelimiter ?? '-' });
  return checked(atmosJoin(scopedParts(sp), '/'), path, ctx);
}

function prefixOf(options: KeychainNamingOptions): string {
  return options.prefix === undefined || options.prefix === '' ? KEYCHAIN_DEFAULT_PREFIX : options.prefix;
}

function checked(account: string, path: SecretPath, ctx: NamingContext): string {
  if (hasControlCharacter(account)) refuse(path, ctx, KIND, 'control characters are not allowed in a keychain account');
  if (account.length > KEYCHAIN_MAX_ACCOUNT_LENGTH) {
    refuse(
      path,
      ctx,
      KIND,
      `the account name is ${account.length} characters; keychains allow ${KEYCHAIN_MAX_ACCOUNT_LENGTH}`,
    );
  }
  return account;
}

/**
 * keychainAccount for one store, remembering the last scope's head (`<prefix>/<stack segments>/<component
 * segments>`): `list` names 150,000 accounts twice (placing each secret, then the keychain's batch status), in
 * runs of one stack and component, and splitting and joining the same stack and component each time was a
 * tenth of its CPU. Same names and refusals as keychainAccount (the unit tests hold them side by side).
 *
 * Atmos' `//` collapse is one left-to-right pass over the whole joined name, so the head is only reused where the
 * pass cannot cross the `/` before the name: the head does not end with `/` and the name does not start with one.
 * Otherwise (a prefix like `team/`) the whole name is joined as keychainAccount joins it.
 */
export function keychainNamer(options: KeychainNamingOptions, ctx: NamingContext): (path: SecretPath) => string {
  const prefix = prefixOf(options);
  const scopeOptions = { prefix, stackDelimiter: options.stackDelimiter ?? '-' };
  let last: { scope: SecretPath['scope']; stack?: string; component?: string; head: string | undefined } | undefined;
  return (path) => {
    if (!last || last.scope !== path.scope || last.stack !== path.stack || last.component !== path.component) {
      // The head of this scope (with no name): the scope's own segments, `//` collapsed, or undefined if unsafe.
      const sp = scopedPath(path, scopeOptions);
      const raw = [sp.prefix, ...sp.stack, ...sp.component].join('/');
      last = {
        scope: path.scope,
        stack: path.stack,
        component: path.component,
        head: raw.endsWith('/') ? undefined : atmosJoin([raw], '/'),
      };
    } else assertValidSecretPath(path);
    if (last.head === undefined || path.name.startsWith('/')) return keychainAccount(path, options, ctx);
    return checked(`${last.head}/${atmosJoin([path.name], '/')}`, path, ctx);
  };
}
