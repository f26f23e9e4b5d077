// `audit --format json`: the report as a stable document for scripts, described by docs/schemas/audit-report.schema.json
// (every field always present, null where it does not apply; a new field may be added, none is renamed or
// removed without a new `schemaVersion`). Names and places only: never a value or a hash of one.
import type { AuditReport } from './audit';
import type { Finding, FindingPlace, Severity } from './findings';
import { streamedJson } from './json-stream';

export const AUDIT_SCHEMA_VERSION = 1;

export interface AuditJsonOptions {
  readonly toolVersion: string;
  readonly failOn: Severity;
  /** Whether a finding reached `failOn` (the CLI exits 1). */
  readonly failed: boolean;
}

function placeJson(p: FindingPlace): Record<string, unknown> {
  return {
    stack: p.stack ?? null,
    component: p.component ?? null,
    secret: p.secret ?? null,
    provider: p.provider ?? null,
    where: p.where ?? null,
    file: p.file ?? null,
    line: p.line ?? null,
  };
}

function findingJson(f: Finding): Record<string, unknown> {
  return {
    kind: f.kind,
    severity: f.severity,
    message: f.message,
    action: { kind: f.action.kind, text: f.action.text },
    places: f.places.map(placeJson),
    omittedPlaces: f.omittedPlaces,
    lastChanged: f.lastChanged ?? null,
  };
}

export function auditJson(r: AuditReport, o: AuditJsonOptions): Record<string, unknown> {
  return { ...auditJsonHead(r, o), findings: r.findings.map(findingJson) };
}

/**
 * `JSON.stringify(auditJson(r, o), null, 2)` in pieces, one finding at a time (json-stream.ts): `audit --format
 * json` on a large estate never holds the document's whole text, or a second copy of every finding.
 */
export function auditJsonText(r: AuditReport, o: AuditJsonOptions): Generator<string, void, undefined> {
  return streamedJson((findings) => ({ ...auditJsonHead(r, o), findings }), r.findings, findingJson);
}

/** Every field of the document but `findings` (which comes last). */
function auditJsonHead(r: AuditReport, o: AuditJsonOptions): Record<string, unknown> {
  return {
    schemaVersion: AUDIT_SCHEMA_VERSION,
    tool: { name: 'atmos-secret', version: o.toolVersion },
    checkedAt: r.checkedAt,
    basePath: r.basePath,
    settings: {
      maxAgeDays: r.maxAgeDays,
      production: r.production,
      productionRule: r.productionRule,
      failOn: o.failOn,
    },
    failed: o.failed,
    summary: {
      stacks: r.summary.stacks,
      components: r.summary.components,
      secrets: r.summary.secrets,
      valuesRead: r.summary.valuesRead,
      unchecked: r.summary.unchecked,
      ageKnown: r.summary.ageKnown,
      ageUnknown: r.summary.ageUnknown,
      byKind: r.summary.byKind,
      bySeverity: r.summary.bySeverity,
    },
  };
}
