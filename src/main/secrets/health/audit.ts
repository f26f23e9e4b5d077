// `audit`: every health check over the estate in one pass per store, for CI (`atmos-secret audit`) and the Health
// page. From config: the coordinates and configuration problems (estate.ts). From the backends, each value read
// once in batches and dropped as soon as it is hashed (reuse.ts) and measured (weakness.ts): required secrets
// with no value, reuse, weakness. Then the present secrets' last change (age.ts). Further finding sources (the
// orphans of drift) plug in as `FindingSource`s. Never a value, nor a hash of one, in the report.
import { AppError } from '../../../shared/errors';
import { setCommand } from '../model/references';
import { throwIfCancelled, type LongRunning, type OperationContext } from '../operations/operation-context';
import { lastChanges, staleFindings, type GitLastCommit } from './age';
import { collectEstate, type AuditedSecret } from './estate';
import {
  countFindings,
  finding,
  FINDING_KINDS,
  reaches,
  SEVERITIES,
  type Finding,
  type FindingKind,
  type Severity,
} from './findings';
import { DEFAULT_PRODUCTION_RULE, describeRule, productionTest, type ProductionStacksRule } from './production';
import { orphanSource } from './orphans';
import { reuseFindings, ValueFingerprints } from './reuse';
import { readValues } from './value-reader';
import { weaknessFinding, weaknessOf } from './weakness';

export const DEFAULT_MAX_AGE_DAYS = 90;

/** What else an audit runs by default: the orphans (present but undeclared) and unlistable stores of drift. */
const DEFAULT_SOURCES: readonly FindingSource[] = [(ctx, scope) => orphanSource(ctx, scope)];

/** One more source of findings (e.g. orphans): told what the audit covers, answers its findings. */
export type FindingSource = (
  ctx: OperationContext,
  scope: { readonly stacks: readonly string[] | undefined } & LongRunning,
) => Promise<readonly Finding[]>;

export interface AuditRequest extends LongRunning {
  /** Stacks to audit (names or aliases); absent or empty: every stack. */
  readonly stacks?: readonly string[] | undefined;
  readonly maxAgeDays?: number | undefined;
  readonly production?: ProductionStacksRule | undefined;
  /** Finding sources run after the built-in checks (default: the orphans of drift). */
  readonly sources?: readonly FindingSource[] | undefined;
  /** How git is asked for a file's last commit (tests replace it). */
  readonly git?: GitLastCommit | undefined;
}

export interface AuditSummary {
  readonly stacks: number;
  readonly components: number;
  /** Distinct coordinates (a shared secret counts once). */
  readonly secrets: number;
  /** Coordinates whose value was read (present). */
  readonly valuesRead: number;
  /** Coordinates a failing backend left unchecked. */
  readonly unchecked: number;
  /** Present secrets whose last change is known / unknown (a keychain keeps no dates). */
  readonly ageKnown: number;
  readonly ageUnknown: number;
  readonly byKind: Readonly<Record<FindingKind, number>>;
  readonly bySeverity: Readonly<Record<Severity, number>>;
}

export interface AuditReport {
  readonly checkedAt: string;
  readonly basePath: string;
  readonly maxAgeDays: number;
  readonly production: ProductionStacksRule;
  /** The production rule in words. */
  readonly productionRule: string;
  readonly summary: AuditSummary;
  /** Errors first, then by kind in FINDING_KINDS order, then by message. */
  readonly findings: readonly Finding[];
}

function missingFinding(s: AuditedSecret): Finding {
  const first = s.places[0];
  const name = first?.secret ?? s.coordinate.path.name;
  const command =
    first?.stack !== undefined
      ? setCommand(
          { name, stack: first.stack, component: first.component ?? '*', scope: s.coordinate.path.scope },
          '--stdin',
        )
      : `atmos-secret set ${name}`;
  const where = first?.stack
    ? ` in ${first.stack}${first.component && first.component !== '*' ? `/${first.component}` : ''}`
    : '';
  return finding(
    'missing',
    `${name}${where} is required and has no value`,
    { kind: 'set', text: `Set it: ${command}` },
    s.places,
  );
}

function byImportance(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
    FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

export async function auditSecrets(ctx: OperationContext, req: AuditRequest = {}): Promise<AuditReport> {
  const maxAgeDays = req.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
  if (!Number.isInteger(maxAgeDays) || maxAgeDays < 1) {
    throw new AppError('USAGE', `the maximum age must be a whole number of days, 1 or more (got ${maxAgeDays})`);
  }
  const production = req.production ?? DEFAULT_PRODUCTION_RULE;
  const progress = (done: number, label: string): void => req.onProgress?.({ done, total: 4, label });

  progress(0, 'declarations');
  const estate = collectEstate(ctx, {
    stacks: req.stacks,
    isProduction: productionTest(production),
    signal: req.signal,
  });
  const secrets = [...estate.secrets.values()];

  progress(1, 'values');
  const fingerprints = new ValueFingerprints();
  const weak: Finding[] = [];
  const read = await readValues(
    ctx,
    secrets,
    (key, value) => {
      // The value is hashed and measured here and goes no further.
      fingerprints.add(key, value);
      const w = weaknessOf(value);
      const s = estate.secrets.get(key);
      if (w && s) weak.push(weaknessFinding(s, w));
    },
    { signal: req.signal },
  );
  throwIfCancelled(req.signal);
  const missing = secrets
    .filter((s) => s.required && !read.present.has(s.coordinate.key) && !read.unchecked.has(s.coordinate.key))
    .map(missingFinding);

  progress(2, 'rotation age');
  const present = secrets.filter((s) => read.present.has(s.coordinate.key));
  const ages = await lastChanges(ctx, present, { signal: req.signal, git: req.git });
  const stale = staleFindings(estate.secrets, ages.changes, ctx.clock(), maxAgeDays);

  progress(3, 'other checks');
  const extra: Finding[] = [];
  for (const source of req.sources ?? DEFAULT_SOURCES) {
    throwIfCancelled(req.signal);
    extra.push(...(await source(ctx, { stacks: req.stacks, signal: req.signal })));
  }

  const findings = [
    ...estate.config,
    ...read.problems,
    ...ages.problems,
    ...missing,
    ...reuseFindings(fingerprints.sharedGroups(), estate.secrets),
    ...weak,
    ...stale,
    ...extra,
  ].sort(byImportance);
  progress(4, 'done');
  const counts = countFindings(findings);
  return {
    checkedAt: ctx.clock().toISOString(),
    basePath: ctx.workspace.basePath,
    maxAgeDays,
    production,
    productionRule: describeRule(production),
    summary: {
      stacks: estate.stacks,
      components: estate.components,
      secrets: secrets.length,
      valuesRead: read.present.size,
      unchecked: read.unchecked.size,
      ageKnown: ages.changes.size,
      ageUnknown: present.length - ages.changes.size,
      byKind: counts.byKind,
      bySeverity: counts.bySeverity,
    },
    findings,
  };
}

/** True when some finding is at or above `threshold` (the CLI then exits 1). */
export function failsAt(report: AuditReport, threshold: Severity): boolean {
  return report.findings.some((f) => reaches(f.severity, threshold));
}
