// `atmos-secret init|pull|push|import`: provisioning walks, dotenv/JSON files (pull writes mode 0600), and
// copying legacy `!store` values into declared coordinates (or listing every such use with --list, or with
// --rewrite copying, declaring and rewriting every one to `!secret`).
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import { z } from 'zod';
import {
  parseSecretFile,
  SECRET_FILE_FORMATS,
  type InitEntry,
  type RewriteChoice,
  type RewritePlan,
  type SecretsService,
} from '../../main/secrets';
import { ExitWith } from '../exit';
import type { CliContext } from '../context';
import { formatDocument, formatRows, parseFormat, ROW_FORMATS, type Column, type RowFormat } from '../output';
import {
  addTargetOptions,
  componentOf,
  confirmPlan,
  readStdin,
  requireStack,
  serviceFor,
  stackOf,
  type TargetOptions,
} from '../secret-options';

async function readInput(ctx: CliContext, input: string): Promise<string> {
  if (input === '-') return readStdin(ctx);
  try {
    return await readFile(resolve(ctx.cwd, input), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError('NOT_FOUND', `cannot read ${input}${code ? ` (${code})` : ''}`);
  }
}

type InitRow = Pick<InitEntry, 'stack' | 'component' | 'secret' | 'scope' | 'provider' | 'before' | 'action'>;
const INIT_COLUMNS: readonly Column<InitRow>[] = [
  { key: 'stack', header: 'Stack' },
  { key: 'component', header: 'Component' },
  { key: 'secret', header: 'Secret' },
  { key: 'scope', header: 'Scope' },
  { key: 'provider', header: 'Provider' },
  { key: 'before', header: 'Before' },
  { key: 'action', header: 'Action' },
];

interface LegacyRow extends Record<string, string> {
  stack: string;
  component: string;
  at: string;
  expression: string;
  location: string;
}
const LEGACY_COLUMNS: readonly Column<LegacyRow>[] = [
  { key: 'stack', header: 'Stack' },
  { key: 'component', header: 'Component' },
  { key: 'at', header: 'At' },
  { key: 'expression', header: 'Expression' },
  { key: 'location', header: 'Location' },
];

const CHOICE = z.strictObject({
  id: z.string().min(1).max(4096),
  name: z.string().min(1).max(256).optional(),
  scope: z.enum(['instance', 'stack', 'global']).optional(),
  store: z.string().min(1).max(512).optional(),
  skip: z.boolean().optional(),
});
const CHOICES = z.array(CHOICE).max(10_000);

function parseChoices(text: string, file: string): RewriteChoice[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('USAGE', `${file} is not JSON`, { hint: 'Write [{"id": "<file>:<line>", "name": "NAME"}].' });
  }
  const r = CHOICES.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new AppError('USAGE', `${file}: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'invalid'}`, {
      hint: "Each choice is {id, name?, scope?, store?, skip?}; ids are the plan's Expression column.",
    });
  }
  return r.data;
}

interface RewriteRow extends Record<string, string> {
  expression: string;
  use: string;
  name: string;
  scope: string;
  store: string;
  copy: string;
  declare: string;
  rewrite: string;
  outcome: string;
  reason: string;
}
const REWRITE_COLUMNS: readonly Column<RewriteRow>[] = [
  { key: 'expression', header: 'Expression' },
  { key: 'use', header: 'Use' },
  { key: 'name', header: 'Name' },
  { key: 'scope', header: 'Scope' },
  { key: 'store', header: 'Store' },
  { key: 'copy', header: 'Copy' },
  { key: 'declare', header: 'Declare' },
  { key: 'rewrite', header: 'Rewrite' },
  { key: 'outcome', header: 'Outcome' },
  { key: 'reason', header: 'Reason' },
];

function rewriteRows(plan: RewritePlan): RewriteRow[] {
  return plan.items.map((i) => ({
    expression: i.id,
    use: i.expression,
    name: i.name,
    scope: i.scope,
    store: i.store,
    copy: i.copies.map((c) => `${c.state} ${c.from} -> ${c.to}`).join('; '),
    declare: i.declared,
    rewrite: i.rewritten,
    outcome: i.outcome,
    reason: i.reason ?? '',
  }));
}

