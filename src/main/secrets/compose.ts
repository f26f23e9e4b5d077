// Builds the SecretsService for a loaded workspace with every backend this build has: one composition
// for the CLI and the app, so both run the same stores and SOPS wiring.
import type { Workspace } from '../config';
import type { Keychain } from '../keychain/keychain';
import { builtInStoreFactories } from '../stores';
import { SecretsService, type SecretsServiceOptions } from './service';

export interface ServiceDeps {
  /** The OS keychain for a service name (KeytarKeychain in the app and CLI; MemoryKeychain in unit tests). */
  readonly keychain: (service?: string) => Keychain;
  readonly confirm?: SecretsServiceOptions['confirm'];
  /** `--identity` / `ATMOS_IDENTITY`. */
  readonly identity?: string | undefined;
}

export function createSecretsService(workspace: Workspace, deps: ServiceDeps): SecretsService {
  return new SecretsService({
    workspace,
    factories: builtInStoreFactories({ keychain: { makeKeychain: (service) => deps.keychain(service) } }),
    confirm: deps.confirm,
    identity: deps.identity,
  });
}
