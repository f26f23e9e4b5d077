// The Atmos config loader's public API: load a workspace, list stacks and components, get merged component
// configurations, describe them, and the reference classes the secrets engine and store registry look for.
export {
  loadWorkspace,
  Workspace,
  type LoadWorkspaceOptions,
  type ComponentListing,
  type StackInfo,
} from './workspace';
export {
  describeComponent,
  describeStacks,
  describeStacksEach,
  maskReferences,
  MASK,
  type DescribedComponent,
  type DescribedStack,
  type DescribedStacks,
  type DescribeStacksOptions,
} from './describe';
export { SecretRef, StoreRef, DeferredCall, OpaqueCall, LiteralText, parseSecretRef, parseStoreRef } from './yaml-refs';
export type {
  ComponentConfig,
  SecretDeclaration,
  SecretScope,
  ProviderRecord,
  SecretsModelConfig,
  SecretsModelSections,
} from './component-config';
export { SECRETS_MODEL_SECTIONS } from './component-config';
export { sourceLocation, type DeclarationSource, type DeclarationRole } from './provenance';
export type { RawRecord, ConfigWarning, ResolvedConfig, AtmosConfigFile } from './atmos-config';
export { discoverConfig, loadAtmosConfig, findGitRoot } from './atmos-config';
export type { Fetcher } from './include';
export { renderTemplate, TemplateError, type TemplateOptions } from './go-template';
export { queryPath } from './yq-path';
export { PLAINTEXT_KINDS, SECRET_BY_DEFAULT_KINDS, SECRET_BY_DEFAULT_ALIASES } from './store-secrecy';
export { Merger, type ListMergeStrategy } from './merge';
