// The backends in this build. Each backend folder exports its factory; this is where they are registered.
// Only the keychain exists so far; the other kinds register here as their adapters land.
import { keychainStoreFactory, type KeychainFactoryDeps } from './keychain';
import { StoreFactoryTable } from './registry';
import { vaultStoreFactory } from './vault';

export interface BuiltInFactoryDeps {
  readonly keychain?: KeychainFactoryDeps;
}

export function builtInStoreFactories(deps: BuiltInFactoryDeps = {}): StoreFactoryTable {
  return new StoreFactoryTable()
    .register('keychain', keychainStoreFactory(deps.keychain))
    .register('hashicorp/vault', vaultStoreFactory({ makeKeychain: deps.keychain?.makeKeychain }));
}
