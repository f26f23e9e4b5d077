// The `azure/keyvault` backend's registration: validates the store's options, decides its credential (see
// keyvault-credential.ts) and builds a KeyVaultSecretStore. @azure/keyvault-secrets and @azure/identity are
// loaded by the store on its first call, never here (the CLI must not pay for them at start).
import type { StoreFactory } from '../store-factory';
import type { Sleep } from '../retry';
import { planCredential, type AzureIdentities } from './keyvault-credential';
import { parseKeyVaultOptions } from './keyvault-options';
import { KeyVaultSecretStore } from './keyvault-store';

export {
  KeyVaultSecretStore,
  KEYVAULT_MAX_VALUE_BYTES,
  type KeyVaultSecretVersion,
  type KeyVaultStoreSettings,
} from './keyvault-store';
export {
  DEFAULT_KEYVAULT_CONCURRENCY,
  DEFAULT_KEYVAULT_MAX_ATTEMPTS,
  DEFAULT_KEYVAULT_TIMEOUT_MS,
  parseKeyVaultOptions,
  type KeyVaultOptions,
} from './keyvault-options';
export {
  NO_AUTH_TOKEN,
  planCredential,
  type AzureIdentities,
  type CredentialPlan,
  type TokenCredential,
} from './keyvault-credential';
export { KeyVaultRequestError, KeyVaultUnavailableError } from './keyvault-call';
export { MANAGED_BY, TAG_COMPONENT, TAG_MANAGED_BY, TAG_NAME, TAG_PATH, TAG_SCOPE, TAG_STACK } from './keyvault-tags';

export interface KeyVaultFactoryDeps {
  /** The app's auth identities; a store with `identity:` needs one that gives Azure credentials. */
  readonly identities?: AzureIdentities | undefined;
  /** AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Cancels every call of the stores made with these deps. */
  readonly signal?: AbortSignal | undefined;
  /** Tests: backoff without waiting, and quick pollers. */
  readonly sleep?: Sleep | undefined;
  readonly random?: (() => number) | undefined;
  readonly pollIntervalMs?: number | undefined;
}

export function keyVaultStoreFactory(deps: KeyVaultFactoryDeps = {}): StoreFactory {
  return (config) => {
    const options = parseKeyVaultOptions(config);
    const credential = planCredential({
      store: config.name,
      identity: config.identity,
      location: config.location,
      options,
      env: deps.env ?? process.env,
      identities: deps.identities,
    });
    return new KeyVaultSecretStore({
      name: config.name,
      location: config.location,
      options,
      credential,
      signal: deps.signal,
      sleep: deps.sleep,
      random: deps.random,
      pollIntervalMs: deps.pollIntervalMs,
    });
  };
}
