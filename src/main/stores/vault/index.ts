// The `hashicorp/vault` backend's registration: validates the store's options, resolves the address and
// namespace (options, else VAULT_ADDR / VAULT_NAMESPACE, else Vault's defaults) and builds a VaultSecretStore.
// node-vault is loaded with import() on the first call, never when the CLI starts.
import { AppError } from '../../../shared/errors';
import { DEFAULT_KEYCHAIN_SERVICE, type Keychain } from '../../keychain/keychain';
import { KeytarKeychain } from '../../keychain/keytar-keychain';
import type { StoreFactory } from '../store-factory';
import { DEFAULT_VAULT_ADDR, parseVaultOptions } from './vault-options';
import { loadNodeVault, type VaultHttp, type VaultHttpSettings } from './vault-http';
import { VaultSecretStore, type VaultStoreSettings } from './vault-store';

export {
  VaultSecretStore,
  VAULT_MAX_VALUE_BYTES,
  VAULT_MAX_ENCODED_BYTES,
  DEFAULT_VAULT_CONCURRENCY,
  type VaultSecretVersion,
  type VaultStoreSettings,
} from './vault-store';
export { vaultTokenAccount, saveVaultToken, resolveVaultToken, type VaultTokenSource } from './vault-token';
export { DEFAULT_VAULT_ADDR, DEFAULT_VAULT_TIMEOUT_MS, parseVaultOptions } from './vault-options';
export { loadNodeVault, type VaultHttp, type VaultHttpSettings } from './vault-http';

export interface VaultFactoryDeps {
  /** Opens the OS keychain for a service (the token's last source); the real OS keychain by default. */
  readonly makeKeychain?: ((service: string) => Keychain) | undefined;
  /** VAULT_ADDR, VAULT_TOKEN, VAULT_NAMESPACE (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Builds the HTTP client (tests); node-vault by default. */
  readonly connect?: ((settings: VaultHttpSettings) => Promise<VaultHttp>) | undefined;
  readonly retry?: VaultStoreSettings['retry'];
  readonly concurrency?: number | undefined;
  /** Cancels the stores' calls (see VaultStoreSettings.signal). */
  readonly signal?: AbortSignal | undefined;
}

export function vaultStoreFactory(deps: VaultFactoryDeps = {}): StoreFactory {
  const makeKeychain = deps.makeKeychain ?? ((service: string) => new KeytarKeychain(service));
  return (config) => {
    if (config.identity !== undefined) {
      throw new AppError(
        'CONFIG',
        `store "${config.name}" (hashicorp/vault) names identity "${config.identity}", but Vault stores use a Vault token, not a cloud identity`,
        {
          location: config.location,
          hint: 'Remove `identity` and give the token with options.token, VAULT_TOKEN or the OS keychain.',
        },
      );
    }
    const o = parseVaultOptions(config);
    const env = deps.env ?? process.env;
    let keychain: Keychain | undefined;
    return new VaultSecretStore({
      name: config.name,
      location: config.location,
      endpoint: (o.url ?? (env['VAULT_ADDR'] || DEFAULT_VAULT_ADDR)).replace(/\/+$/, ''),
      namespace: o.namespace ?? (env['VAULT_NAMESPACE'] || undefined),
      mount: o.mount,
      prefix: o.prefix,
      stackDelimiter: o.stackDelimiter,
      token: o.token,
      env,
      keychain: () => (keychain ??= makeKeychain(DEFAULT_KEYCHAIN_SERVICE)),
      timeoutMs: o.timeoutMs,
      caCertFile: o.caCert ?? (env['VAULT_CACERT'] || undefined),
      connect: deps.connect ?? loadNodeVault,
      concurrency: deps.concurrency,
      retry: deps.retry,
      signal: deps.signal,
    });
  };
}
