// Builds the SecretsService for a loaded workspace with every backend this build has: one composition
// for the CLI and the app, so both run the same stores and SOPS wiring.
import { IdentityResolver } from '../auth';
import type { Workspace } from '../config';
import type { Keychain } from '../keychain/keychain';
import { builtInStoreFactories } from '../stores';
import { requestWarningSink } from './request-warnings';
import { SecretsService, type SecretsServiceOptions } from './service';
import { SopsSecretBackend } from './sops-provider/sops-backend';
import { StoreCatalog } from './model/store-catalog';

export interface ServiceDeps {
  /** The OS keychain for a service name (KeytarKeychain in the app and CLI; MemoryKeychain in unit tests). */
  readonly keychain: (service?: string) => Keychain;
  readonly confirm?: SecretsServiceOptions['confirm'];
  /** `--identity` / `ATMOS_IDENTITY`. */
  readonly identity?: string | undefined;
  /** Where SOPS_AGE_KEY_FILE / SOPS_AGE_KEY / GNUPGHOME are read (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Things the person should know (e.g. an age key generated on first use); never a value or key. */
  readonly onWarning?: ((message: string) => void) | undefined;
  /** Told every value read or written (default: the process redactor). */
  readonly remember?: SecretsServiceOptions['remember'];
  /** Auth identities -> SDK credentials (default: from atmos.yaml `auth:`, with this keychain and env). */
  readonly identities?: IdentityResolver | undefined;
}

/** The identity resolver of a workspace: its atmos.yaml `auth:` section, aws/user keys in the keychain. */
export function identityResolverFor(
  workspace: Workspace,
  deps: Pick<ServiceDeps, 'keychain' | 'env'>,
): IdentityResolver {
  return new IdentityResolver({
    auth: workspace.rawConfig['auth'],
    keychain: deps.keychain,
    env: deps.env,
    basePath: workspace.basePath,
  });
}

/** The SOPS backend of a workspace (exported for tests that build the service over memory keychains). */
export function sopsBackendFor(
  workspace: Workspace,
  deps: Pick<ServiceDeps, 'keychain' | 'env' | 'onWarning' | 'identities'>,
): SopsSecretBackend {
  return new SopsSecretBackend({
    stores: StoreCatalog.fromWorkspace(workspace),
    basePath: workspace.basePath,
    keychain: deps.keychain,
    env: deps.env,
    // A request that brings its own onWarning gets its warnings; others go to the service-wide one.
    onWarning: requestWarningSink(deps.onWarning),
    identities: deps.identities ?? identityResolverFor(workspace, deps),
  });
}

export function createSecretsService(workspace: Workspace, deps: ServiceDeps): SecretsService {
  // One resolver for the stores' and the SOPS key sources' identities, so an assumed role is assumed once.
  const identities = deps.identities ?? identityResolverFor(workspace, deps);
  return new SecretsService({
    workspace,
    factories: builtInStoreFactories({
      keychain: { makeKeychain: (service) => deps.keychain(service) },
      aws: { identities },
      gcp: { identities },
      azure: { identities },
    }),
    sops: sopsBackendFor(workspace, { ...deps, identities }),
    confirm: deps.confirm,
    identity: deps.identity,
    ...(deps.remember ? { remember: deps.remember } : {}),
  });
}
