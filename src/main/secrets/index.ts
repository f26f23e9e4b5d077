// The secrets engine's public face: only what other folders use (the CLI, the IPC handlers, the app session
// and the test support). Inside the engine, modules import each other directly:
//   model/          declarations, providers, coordinates, the secrets index, consumers, `!secret` references
//   operations/     one module per operation (set/get/delete, list, validate, init, pull/push, import, exec)
//   backends/       the seam between the operations and stores / SOPS
//   sops-provider/  the SOPS backend, its keys, and the provider-wide SOPS operations (keygen, rekey)
export { SecretsService } from './service';
export { createSecretsService, sopsBackendFor } from './compose';
export { assertSecretsDeclared, setCommand, workspaceStores, type SecretPlace } from './model/references';
export type { SecretTarget } from './model/targets';
export { declarationSources, type DeclarationSource } from './model/declarations';
export type { Confirm, ConfirmRequest } from './operations/operation-context';
export { formatSecretFile, parseSecretFile, SECRET_FILE_FORMATS } from './operations/dotenv';
export type { KeptSharedValue } from './operations/delete-all';
export type { InitEntry } from './operations/init';
export type {
  DeclarationSummary,
  DeclarePlan,
  DeclareRequest,
  ManifestChange,
  UndeclarePlan,
  UndeclareRequest,
} from './operations/declare';
export type {
  RewriteChoice,
  RewriteCopy,
  RewriteFileChange,
  RewriteItem,
  RewritePlan,
  RewriteProposal,
} from './operations/import';
export { STACK_WIDE, type ListProblem, type ListRow } from './operations/list';
export type { IssueKind, ValidationReport } from './operations/validate';
export { execCommandLine } from './operations/child-env';
export { generatedValue } from './operations/init';
export type { SearchHit } from './operations/search';
export { backendLocation } from './model/targets';
export type { HistoryEntry, HistoryReport, RestoreRequest } from './operations/history';
export {
  ALPHABET_NAMES,
  DEFAULT_ROTATION_MAX_AGE_DAYS,
  GENERATE_LIMITS,
  RollbackConflictError,
  type CheckStatus,
  type ConsumerCheck,
  type ConsumersReport,
  type NewValue,
  type RollbackHandle,
  type RollbackOutcome,
  type RotateResult,
  type RotationAge,
  type RotationHistory,
} from './operations/rotate';
export { MASKED, maskOptions, saveStoreToken, type StoreInfo, type StoreTestResult } from './operations/stores';
export {
  findOrphans,
  type CannotListFinding,
  type DriftFinding,
  type DriftPlace,
  type DriftProviderSummary,
  type DriftReport,
  type DriftRequest,
  type OrphanFinding,
} from './operations/drift';
export {
  importAgeKeysForProvider,
  isAgeKeyAccount,
  listHeldAgeKeys,
  planAgeKeyRemoval,
  recipientsFor,
  removeHeldAgeKey,
  type AgeKeyFileUse,
  type AgeKeyImport,
  type AgeKeyRemoval,
  type AgeKeyRemovalPlan,
  type HeldAgeKeyInfo,
} from './sops-provider/held-age-keys';
export {
  applySopsRekey,
  describeRekeyPlan,
  keygenForProvider,
  planSopsRekey,
  resolveSopsProvider,
  sopsProviders,
  type SopsOpsDeps,
  type SopsRekeyAction,
  type SopsRekeyPlanSet,
} from './sops-provider/sops-ops';
export { evaluateStackStoreRefs, evaluateStoreRefs, workspaceStoreOpener } from './operations/store-refs';
export type { DiffReport, DiffRow, DiffSide, Explanation, ExplainSource } from './explain';
export * from './health';
