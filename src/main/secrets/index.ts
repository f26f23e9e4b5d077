// The secrets engine's public face: declarations, coordinates, `!secret` resolution, consumers, the backend
// seam (store-backed and SOPS), the one service every caller uses, and the provider-wide SOPS operations.
export { SecretsService, type SecretsServiceOptions } from './service';
export { createSecretsService, type ServiceDeps } from './compose';
export {
  createBackends,
  readOptional,
  rememberingBackend,
  StoreSecretBackend,
  UnavailableSopsBackend,
  withBackend,
  type SecretBackend,
  type SecretBackends,
} from './backend';
export { SecretsIndex, type BrokenSecret, type ComponentSecrets, type PlacedSecret } from './component-secrets';
export { ConsumersIndex, type Consumer, type ConsumerSummary } from './consumers';
export {
  componentIdentity,
  coordinateOf,
  describeCoordinate,
  resolveIdentity,
  secretPathOf,
  type IdentitySource,
  type ResolvedIdentity,
  type SecretCoordinate,
  type SopsCoordinate,
  type StoreCoordinate,
} from './coordinates';
export {
  declarationOf,
  notDeclaredError,
  parseDeclaration,
  parseDeclarations,
  providerLabel,
  type BackendRef,
  type Declaration,
  type ParsedDeclarations,
} from './declarations';
export { formatSecretFile, parseSecretFile, SECRET_FILE_FORMATS, type SecretFileFormat } from './dotenv';
export type { PullRequest, PullResult, PushRequest, PushResult } from './files';
export type { ImportPlan, ImportRequest } from './import';
export type { InitEntry, InitReport, InitRequest } from './init';
export { legacySourcePath, type LegacySource, type LegacyStoreUse } from './legacy-stores';
export { STACK_WIDE, type ListFilter, type ListRow, type ListStatus } from './list';
export type {
  Confirm,
  Confirmable,
  ConfirmItem,
  ConfirmRequest,
  LongRunning,
  Progress,
  SecretOperation,
} from './operation-context';
export { PRIVATE_FILE_MODE, writePrivateFileAtomic } from './private-file';
export {
  parseSopsProvider,
  sopsPlacement,
  SOPS_PROVIDER_KINDS,
  type SopsPlacement,
  type SopsProvider,
  type SopsProviderKind,
} from './providers';
export {
  applyModifiers,
  assertSecretsDeclared,
  checkReferences,
  notInitializedError,
  resolveReferences,
  type ResolveContext,
} from './resolve';
export { StoreCatalog } from './store-catalog';
export type { SecretTarget } from './targets';
export type { IssueKind, ValidateFilter, ValidationIssue, ValidationReport } from './validate';
export type { ChangeResult, DeleteRequest, GetRequest, SetRequest, TargetInfo } from './values';
export {
  chooseShell,
  execCommandLine,
  shellQuote,
  type EnvironmentRequest,
  type PreparedEnvironment,
  type RunRequest,
  type RunResult,
} from './child-env';
export { SopsSecretBackend, sopsValueText, type SopsBackendDeps } from './sops-backend';
export {
  ageKeyAccount,
  SopsKeys,
  sopsKeySpec,
  type AgeKeychainPlace,
  type SopsKeySpec,
  type SopsKeysDeps,
} from './sops-keys';
export {
  applySopsRekey,
  describeRekeyPlan,
  keygenForProvider,
  planSopsRekey,
  resolveSopsProvider,
  sopsProviderFiles,
  sopsProviderNames,
  sopsProviders,
  type SopsKeygenRequest,
  type SopsKeygenResult,
  type SopsOpsDeps,
  type SopsProviderFile,
  type SopsRekeyAction,
  type SopsRekeyPlanSet,
} from './sops-ops';
export { deleteAllSecrets, type DeleteAllRequest, type DeletedValue } from './delete-all';
