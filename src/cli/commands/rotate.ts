// `atmos-secret consumers NAME` (table|json|dot) and `atmos-secret rotate NAME (--generate|--stdin)`: who a stack
// or global secret reaches, with the backend path each reads; and a rotation that writes once, reads the value
// back through every consumer, and rolls back when one fails (exit 1, saying what was rolled back). A generated
// value is made in-process and never printed: `atmos-secret get` shows it when asked.
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import {
  ALPHABET_NAMES,
  GENERATE_LIMITS,
  type ConsumersReport,
  type NewValue,
  type RotateResult,
} from '../../main/secrets';
import type { CliContext } from '../context';
import { readStdinValue } from './secret-values';
import { formatRows, parseFormat, type Column } from '../output';
import {
  addTargetOptions,
  componentOf,
  requireStack,
  serviceFor,
  shellWord,
  type TargetOptions,
} from '../secret-options';

const CONSUMER_FORMATS = ['table', 'json', 'dot'] as const;
const ROTATE_FORMATS = ['table', 'json'] as const;

interface ConsumerRow extends Record<string, string> {
  stack: string;
  component: string;
  where: string;
}

const CONSUMER_COLUMNS: readonly Column<ConsumerRow>[] = [
  { key: 'stack', header: 'Stack' },
  { key: 'component', header: 'Component' },
  { key: 'where', header: 'Reads from' },
];

interface CheckRow extends Record<string, string> {
  stack: string;
  component: string;
  status: string;
  detail: string;
}

const CHECK_COLUMNS: readonly Column<CheckRow>[] = [
  { key: 'stack', header: 'Stack' },
  { key: 'component', header: 'Component' },
  { key: 'status', header: 'Verified' },
  { key: 'detail', header: 'Detail' },
];

