// The age key source's public face, and the one-call way to build it from a provider's settings.
import { AgeKeySource } from './age-key-source';
import { resolveAgeIdentities, type AgeIdentityOptions, type AgeKeyStoreLookup } from './identities';

export { AgeKeySource, isAgeRecipient, type AgeIdentityProvider, type AgeKeySourceOptions } from './age-key-source';
export {
  defaultAgeKeyFile,
  expandPath,
  parseAgeKeyList,
  resolveAgeIdentities,
  type AgeIdentityOptions,
  type AgeKeyConfig,
  type AgeKeyStoreEntry,
  type AgeKeyStoreLookup,
  type ResolvedAgeIdentities,
} from './identities';

/** An age key source that loads identities (in the spec's precedence) on first use. */
export function createAgeKeySource(o: AgeIdentityOptions = {}): AgeKeySource {
  let searched = 'not searched yet';
  return new AgeKeySource({
    identities: async () => {
      const r = await resolveAgeIdentities(o);
      searched = [...r.searched, ...r.problems.map((p) => `(${p})`)].join(', ');
      return r.identities;
    },
    describeSources: () => searched,
  });
}

/**
 * An age_key.store lookup over named keychains (the app: `{ keychain: new KeytarKeychain() }`): the store
 * name picks the keychain, the key is the account.
 */
export function keychainAgeKeyLookup(
  keychains: Readonly<Record<string, { get(account: string): Promise<string | null> }>>,
): AgeKeyStoreLookup {
  return async (store, key) => {
    const k = keychains[store];
    return k ? k.get(key) : null;
  };
}
export {
  MAX_KEYS_PER_IMPORT,
  MAX_KEY_TEXT_BYTES,
  addKeysToText,
  heldAgeKeys,
  parseKeyImport,
  removeKeysFromText,
  type HeldAgeKey,
  type ImportedAgeKey,
} from './key-text';
