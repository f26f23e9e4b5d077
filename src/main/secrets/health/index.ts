// Estate health (`audit`, the Health page): the findings model, the audit, and its JSON and SARIF forms.
export {
  ACTION_KINDS,
  FINDING_KINDS,
  MAX_PLACES,
  SEVERITIES,
  reaches,
  severityOf,
  type ActionKind,
  type Finding,
  type FindingAction,
  type FindingKind,
  type FindingPlace,
  type Severity,
} from './findings';
export {
  DEFAULT_MAX_AGE_DAYS,
  failsAt,
  type AuditReport,
  type AuditRequest,
  type AuditSummary,
  type FindingSource,
} from './audit';
export { gitLastCommit, type GitLastCommit } from './age';
export { DEFAULT_PRODUCTION_RULE, describeRule, type ProductionStacksRule } from './production';
export { AUDIT_SCHEMA_VERSION, auditJson, auditJsonText, type AuditJsonOptions } from './json';
export { auditSarif, auditSarifText, SARIF_SCHEMA, type SarifOptions } from './sarif';
export { MIN_LENGTH, weaknessOf, type Weakness } from './weakness';
export type { DeleteOrphanRequest } from './orphans';
