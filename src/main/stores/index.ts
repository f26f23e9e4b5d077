// The store layer's public face: the SecretStore interface and errors, scope paths, naming, the registry.
export * from './secret-store';
export {
  SECRET_SCOPES,
  assertValidSecretPath,
  coordinateKey,
  formatScopePath,
  scopedPath,
  splitComponent,
  splitStack,
  type ScopedPath,
  type ScopePathOptions,
} from './paths';
export { backoffDelay, realSleep, retryThrottled, type RetryOptions, type Sleep } from './retry';
export * from './store-kinds';
export * from './registry';
export { builtInStoreFactories, type BuiltInFactoryDeps } from './factories';
export * from './naming';
