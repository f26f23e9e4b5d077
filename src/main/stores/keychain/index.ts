// The keychain backend's registration: validates the store's options and builds a KeychainSecretStore.
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { DEFAULT_KEYCHAIN_SERVICE, type Keychain } from '../../keychain/keychain';
import { KeytarKeychain } from '../../keychain/keytar-keychain';
import type { StoreFactory } from '../store-factory';
import { KeychainSecretStore } from './keychain-store';

export { KeychainSecretStore, type KeychainStoreSettings } from './keychain-store';
export { decodeKeychainValue, encodeKeychainValue } from './keychain-value';
export {
  keychainMaxValueBytes,
  keychainValueLimit,
  KEYCHAIN_APP_MAX_BYTES,
  WINDOWS_CREDENTIAL_MAX_BYTES,
} from './keychain-limits';

const keychainOptionsSchema = z.looseObject({
  service: z.string().min(1).optional(),
  prefix: z.string().optional(),
  stack_delimiter: z.string().optional(),
  // Atmos also offers `file` and `memory` keyrings; this app keeps secrets only in the real OS keychain.
  backend: z.literal('system', { error: 'only "system" (the OS keychain) is supported' }).optional(),
});

export interface KeychainFactoryDeps {
  /** Opens the keychain for a service; the real OS keychain by default. */
  readonly makeKeychain?: (service: string) => Keychain;
  readonly platform?: NodeJS.Platform;
}

export function keychainStoreFactory(deps: KeychainFactoryDeps = {}): StoreFactory {
  const makeKeychain = deps.makeKeychain ?? ((service: string) => new KeytarKeychain(service));
  return (config) => {
    const parsed = keychainOptionsSchema.safeParse(config.options);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `options.${i.path.join('.')}: ${i.message}`).join('; ');
      throw new AppError('CONFIG', `store "${config.name}" (keychain) has invalid options: ${detail}`, {
        location: config.location,
      });
    }
    const o = parsed.data;
    return new KeychainSecretStore({
      name: config.name,
      keychain: makeKeychain(o.service ?? DEFAULT_KEYCHAIN_SERVICE),
      prefix: o.prefix,
      stackDelimiter: o.stack_delimiter,
      platform: deps.platform,
      location: config.location,
    });
  };
}