/** `import --rewrite`: the plan (rows and the files' diffs), the confirmation, the run and its report. */
async function importRewriteCommand(
  ctx: CliContext,
  svc: SecretsService,
  o: {
    stack: string | undefined;
    choices: RewriteChoice[] | undefined;
    format: RowFormat;
    dryRun: boolean | undefined;
    yes: boolean | undefined;
    force: boolean | undefined;
  },
): Promise<void> {
  const plan = await svc.importRewrite({ stack: o.stack, choices: o.choices });
  const table = o.format === 'table';
  if (plan.items.length === 0) {
    if (table) ctx.io.stderr('No !store uses on secret stores.\n');
    else ctx.io.stdout(o.format === 'json' ? formatDocument(plan, 'json') : formatRows([], REWRITE_COLUMNS, o.format));
    return;
  }
  const going = plan.items.filter((i) => i.outcome === 'planned');
  if (table) {
    ctx.io.stdout(formatRows(rewriteRows(plan), REWRITE_COLUMNS, 'table'));
    for (const f of plan.files) ctx.io.stdout(f.diff);
    ctx.io.stderr(
      `Plan: ${going.length} of ${plan.items.length} expression(s) copied, declared and rewritten to !secret; every source stays as it is.${o.dryRun ? ' Dry run: nothing written.' : ''}\n`,
    );
  }
  if (o.dryRun || going.length === 0) {
    if (!table)
      ctx.io.stdout(
        o.format === 'json' ? formatDocument(plan, 'json') : formatRows(rewriteRows(plan), REWRITE_COLUMNS, o.format),
      );
    return;
  }
  await confirmPlan(`import --rewrite of ${going.length} !store use(s)`, o, ctx);
  const run = await svc.importRewrite({ stack: o.stack, choices: o.choices, apply: true, planned: plan.files });
  if (o.format === 'json') ctx.io.stdout(formatDocument(run, 'json'));
  else ctx.io.stdout(formatRows(rewriteRows(run), REWRITE_COLUMNS, o.format));
  const failed = run.items.filter((i) => i.outcome === 'failed');
  if (table)
    ctx.io.stderr(
      `Done: ${run.items.filter((i) => i.outcome === 'done').length} rewritten, ${failed.length} failed.\n`,
    );
  if (failed.length > 0) throw new ExitWith(1);
}

