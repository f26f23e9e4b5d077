// `atmos-secret audit [-s STACK...] [--format table|json|sarif] [--fail-on warning|error] [--max-age 90d]
// [--production GLOB...]`: estate health for CI. Runs every check (required secrets with no value, configuration,
// values reused across environments or names, weak values, rotation age, unreadable backends) and prints the
// findings: a table for people, the stable JSON document (docs/schemas/audit-report.schema.json), or SARIF 2.1.0
// for code scanning (each finding on the manifest line that declares it). Exits 1 when a finding reaches
// --fail-on (default error). Names and places only: never a value or a hash of one.
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import {
  auditJsonText,
  auditSarifText,
  DEFAULT_MAX_AGE_DAYS,
  DEFAULT_PRODUCTION_RULE,
  failsAt,
  SEVERITIES,
  type AuditReport,
  type Finding,
  type ProductionStacksRule,
  type Severity,
} from '../../main/secrets';
import type { CliContext } from '../context';
import { parseFormat, rowWriter, WRITE_CHUNK_BYTES, type Column } from '../output';
import { serviceFor } from '../secret-options';

const FORMATS = ['table', 'json', 'sarif'] as const;
/** `--max-age` at most ten years, as the app's setting. */
const MAX_AGE_LIMIT_DAYS = 3650;
/** `--production` globs and `-s` stacks a run takes at most. */
const MAX_LIST = 50;

interface AuditOptions {
  readonly stack: string[];
  readonly identity?: string;
  readonly format: string;
  readonly failOn: string;
  readonly maxAge?: string;
  readonly production: string[];
}

interface FindingRow extends Record<string, string> {
  severity: string;
  kind: string;
  where: string;
  message: string;
}

const COLUMNS: readonly Column<FindingRow>[] = [
  { key: 'severity', header: 'Severity' },
  { key: 'kind', header: 'Kind' },
  { key: 'where', header: 'Where' },
  { key: 'message', header: 'Finding' },
];

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `90d`, `12w` or a bare number of days. */
export function parseMaxAge(text: string): number {
  const m = /^(\d{1,5})([dw]?)$/.exec(text.trim());
  const days = m ? Number(m[1]) * (m[2] === 'w' ? 7 : 1) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > MAX_AGE_LIMIT_DAYS) {
    throw new AppError('USAGE', `--max-age "${text}" is not an age this command takes`, {
      hint: `Give days or weeks between 1d and ${MAX_AGE_LIMIT_DAYS}d, e.g. --max-age 90d or --max-age 12w.`,
    });
  }
  return days;
}

function productionRule(globs: readonly string[]): ProductionStacksRule {
  if (globs.length === 0) return DEFAULT_PRODUCTION_RULE;
  if (globs.length > MAX_LIST || globs.some((g) => g.trim() === '' || g.length > 128)) {
    throw new AppError('USAGE', `--production takes 1 to ${MAX_LIST} stack-name globs of at most 128 characters`, {
      hint: "For example: --production 'prod-*' --production '*-prd'.",
    });
  }
  return { match: 'stack-name', globs: [...globs] };
}

function whereOf(f: Finding): string {
  const p = f.places[0];
  if (!p) return '';
  const at = [p.stack, p.component && p.component !== '*' ? p.component : undefined, p.secret]
    .filter((x): x is string => x !== undefined)
    .join('/');
  const first = at || p.provider || '';
  const more = f.places.length - 1 + f.omittedPlaces;
  return more > 0 ? `${first} (+${more})` : first;
}

/**
 * The table, row by row through the CLI's row writer (its widths from the first rows), then the summary lines:
 * 150,000 findings are never one string.
 */
