// OS keychain entries, as Atmos' keychain store names them: service `atmos-secrets`, account =
// `<prefix>/<stack segments>/<component segments>/<NAME>` with prefix `atmos` (an empty prefix also means `atmos`).
import { atmosJoin, hasControlCharacter, refuse, type NamingContext } from './common';
import { scopedParts, scopedPath, type SecretPath } from '../paths';

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
  const prefix = options.prefix === undefined || options.prefix === '' ? KEYCHAIN_DEFAULT_PREFIX : options.prefix;
  const sp = scopedPath(path, { prefix, stackDelimiter: options.stackDelimiter ?? '-' });
  const account = atmosJoin(scopedParts(sp), '/');
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
