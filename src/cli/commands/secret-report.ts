// `atmos-secret list|validate`: declared secrets with their status (never a value), and the validation
// report (exit 1 when anything is missing or wrong).
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { ListProblem, ListRow, ValidationReport } from '../../main/secrets';
import type { CliContext } from '../context';
import { formatDocument, parseFormat, rowWriter, ROW_FORMATS, type Column } from '../output';
import { addTargetOptions, componentOf, serviceFor, stackOf, type TargetOptions } from '../secret-options';

type PrintedRow = Pick<ListRow, 'stack' | 'component' | 'secret' | 'scope' | 'provider' | 'status'>;

const LIST_COLUMNS: readonly Column<PrintedRow>[] = [
  { key: 'stack', header: 'Stack' },
  { key: 'component', header: 'Component' },
  { key: 'secret', header: 'Secret' },
  { key: 'scope', header: 'Scope' },
  { key: 'provider', header: 'Provider' },
  { key: 'status', header: 'Status' },
];

const REPORT_FORMATS = ['text', 'json', 'yaml'] as const;

/** One backend problem, once, with the number of rows it affects. */
function problemText(p: ListProblem): string {
  const hint = p.hint ? `\n  hint: ${p.hint}` : '';
  return `warning: ${p.provider}: ${p.message} (${p.rows} secret(s) not checked)${hint}\n`;
}

function reportText(r: ValidationReport): string {
  const lines: string[] = [];
  for (const i of r.issues) {
    const where = i.location ? `${i.location.file}${i.location.line ? `:${i.location.line}` : ''}: ` : '';
    lines.push(`✗ [${i.kind}] ${where}${i.message}`);
    if (i.hint) lines.push(`    hint: ${i.hint}`);
  }
  const scope = `${r.stacks} stack(s), ${r.components} component(s), ${r.requiredChecked} required secret(s) checked`;
  lines.push(r.ok ? `✓ all good: ${scope}` : `${r.issues.length} problem(s): ${scope}`);
  return `${lines.join('\n')}\n`;
}

export function registerSecretReports(program: Command, ctx: CliContext): void {
  addTargetOptions(
    program
      .command('list')
      .description('List declared secrets and their status (never values); -s/-c narrow it')
      .option('--verify', 'ask remote backends for the real status (else "unknown")')
      .option('--format <format>', `output format: ${ROW_FORMATS.join('|')}`, 'table'),
  ).action(async (o: TargetOptions & { verify?: boolean; format: string }, command: Command) => {
    const format = parseFormat(o.format, ROW_FORMATS);
    const svc = await serviceFor(command, ctx, o);
    // Rows are written as the engine hands them out (stack by stack), never gathered whole.
    // After each chunk written, wait for stdout to take it (a slow reader must not make 27 MB pile up).
    let wrote = false;
    const out = rowWriter<PrintedRow>(LIST_COLUMNS, format, (t) => {
      ctx.io.stdout(t);
      wrote = true;
    });
    let failed = 0;
    const filter = { stack: stackOf(o, ctx), component: componentOf(o, ctx), verify: o.verify === true };
    const summary = await svc
      .streamList(filter, (r) => {
        // A row's own problem (a broken declaration, a component that does not load); backend ones come below.
        if (r.detail) ctx.io.stderr(`warning: ${r.stack}/${r.component} ${r.secret}: ${r.detail}\n`);
        if (r.status === 'error') failed++;
        const { stack, component, secret, scope, provider, status } = r;
        out.row({ stack, component, secret, scope, provider, status });
        if (!wrote) return undefined;
        wrote = false;
        return ctx.io.drain?.();
      })
      .catch((e: unknown) => {
        out.flush();
        throw e;
      });
    if (format === 'table' && summary.rows === 0) {
      ctx.io.stderr('No secrets are declared here.\n');
      return;
    }
    out.end();
    for (const p of summary.problems) ctx.io.stderr(problemText(p));
    // The rows are printed either way; rows that could not be checked make the operation a failure (exit 1).
    if (failed > 0)
      throw new AppError('BACKEND', `${failed} of ${summary.rows} secret(s) could not be checked (status error)`);
  });

  addTargetOptions(
    program
      .command('validate')
      .description('Check every required secret is set and the configuration is sound (all stacks unless -s/-c)')
      .option('--format <format>', `output format: ${REPORT_FORMATS.join('|')}`, 'text'),
  ).action(async (o: TargetOptions & { format: string }, command: Command) => {
    const format = parseFormat(o.format, REPORT_FORMATS);
    const svc = await serviceFor(command, ctx, o);
    const report = await svc.validate({ stack: stackOf(o, ctx), component: componentOf(o, ctx) });
    ctx.io.stdout(format === 'text' ? reportText(report) : formatDocument(report, format));
    if (!report.ok) throw new AppError('VALIDATION_FAILED', `validation failed: ${report.issues.length} problem(s)`);
  });
}
