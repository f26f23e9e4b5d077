// The backends in this build. Each backend folder exports its factory; this is where they are registered.
// A configured store of a kind with no factory is refused clearly.
import { asmStoreFactory } from './aws-asm';
import type { AwsStoreDeps } from './aws-common';
import { ssmStoreFactory } from './aws-ssm';
import { keyVaultStoreFactory, type KeyVaultFactoryDeps } from './azure-keyvault';
import { gcpSecretManagerStoreFactory, type GcpStoreDeps } from './gcp-secretmanager';
import { keychainStoreFactory, type KeychainFactoryDeps } from './keychain';
import { onePasswordStoreFactory } from './onepassword';
import { StoreFactoryTable } from './registry';
import { vaultStoreFactory } from './vault';

export interface BuiltInFactoryDeps {
  readonly keychain?: KeychainFactoryDeps;
  /** aws/ssm and aws/asm: the auth identity resolver for stores with `identity:`. */
  readonly aws?: AwsStoreDeps;
  /** gcp/secretmanager: the auth identity resolver for stores with `identity:`. */
  readonly gcp?: GcpStoreDeps;
  /** azure/keyvault: the auth identity resolver for stores with `identity:`. */
  readonly azure?: KeyVaultFactoryDeps;
}

export function builtInStoreFactories(deps: BuiltInFactoryDeps = {}): StoreFactoryTable {
  return new StoreFactoryTable()
    .register('keychain', keychainStoreFactory(deps.keychain))
    .register('aws/ssm', ssmStoreFactory(deps.aws))
    .register('aws/asm', asmStoreFactory(deps.aws))
    .register('azure/keyvault', keyVaultStoreFactory(deps.azure))
    .register('gcp/secretmanager', gcpSecretManagerStoreFactory(deps.gcp))
    .register('hashicorp/vault', vaultStoreFactory({ makeKeychain: deps.keychain?.makeKeychain }))
    .register('onepassword', onePasswordStoreFactory({ makeKeychain: deps.keychain?.makeKeychain }));
}
