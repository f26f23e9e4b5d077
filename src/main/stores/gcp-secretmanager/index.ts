// The gcp/secretmanager backend's registration: validates the store's options, resolves its identity (a
// gcp/service-account key file, through src/main/auth as the SOPS GCP KMS key source does) and builds a
// GcpSecretStore. The SDK is loaded by the store on its first call, never here.
import { AppError } from '../../../shared/errors';
import type { GcpIdentityOptions } from '../../auth';
import type { Sleep } from '../retry';
import type { StoreConfig } from '../store-config';
import type { StoreFactory } from '../store-factory';
import { parseGcpOptions } from './gcp-options';
import { GcpSecretStore } from './gcp-store';

export {
  GcpSecretStore,
  MANAGED_LABEL,
  PATH_ANNOTATION,
  type GcpSecretVersion,
  type GcpStoreSettings,
  type GcpVersionState,
} from './gcp-store';
export { GCP_MAX_PAYLOAD_BYTES, GCP_MAX_VALUE_BYTES } from './gcp-value';
export { GcpRequestError, GcpThrottledError, GcpUnavailableError, GcpVersionNotEnabledError } from './gcp-errors';
export { DEFAULT_CONCURRENCY, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT_MS, parseGcpOptions } from './gcp-options';

/** What the factory needs from the app: the identity resolver (compose.ts builds one per workspace). */
export interface GcpStoreDeps {
  /** Auth identities -> GCP client options; a store with `identity:` needs it. */
  readonly identities?: { gcpOptions(name: string, usedFor?: string): GcpIdentityOptions } | undefined;
  /** Cancels every call of the stores made with these deps. */
  readonly signal?: AbortSignal | undefined;
  /** Tests: backoff without waiting. */
  readonly sleep?: Sleep | undefined;
  readonly random?: (() => number) | undefined;
}

/** The key file of the store's identity; undefined: application default credentials. CONFIG before any call. */
function identityKeyFile(config: StoreConfig, deps: GcpStoreDeps): string | undefined {
  if (config.identity === undefined) return undefined;
  if (!deps.identities) {
    throw new AppError(
      'CONFIG',
      `store "${config.name}" uses identity "${config.identity}", but no auth identities are available here`,
      { location: config.location, hint: 'Remove `identity:` to use application default credentials.' },
    );
  }
  return deps.identities.gcpOptions(config.identity, `store "${config.name}" (${config.kind})`).keyFilename;
}

export function gcpSecretManagerStoreFactory(deps: GcpStoreDeps = {}): StoreFactory {
  return (config) => {
    const settings = parseGcpOptions(config);
    return new GcpSecretStore({
      ...settings,
      name: config.name,
      keyFilename: identityKeyFile(config, deps),
      policy: {
        timeoutMs: settings.timeoutMs,
        maxAttempts: settings.maxAttempts,
        ...(deps.signal ? { signal: deps.signal } : {}),
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        ...(deps.random ? { random: deps.random } : {}),
      },
      location: config.location,
    });
  };
}