/** A DOT string literal: quotes and backslashes escaped, line breaks as DOT's \n. */
function dotText(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/** Graphviz: secret -> stacks -> components (`dot -Tsvg` draws it). */
export function consumersDot(r: ConsumersReport): string {
  const secretId = dotText(`secret:${r.target.secret}`);
  const lines = [
    'digraph consumers {',
    '  rankdir=LR;',
    '  node [fontname="Helvetica"];',
    `  ${secretId} [shape=box, style=bold, label=${dotText(`${r.target.secret} (${r.target.scope})\n${r.target.where}`)}];`,
  ];
  for (const s of r.stacks) {
    const stackId = dotText(`stack:${s.stack}`);
    lines.push(`  ${stackId} [shape=folder, label=${dotText(s.stack)}];`, `  ${secretId} -> ${stackId};`);
    for (const c of s.components) {
      const componentId = dotText(`component:${s.stack}/${c}`);
      lines.push(`  ${componentId} [shape=component, label=${dotText(c)}];`, `  ${stackId} -> ${componentId};`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function consumersJson(r: ConsumersReport): Record<string, unknown> {
  return {
    secret: r.target.secret,
    scope: r.target.scope,
    provider: r.target.provider,
    where: r.target.where,
    stacks: r.stacks.map((s) => ({ stack: s.stack, components: [...s.components] })),
    consumers: r.consumers.map((c) => ({ stack: c.stack, component: c.component, where: c.where })),
    skipped: r.skipped.map((s) => ({ stack: s.stack, component: s.component, message: s.message })),
  };
}

function rotateJson(r: RotateResult): Record<string, unknown> {
  return {
    secret: r.target.secret,
    stack: r.target.stack,
    component: r.target.component,
    scope: r.target.scope,
    provider: r.target.provider,
    where: r.target.where,
    generated: r.generated,
    entropyBits: r.entropyBits ?? null,
    verified: r.verified,
    ok: r.ok,
    consumers: r.checks.map((c) => ({
      stack: c.stack,
      component: c.component,
      status: c.status,
      where: c.where,
      detail: c.detail ?? null,
    })),
    failures: r.failures.map((f) => ({ provider: f.provider, code: f.code, message: f.message })),
    rolledBack: r.rolledBack ? { method: r.rolledBack.method, message: r.rolledBack.message } : null,
    rollbackError: r.rollbackError ?? null,
  };
}

interface RotateOptions extends TargetOptions {
  readonly generate?: boolean;
  readonly length?: string;
  readonly alphabet?: string;
  readonly stdin?: boolean;
  readonly verify?: boolean;
  readonly format: string;
}

function parseLength(text: string | undefined): number {
  if (text === undefined) return GENERATE_LIMITS.defaultLength;
  const n = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < GENERATE_LIMITS.minLength || n > GENERATE_LIMITS.maxLength) {
    throw new AppError(
      'USAGE',
      `--length takes a whole number from ${GENERATE_LIMITS.minLength} to ${GENERATE_LIMITS.maxLength}`,
    );
  }
  return n;
}

async function newValueOf(o: RotateOptions, name: string, ctx: CliContext): Promise<NewValue> {
  if (o.generate && o.stdin) throw new AppError('USAGE', 'give either --generate or --stdin, not both');
  if (!o.generate && (o.length !== undefined || o.alphabet !== undefined)) {
    throw new AppError('USAGE', '--length and --alphabet go with --generate');
  }
  if (o.generate) return { kind: 'generate', length: parseLength(o.length), alphabet: o.alphabet ?? 'alphanumeric' };
  if (o.stdin) return { kind: 'given', value: await readStdinValue(ctx) };
  if (ctx.io.interactive && ctx.promptSecret)
    return { kind: 'given', value: await ctx.promptSecret(`New value for ${name}: `) };
  throw new AppError('USAGE', `rotate needs --generate or --stdin for the new value of ${name}`, {
    hint: 'Pass --generate (a random value made here, never printed), or pipe the value in with --stdin.',
  });
}

function printRotation(r: RotateResult, format: (typeof ROTATE_FORMATS)[number], ctx: CliContext): void {
  switch (format) {
    case 'json':
      ctx.io.stdout(`${JSON.stringify(rotateJson(r), null, 2)}\n`);
      break;
    case 'table':
      if (r.checks.length > 0) {
        ctx.io.stdout(
          formatRows(
            r.checks.map((c) => ({
              stack: c.stack,
              component: c.component,
              status: c.status,
              detail: c.detail ?? '',
            })),
            CHECK_COLUMNS,
            'table',
          ),
        );
      }
      break;
    default: {
      const never: never = format;
      throw new AppError('INTERNAL', `unexpected format ${String(never)}`);
    }
  }
  const t = r.target;
  const how = r.generated ? `a generated value (${r.entropyBits ?? 0} bits; not printed)` : 'the value given';
  ctx.io.stderr(
    `Rotated ${t.secret} (${t.scope}) in ${t.where} to ${how}, reaching ${r.consumers.length} component(s) in ${r.stacks} stack(s).\n`,
  );
  for (const f of r.failures) ctx.io.stderr(`${f.provider} could not be read back: ${f.message}\n`);
  if (!r.verified) {
    ctx.io.stderr('Not verified (--no-verify).\n');
    return;
  }
  const failed = r.checks.filter((c) => c.status !== 'ok').length;
  if (failed === 0) ctx.io.stderr(`Verified: all ${r.checks.length} consumer(s) read the new value.\n`);
  if (r.rolledBack) ctx.io.stderr(`Rolled back: ${r.rolledBack.message}.\n`);
  if (r.rollbackError) ctx.io.stderr(`The roll back failed, so the new value stays: ${r.rollbackError}\n`);
}

export function registerRotate(program: Command, ctx: CliContext): void {
  addTargetOptions(
    program
      .command('consumers')
      .description(
        'Every stack and component that reads the same value as NAME, with the backend path (no backend call)',
      )
      .argument('<name>', 'the declared secret')
      .option('--format <format>', `output format: ${CONSUMER_FORMATS.join('|')} (dot: Graphviz)`, 'table'),
  ).action(async (name: string, o: TargetOptions & { format: string }, command: Command) => {
    const format = parseFormat(o.format, CONSUMER_FORMATS);
    const stack = requireStack(o, ctx);
    const svc = await serviceFor(command, ctx, o);
    const r = svc.consumersReport({ stack, component: componentOf(o, ctx), name });
    switch (format) {
      case 'json':
        ctx.io.stdout(`${JSON.stringify(consumersJson(r), null, 2)}\n`);
        break;
      case 'dot':
        ctx.io.stdout(consumersDot(r));
        break;
      case 'table':
        ctx.io.stderr(
          `${r.target.secret} (${r.target.scope}) in ${r.target.where}: ${r.consumers.length} component(s) in ${r.stacks.length} stack(s)\n`,
        );
        ctx.io.stdout(
          formatRows(
            r.consumers.map((c) => ({ stack: c.stack, component: c.component, where: c.where })),
            CONSUMER_COLUMNS,
            'table',
          ),
        );
        break;
      default: {
        const never: never = format;
        throw new AppError('INTERNAL', `unexpected format ${String(never)}`);
      }
    }
    for (const s of r.skipped) ctx.io.stderr(`warning: skipped ${s.stack}/${s.component}: ${s.message}\n`);
  });

  addTargetOptions(
    program
      .command('rotate')
      .description(
        'Rotate NAME: write a new value once, read it back through every consumer, roll back if one fails (exit 1)',
      )
      .argument('<name>', 'the declared secret')
      .option('--generate', 'generate the value here (crypto randomness; never printed)')
      .option(
        '--length <n>',
        `with --generate: characters, ${GENERATE_LIMITS.minLength}-${GENERATE_LIMITS.maxLength} (default ${GENERATE_LIMITS.defaultLength})`,
      )
      .option(
        '--alphabet <a>',
        `with --generate: ${ALPHABET_NAMES.join('|')} (default alphanumeric), or the characters themselves`,
      )
      .option('--stdin', 'read the new value from standard input (one trailing newline is dropped)')
      .option('--verify', 'read the value back through every consumer (the default)')
      .option('--no-verify', 'skip the read-back')
      .option('--format <format>', `output format: ${ROTATE_FORMATS.join('|')}`, 'table'),
    { confirm: true },
  ).action(async (name: string, o: RotateOptions, command: Command) => {
    const format = parseFormat(o.format, ROTATE_FORMATS);
    const stack = requireStack(o, ctx);
    const component = componentOf(o, ctx);
    const c = component ? ` -c ${shellWord(component)}` : '';
    const source = o.generate ? '--generate' : '--stdin';
    const rerun = (): string =>
      `${o.generate ? '' : 'printf %s "$VALUE" | '}atmos-secret rotate ${shellWord(name)} -s ${shellWord(stack)}${c} ${source} --yes`;
    const svc = await serviceFor(command, ctx, o, rerun);
    // Resolve first, so a misspelt name fails before a value is read.
    svc.describe({ stack, component, name });
    const value = await newValueOf(o, name, ctx);
    const r = await svc.rotate({
      stack,
      component,
      name,
      value,
      verify: o.verify !== false,
      rollbackOnFailure: true,
    });
    printRotation(r, format, ctx);
    if (r.verified && !r.ok) {
      const failed = r.checks.filter((x) => x.status !== 'ok').length;
      throw new AppError(
        'VALIDATION_FAILED',
        `${failed} of ${r.checks.length} consumer(s) of ${r.target.secret} failed verification${r.rolledBack ? '; the previous value was restored' : ''}`,
        { hint: `atmos-secret consumers ${shellWord(name)} -s ${shellWord(stack)}${c} shows where each one reads.` },
      );
    }
  });
}
