// The `onepassword` backend's registration: validates the options and builds a OnePasswordSecretStore whose
// backend (Connect or service account, see op-options.ts) is chosen and loaded with import() on the first call,
// never when the CLI starts.
import { AppError } from '../../../shared/errors';
import { DEFAULT_KEYCHAIN_SERVICE, type Keychain } from '../../keychain/keychain';
import { KeytarKeychain } from '../../keychain/keytar-keychain';
import type { StoreFactory } from '../store-factory';
import { connectBackend } from './op-connect';
import { parseOpOptions } from './op-options';
import { loadSdkBackend } from './op-sdk';
import { OnePasswordSecretStore, type OpConnectors } from './op-store';

export { OnePasswordSecretStore, OP_MAX_VALUE_BYTES, type OpConnectors } from './op-store';
export { OpBackendError, type OpBackend, type OpItem, type OpMode } from './op-backend';
export { OpSecretNotFoundError, OpThrottledError, OpVaultNotVisibleError, type OpMissing } from './op-errors';
export { chooseOpMode, parseOpOptions, type OpModeChoice } from './op-options';
export { sdkBackend, type OpSdkClient } from './op-sdk';
export { connectBackend } from './op-connect';

/** Sent to 1Password as the SDK integration's version. */
const INTEGRATION_VERSION = '1';

export const realOpConnectors: OpConnectors = {
  connect: (s) => connectBackend(s),
  serviceAccount: (token) => loadSdkBackend(token, INTEGRATION_VERSION),
};

export interface OnePasswordFactoryDeps {
  readonly makeKeychain?: ((service: string) => Keychain) | undefined;
  /** OP_CONNECT_HOST, OP_CONNECT_TOKEN, OP_SERVICE_ACCOUNT_TOKEN (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Builds the backends (tests inject the SDK fake); the real SDKs by default. */
  readonly connectors?: OpConnectors | undefined;
}

export function onePasswordStoreFactory(deps: OnePasswordFactoryDeps = {}): StoreFactory {
  const makeKeychain = deps.makeKeychain ?? ((service: string) => new KeytarKeychain(service));
  return (config) => {
    if (config.identity !== undefined) {
      throw new AppError(
        'CONFIG',
        `store "${config.name}" (onepassword) names identity "${config.identity}", but 1Password stores use a Connect or service-account token`,
        {
          location: config.location,
          hint: 'Remove `identity`; give the token with options, the environment or the OS keychain.',
        },
      );
    }
    const options = parseOpOptions(config);
    let keychain: Keychain | undefined;
    return new OnePasswordSecretStore({
      name: config.name,
      location: config.location,
      options,
      env: deps.env ?? process.env,
      keychain: () => (keychain ??= makeKeychain(DEFAULT_KEYCHAIN_SERVICE)),
      connectors: deps.connectors ?? realOpConnectors,
    });
  };
}