function writeTable(r: AuditReport, failOn: Severity, write: (text: string) => void): void {
  if (r.findings.length > 0) {
    const w = rowWriter(COLUMNS, 'table', write);
    for (const f of r.findings) w.row({ severity: f.severity, kind: f.kind, where: whereOf(f), message: f.message });
    w.end();
  }
  const s = r.summary;
  const counts = Object.entries(s.byKind)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const lines = [
    `${s.stacks} stack(s), ${s.components} component(s), ${s.secrets} secret(s), ${s.valuesRead} value(s) read` +
      `${s.unchecked > 0 ? `, ${s.unchecked} not checked` : ''}; last change known for ${s.ageKnown}, unknown for ${s.ageUnknown}`,
    `production: ${r.productionRule}; maximum age: ${r.maxAgeDays} days; fail on: ${failOn}`,
    r.findings.length === 0
      ? 'no findings'
      : `${s.bySeverity.error} error(s), ${s.bySeverity.warning} warning(s): ${counts}`,
  ];
  write(`${lines.join('\n')}\n`);
}

/**
 * Writes a document's pieces (one per finding) gathered into writes of about WRITE_CHUNK_BYTES, as the row
 * writer does: one write per finding would cost more than the JSON itself. (output.ts keeps its gatherer private.)
 */
function writePieces(pieces: Iterable<string>, write: (text: string) => void): void {
  let parts: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    parts.push(piece);
    length += piece.length;
    if (length >= WRITE_CHUNK_BYTES) {
      write(parts.join(''));
      parts = [];
      length = 0;
    }
  }
  write(`${parts.join('')}\n`);
}

export function registerAudit(program: Command, ctx: CliContext): void {
  program
    .command('audit')
    .description(
      'Estate health for CI: missing, reused, weak and stale secrets, never a value (exit 1 when a finding reaches --fail-on)',
    )
    .option('-s, --stack <name>', 'audit only this stack (repeatable; default every stack)', collect, [])
    .option('-i, --identity <name>', 'the identity for backend calls (env ATMOS_IDENTITY)')
    .option('--format <format>', `output format: ${FORMATS.join('|')}`, 'table')
    .option('--fail-on <severity>', `exit 1 when a finding is at least: ${SEVERITIES.join('|')}`, 'error')
    .option('--max-age <age>', `flag secrets unchanged for longer (e.g. 90d, 12w; default ${DEFAULT_MAX_AGE_DAYS}d)`)
    .option(
      '--production <glob>',
      'stack-name glob of production stacks (repeatable; default: a stage or environment of prod/production)',
      collect,
      [],
    )
    .action(async (o: AuditOptions, command: Command) => {
      const format = parseFormat(o.format, FORMATS);
      const failOn = parseFormat(o.failOn, SEVERITIES);
      const maxAgeDays = o.maxAge === undefined ? DEFAULT_MAX_AGE_DAYS : parseMaxAge(o.maxAge);
      const production = productionRule(o.production);
      if (o.stack.length > MAX_LIST) throw new AppError('USAGE', `-s is given at most ${MAX_LIST} times`);
      const svc = await serviceFor(command, ctx, { identity: o.identity });
      const report = await svc.audit({ stacks: o.stack, maxAgeDays, production });
      const failed = failsAt(report, failOn);
      const toolVersion = program.version() ?? '0.0.0';
      switch (format) {
        case 'json':
          writePieces(auditJsonText(report, { toolVersion, failOn, failed }), ctx.io.stdout);
          break;
        case 'sarif':
          writePieces(auditSarifText(report, { toolVersion, configFile: svc.workspace.configPath }), ctx.io.stdout);
          break;
        case 'table':
          writeTable(report, failOn, ctx.io.stdout);
          break;
        default: {
          const never: never = format;
          throw new AppError('INTERNAL', `unexpected format ${String(never)}`);
        }
      }
      if (failed) {
        const n = report.findings.filter((f) => SEVERITIES.indexOf(f.severity) >= SEVERITIES.indexOf(failOn)).length;
        throw new AppError('VALIDATION_FAILED', `audit failed: ${n} finding(s) at or above ${failOn}`);
      }
    });
}
