// `audit --format sarif`: the findings as a SARIF 2.1.0 log, so code scanning (GitHub, Azure DevOps, IDE viewers)
// shows each on the manifest line that declares the secret. One rule per finding kind; each result's locations
// are the distinct declaration lines of its places (at most MAX_LOCATIONS), relative to the base path
// (`uriBaseId: BASEPATH`). A finding with no declaration (a store that cannot be read) points at atmos.yaml, where
// the store is configured. Each result's fingerprint hashes its kind and place names (never a value), so code
// scanning keeps one alert per finding across runs. Names and places only: never a value or a hash of one.
import { createHash } from 'node:crypto';
import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AuditReport } from './audit';
import { FINDING_KINDS, severityOf, type Finding, type FindingKind } from './findings';
import { streamedJson } from './json-stream';
import { MIN_LENGTH } from './weakness';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const MAX_LOCATIONS = 10;
const BASE = 'BASEPATH';

const RULES: Readonly<Record<FindingKind, { readonly name: string; readonly text: string }>> = {
  missing: { name: 'RequiredSecretMissing', text: 'A required secret is declared but has no value in its backend.' },
  config: { name: 'SecretConfigInvalid', text: 'A secret declaration, component or store record does not load.' },
  unreadable: { name: 'BackendUnreadable', text: 'A backend could not be read, so its secrets were not checked.' },
  'reused-across-environments': {
    name: 'ValueReusedAcrossEnvironments',
    text: 'One value is used in a production stack and in a non-production one.',
  },
  'reused-across-names': {
    name: 'ValueReusedAcrossNames',
    text: 'One value is shared by secrets of different names.',
  },
  empty: { name: 'EmptyValue', text: 'The secret value is empty.' },
  short: { name: 'ShortValue', text: `The secret value is shorter than ${MIN_LENGTH} characters.` },
  'low-entropy': { name: 'LowEntropyValue', text: 'The secret value is repetitive or otherwise of low entropy.' },
  stale: { name: 'RotationOverdue', text: 'The secret has not changed for longer than the maximum rotation age.' },
  orphan: { name: 'UndeclaredValue', text: 'A value in a store under its managed prefix that nothing declares.' },
  'cannot-list': { name: 'StoreNotListable', text: 'A store could not be listed, so its orphans are unknown.' },
};

/** A relative path as a URI reference (forward slashes, each segment escaped). */
function uriOf(path: string): string {
  return path.split(sep).join('/').split('/').map(encodeURIComponent).join('/');
}

function locationsOf(f: Finding, fallbackFile: string): Record<string, unknown>[] {
  const seen = new Set<string>();
  const out: Record<string, unknown>[] = [];
  for (const p of f.places) {
    if (!p.file) continue;
    const id = `${p.file}\0${p.line ?? ''}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(physical(p.file, p.line));
    if (out.length >= MAX_LOCATIONS) break;
  }
  return out.length > 0 ? out : [physical(fallbackFile, undefined)];
}

function physical(file: string, line: number | undefined): Record<string, unknown> {
  return {
    physicalLocation: {
      artifactLocation: { uri: uriOf(file), uriBaseId: BASE },
      ...(line ? { region: { startLine: line } } : {}),
    },
  };
}

/**
 * A fingerprint that stays the same across runs while the finding does (its kind and the names of its places), so
 * code scanning tracks one alert instead of opening a new one each run. Names only: never a value.
 */
function fingerprintOf(f: Finding): string {
  const places = f.places.map((p) => [p.stack, p.component, p.secret, p.provider, p.where].join('\u0001')).sort();
  return createHash('sha256')
    .update(JSON.stringify([f.kind, places]))
    .digest('hex');
}

export interface SarifOptions {
  readonly toolVersion: string;
  /** atmos.yaml, absolute: where store-wide findings point. */
  readonly configFile: string;
}

export function auditSarif(r: AuditReport, o: SarifOptions): Record<string, unknown> {
  const result = resultOf(r, o);
  return sarifLog(r, o, r.findings.map(result));
}

/**
 * `JSON.stringify(auditSarif(r, o), null, 2)` in pieces, one result at a time (json-stream.ts), as `audit
 * --format json` is written.
 */
export function auditSarifText(r: AuditReport, o: SarifOptions): Generator<string, void, undefined> {
  return streamedJson((results) => sarifLog(r, o, results), r.findings, resultOf(r, o));
}

/** A finding as a SARIF result. */
function resultOf(r: AuditReport, o: SarifOptions): (f: Finding) => Record<string, unknown> {
  const fallback = relative(r.basePath, o.configFile) || 'atmos.yaml';
  return (f) => ({
    ruleId: f.kind,
    ruleIndex: FINDING_KINDS.indexOf(f.kind),
    level: f.severity,
    message: { text: `${f.message}. ${f.action.text}` },
    locations: locationsOf(f, fallback),
    partialFingerprints: { 'atmosSecretsFinding/v1': fingerprintOf(f) },
  });
}

/** The log with `results` (the results, or the streamed array's placeholder) in its one run. */
function sarifLog(r: AuditReport, o: SarifOptions, results: unknown): Record<string, unknown> {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'atmos-secret',
            version: o.toolVersion,
            rules: FINDING_KINDS.map((kind) => ({
              id: kind,
              name: RULES[kind].name,
              shortDescription: { text: RULES[kind].text },
              defaultConfiguration: { level: severityOf(kind) },
            })),
          },
        },
        originalUriBaseIds: { [BASE]: { uri: `${pathToFileURL(r.basePath).href.replace(/\/?$/, '/')}` } },
        results,
      },
    ],
  };
}
