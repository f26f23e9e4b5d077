// `atmos-secret diff -s A -s B [-c COMPONENT] [--format table|json]`: two stacks (or one component in both)
// compared, never showing a value: declared in one only, set in one only, equal or different values (compared
// by HMAC under a key random to this run, never printed), different stores or scopes. Exit 0 whether or not
// they differ; 1 when a backend could not be read (its rows say unknown), 2 for bad usage or configuration.
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { DiffReport, DiffRow, DiffSide } from '../../main/secrets';
import type { CliContext } from '../context';
import { formatRows, parseFormat, type Column } from '../output';
import { serviceFor } from '../secret-options';

const FORMATS = ['table', 'json'] as const;
/** The JSON's schemaVersion (docs/schemas/diff.schema.json): fields are only ever added within a version. */
export const DIFF_SCHEMA_VERSION = 1;

interface DiffOptions {
  readonly stack: string[];
  readonly component?: string;
  readonly identity?: string;
  readonly format: string;
}

interface TableRow extends Record<string, string> {
  mark: string;
  component: string;
  secret: string;
  a: string;
  b: string;
  declared: string;
  set: string;
  value: string;
}

function sideText(s: DiffSide | null): string {
  return s === null ? '(not declared)' : `${s.provider} ${s.scope} ${s.status}`;
}

function columns(r: DiffReport): readonly Column<TableRow>[] {
  return [
    { key: 'mark', header: '' },
    { key: 'component', header: 'Component' },
    { key: 'secret', header: 'Secret' },
    { key: 'a', header: `A: ${r.a}` },
    { key: 'b', header: `B: ${r.b}` },
    { key: 'declared', header: 'Declared' },
    { key: 'set', header: 'Set' },
    { key: 'value', header: 'Value' },
  ];
}

function words(row: DiffRow): TableRow {
  const inOne = (x: 'a' | 'b'): string => `${x === 'a' ? 'A' : 'B'} only`;
  const declared = row.declared === 'both' ? 'both' : inOne(row.declared);
  const set = row.set === 'a' || row.set === 'b' ? inOne(row.set) : row.set;
  const notes = [row.storeDiffers ? 'store differs' : '', row.scopeDiffers ? 'scope differs' : ''].filter(Boolean);
  return {
    mark: row.differs ? '≠' : '=',
    component: row.component,
    secret: row.secret,
    a: sideText(row.a),
    b: sideText(row.b),
    declared,
    set,
    value: [row.value, ...notes].join('; '),
  };
}

export function diffText(r: DiffReport): string {
  const s = r.summary;
  const rows = r.rows.map(words);
  const summary = `${s.secrets} secret(s) compared between ${r.a} (A) and ${r.b} (B)${r.component ? `, component ${r.component}` : ''}: ${s.differing} differ (${s.onlyInA} only in A, ${s.onlyInB} only in B, ${s.differentValues} with different values)`;
  return `${rows.length > 0 ? formatRows(rows, columns(r), 'table') : ''}${summary}\n`;
}

export function diffJson(r: DiffReport): Record<string, unknown> {
  return { schemaVersion: DIFF_SCHEMA_VERSION, ...r };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerDiff(program: Command, ctx: CliContext): void {
  program
    .command('diff')
    .description(
      'Compare two stacks (or one component in both): declared, set, equal or different values (keyed hash, never a value), stores and scopes',
    )
    .option('-s, --stack <name>', 'a stack to compare (give it twice: -s A -s B)', collect, [])
    .option('-c, --component <name>', 'compare only this component in both stacks (env ATMOS_COMPONENT)')
    .option('-i, --identity <name>', 'the identity for backend calls (env ATMOS_IDENTITY)')
    .option('--format <format>', `output format: ${FORMATS.join('|')}`, 'table')
    .action(async (o: DiffOptions, command: Command) => {
      const format = parseFormat(o.format, FORMATS);
      const [a, b, ...rest] = o.stack;
      if (a === undefined || b === undefined || rest.length > 0) {
        throw new AppError('USAGE', `diff takes exactly two stacks (-s A -s B); ${o.stack.length} given`, {
          hint: 'For example: atmos-secret diff -s plat-ue2-dev -s plat-ue2-prod',
        });
      }
      const svc = await serviceFor(command, ctx, { identity: o.identity });
      const report = await svc.diff({
        stacks: [a, b],
        component: o.component ?? (ctx.env['ATMOS_COMPONENT'] || undefined),
      });
      switch (format) {
        case 'json':
          ctx.io.stdout(`${JSON.stringify(diffJson(report), null, 2)}\n`);
          break;
        case 'table':
          ctx.io.stdout(diffText(report));
          for (const p of report.problems) ctx.io.stderr(`warning: ${p.message}\n`);
          break;
        default: {
          const never: never = format;
          throw new AppError('INTERNAL', `unexpected format ${String(never)}`);
        }
      }
      if (report.problems.length > 0) {
        throw new AppError(
          'BACKEND',
          `diff could not read ${report.problems.length} backend(s); their rows say unknown`,
          {
            hint: report.problems.map((p) => p.message).join('; '),
          },
        );
      }
    });
}
