// The findings model of `audit` and the Health page: what is wrong, how bad, where (names and places only, never
// a value or a hash of one) and what to do about it. Every finding source (missing values, reuse, weakness,
// rotation age, orphans) returns these; the JSON report (json.ts), SARIF (sarif.ts), the CLI table and the IPC
// contract all print this one shape.

import { FINDING_KINDS, type FindingKind } from '../../../shared/ipc/health-contract';

// The kinds are listed once, in the IPC contract, so the CLI, SARIF and the Health page agree on them and their order.
export { FINDING_KINDS, type FindingKind };

export const SEVERITIES = ['warning', 'error'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** How bad each kind is. A value shared with production, or one nobody could read, fails a CI gate by default. */
export function severityOf(kind: FindingKind): Severity {
  switch (kind) {
    case 'missing':
    case 'config':
    case 'unreadable':
    case 'reused-across-environments':
    case 'empty':
      return 'error';
    case 'reused-across-names':
    case 'short':
    case 'low-entropy':
    case 'stale':
    case 'orphan':
    case 'cannot-list':
      return 'warning';
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** True when `severity` is at or above `threshold` (`--fail-on`). */
export function reaches(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold);
}

/** What the person (or the app's button) does about a finding. */
export const ACTION_KINDS = [
  'set', // give the secret a value
  'rotate', // give it a new value of its own
  'fix-config', // edit the declaration or store record at its file and line
  'check-access', // make the backend reachable / grant the identity access
  'declare-or-delete', // an orphan: declare it, or delete it from the store
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export interface FindingAction {
  readonly kind: ActionKind;
  /** For people; a CLI command where one does it. */
  readonly text: string;
}

/** One place a finding is about. Any field may be absent where it does not apply (a store-wide problem). */
export interface FindingPlace {
  readonly stack?: string | undefined;
  /** The component, or `*` for a stack-level declaration. */
  readonly component?: string | undefined;
  readonly secret?: string | undefined;
  /** `store:<name>` or `sops:<name>`. */
  readonly provider?: string | undefined;
  /** Where the value lives, in words (the backend's own name, or the SOPS file and key). */
  readonly where?: string | undefined;
  /** The manifest that declares it, relative to the base path where it is inside it. */
  readonly file?: string | undefined;
  readonly line?: number | undefined;
}

/** Places a finding carries at most; `omittedPlaces` counts the rest (a global secret has thousands). */
export const MAX_PLACES = 100;

export interface Finding {
  readonly kind: FindingKind;
  readonly severity: Severity;
  /** One line for people: names and places only. */
  readonly message: string;
  readonly action: FindingAction;
  readonly places: readonly FindingPlace[];
  readonly omittedPlaces: number;
  /** `stale` (and orphans, where the listing says): ISO 8601 time of the last change. */
  readonly lastChanged?: string | undefined;
}

export function finding(
  kind: FindingKind,
  message: string,
  action: FindingAction,
  places: readonly FindingPlace[],
  extra: { readonly lastChanged?: string | undefined } = {},
): Finding {
  return {
    kind,
    severity: severityOf(kind),
    message,
    action,
    places: places.slice(0, MAX_PLACES),
    omittedPlaces: Math.max(0, places.length - MAX_PLACES),
    ...(extra.lastChanged !== undefined ? { lastChanged: extra.lastChanged } : {}),
  };
}

/** Counts by kind and by severity, every kind present (0 when none). */
export function countFindings(findings: readonly Finding[]): {
  readonly byKind: Record<FindingKind, number>;
  readonly bySeverity: Record<Severity, number>;
} {
  const byKind = Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Record<FindingKind, number>;
  const bySeverity: Record<Severity, number> = { warning: 0, error: 0 };
  for (const f of findings) {
    byKind[f.kind]++;
    bySeverity[f.severity]++;
  }
  return { byKind, bySeverity };
}