export function registerSecretFiles(program: Command, ctx: CliContext): void {
  addTargetOptions(
    program
      .command('init')
      .description('Walk the declared secrets, report missing ones, and set those you give values for')
      .option('--all', 'every stack')
      .option('--input <file>', 'values from a dotenv or JSON file (- for stdin)')
      .option('--input-format <format>', 'env|json', 'env')
      .option('--overwrite', 'also replace values that are already set')
      .option('--dry-run', 'report only; write nothing')
      .option('--strict', 'refuse input keys that nothing here declares')
      .option('--format <format>', `output format: ${ROW_FORMATS.join('|')}`, 'table'),
    { confirm: true },
  ).action(
    async (
      o: TargetOptions & {
        all?: boolean;
        input?: string;
        inputFormat: string;
        overwrite?: boolean;
        dryRun?: boolean;
        strict?: boolean;
        format: string;
      },
      command: Command,
    ) => {
      const format = parseFormat(o.format, ROW_FORMATS);
      const stack = stackOf(o, ctx);
      if (!stack && !o.all) throw new AppError('USAGE', 'init needs -s/--stack or --all');
      if (stack && o.all) throw new AppError('USAGE', '--all cannot be combined with -s/--stack');
      const values = o.input
        ? parseSecretFile(await readInput(ctx, o.input), parseFormat(o.inputFormat, SECRET_FILE_FORMATS), o.input)
        : undefined;
      const svc = await serviceFor(command, ctx, o);
      const canPrompt = !values && ctx.io.interactive && ctx.promptSecret !== undefined;
      const report = await svc.init({
        stack,
        component: componentOf(o, ctx),
        values,
        overwrite: o.overwrite,
        dryRun: o.dryRun,
        strict: o.strict,
        valueFor:
          canPrompt && ctx.promptSecret
            ? async (e) => {
                const v = await (ctx.promptSecret as (l: string) => Promise<string>)(
                  `${e.secret} (${e.stack}/${e.component}, ${e.scope}; empty ${e.before === 'initialized' ? 'keeps it' : 'skips'}): `,
                );
                // An empty answer skips; set an empty value on purpose with `set NAME --stdin < /dev/null`.
                return v === '' ? undefined : v;
              }
            : undefined,
      });
      for (const k of report.unknownKeys) ctx.io.stderr(`warning: ${k} is not declared here; skipped\n`);
      for (const e of report.entries)
        if (e.detail) ctx.io.stderr(`warning: ${e.stack}/${e.component} ${e.secret}: ${e.detail}\n`);
      ctx.io.stdout(
        formatRows(
          report.entries.map(({ stack: s, component, secret, scope, provider, before, action }) => ({
            stack: s,
            component,
            secret,
            scope,
            provider,
            before,
            action,
          })),
          INIT_COLUMNS,
          format,
        ),
      );
      const missing = report.entries.filter((e) => e.action === 'left-missing' && e.required).length;
      if (missing > 0) ctx.io.stderr(`${missing} required secret(s) still missing.\n`);
    },
  );

  addTargetOptions(
    program
      .command('pull')
      .description('Write the declared, initialized secrets to a dotenv or JSON file (mode 0600), or stdout')
      .option('--format <format>', 'env|json', 'env')
      .option('-o, --output <file>', 'the file to write (default: stdout)'),
  ).action(async (o: TargetOptions & { format: string; output?: string }, command: Command) => {
    const format = parseFormat(o.format, SECRET_FILE_FORMATS);
    const stack = requireStack(o, ctx);
    const svc = await serviceFor(command, ctx, o);
    const r = await svc.pull({ stack, component: componentOf(o, ctx), format, output: o.output, cwd: ctx.cwd });
    for (const m of r.missing) ctx.io.stderr(`warning: secret "${m}" is not initialized; not written\n`);
    if (r.content !== undefined) ctx.io.stdout(r.content);
    else
      ctx.io.stderr(
        `Wrote ${r.written.length} secret(s) to ${r.file ?? ''} (mode 0600). Keep it out of version control.\n`,
      );
  });

  addTargetOptions(
    program
      .command('push')
      .description('Set declared secrets from a dotenv or JSON file; any undeclared key refuses the whole file')
      .option('--format <format>', 'env|json', 'env')
      .option('--input <file>', 'the file to read (- for stdin)', '.env'),
    { confirm: true },
  ).action(async (o: TargetOptions & { format: string; input: string }, command: Command) => {
    const format = parseFormat(o.format, SECRET_FILE_FORMATS);
    const stack = requireStack(o, ctx);
    const content = await readInput(ctx, o.input);
    const svc = await serviceFor(command, ctx, o);
    const r = await svc.push({ stack, component: componentOf(o, ctx), format, content, source: o.input });
    ctx.io.stderr(`Set ${r.set.length} secret(s)${r.set.length > 0 ? `: ${r.set.join(', ')}` : ''}.\n`);
  });

  addTargetOptions(
    program
      .command('import')
      .description('Copy a legacy !store value into a declared secret (the source is never changed); --list finds them')
      .argument('[name]', 'the declared secret to import into')
      .option('--from-store <store>', "the store the old !store read (default: the declaration's store)")
      .option('--from-stack <segment>', 'the old stack segment (raw)')
      .option('--from-component <segment>', 'the old component segment (raw)')
      .option('--from-key <key>', 'the old key (default: NAME)')
      .option('--dry-run', 'read the source and print the plan; write nothing')
      .option('--list', 'list every !store use on a secret store instead')
      .option(
        '--rewrite',
        'every !store use: copy its value, declare it, rewrite it to !secret (plan first, then asks)',
      )
      .option('--choices <file>', 'with --rewrite: JSON [{id, name?, scope?, store?, skip?}] adjusting the proposals')
      .option('--format <format>', `output format for --list and the plan: ${ROW_FORMATS.join('|')}`, 'table'),
    { confirm: true },
  ).action(
    async (
      name: string | undefined,
      o: TargetOptions & {
        fromStore?: string;
        fromStack?: string;
        fromComponent?: string;
        fromKey?: string;
        dryRun?: boolean;
        list?: boolean;
        rewrite?: boolean;
        choices?: string;
        format: string;
      },
      command: Command,
    ) => {
      const format = parseFormat(o.format, ROW_FORMATS);
      const svc = await serviceFor(command, ctx, o);
      if (o.rewrite) {
        if (name) throw new AppError('USAGE', '--rewrite works on every !store use; it takes no NAME');
        const choices = o.choices ? parseChoices(await readInput(ctx, o.choices), o.choices) : undefined;
        await importRewriteCommand(ctx, svc, {
          stack: stackOf(o, ctx),
          choices,
          format,
          dryRun: o.dryRun,
          yes: o.yes,
          force: o.force,
        });
        return;
      }
      if (o.list) {
        const uses = svc.findLegacyStoreUses({ stack: stackOf(o, ctx) });
        const rows: LegacyRow[] = uses.map((u) => ({
          stack: u.stack,
          component: u.component,
          at: u.at,
          expression: u.expression,
          location: `${u.location.file}${u.location.line ? `:${u.location.line}` : ''}`,
        }));
        if (format === 'table' && rows.length === 0) ctx.io.stderr('No !store uses on secret stores.\n');
        else ctx.io.stdout(formatRows(rows, LEGACY_COLUMNS, format));
        return;
      }
      if (!name) throw new AppError('USAGE', 'import needs the NAME of a declared secret (or --list)');
      const stack = requireStack(o, ctx);
      const plan = await svc.importFromStore({
        name,
        stack,
        component: componentOf(o, ctx),
        fromStore: o.fromStore,
        fromStack: o.fromStack,
        fromComponent: o.fromComponent,
        fromKey: o.fromKey,
        dryRun: o.dryRun,
      });
      const from = `store "${plan.source.store}" at ${plan.source.nativeName}`;
      if (plan.sameEntry) ctx.io.stderr(`Nothing to do: ${from} is already where ${name} lives.\n`);
      else if (!plan.applied)
        ctx.io.stderr(
          `Plan: copy ${from} to ${plan.target.where}${plan.targetInitialized ? ' (replacing its current value)' : ''}. The source stays as it is. Dry run: nothing written.\n`,
        );
      else
        ctx.io.stderr(
          `Copied ${from} to ${plan.target.where}. The source was not changed; remove the old !store line.\n`,
        );
    },
  );
}
