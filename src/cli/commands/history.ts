// `atmos-secret history NAME -s STACK [-c COMPONENT]`: a declared secret's versions, newest first (version id,
// created time, current flag, stages or state where the backend has them). Never a value. A store without
// versions, and a SOPS file (one entry: its lastmodified), say so in plain words.
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { HistoryEntry, HistoryReport } from '../../main/secrets';
import type { CliContext } from '../context';
import { formatRows, parseFormat, type Column } from '../output';
import { addTargetOptions, componentOf, requireStack, serviceFor, type TargetOptions } from '../secret-options';

const FORMATS = ['table', 'json'] as const;

interface VersionRow extends Record<string, string> {
  version: string;
  created: string;
  current: string;
  stages: string;
}

const COLUMNS: readonly Column<VersionRow>[] = [
  { key: 'version', header: 'Version' },
  { key: 'created', header: 'Created' },
  { key: 'current', header: 'Current' },
  { key: 'stages', header: 'Stages / state' },
];

function rowOf(v: HistoryEntry): VersionRow {
  return {
    version: v.version,
    created: v.createdAt ?? '',
    current: v.current ? 'yes' : '',
    stages: [...(v.stages ?? []), ...(v.state ? [v.state] : [])].join(', '),
  };
}

function jsonOf(h: HistoryReport): Record<string, unknown> {
  return {
    secret: h.target.secret,
    stack: h.target.stack,
    component: h.target.component,
    scope: h.target.scope,
    provider: h.target.provider,
    where: h.target.where,
    supported: h.supported,
    canRestore: h.canRestore,
    note: h.note ?? null,
    versions: h.versions.map((v) => ({
      version: v.version,
      createdAt: v.createdAt ?? null,
      current: v.current,
      stages: v.stages ?? [],
      state: v.state ?? null,
    })),
  };
}

export function registerHistory(program: Command, ctx: CliContext): void {
  addTargetOptions(
    program
      .command('history')
      .description("A declared secret's versions, newest first (never values)")
      .argument('<name>', 'the declared secret')
      .option('--format <format>', `output format: ${FORMATS.join('|')}`, 'table'),
  ).action(async (name: string, o: TargetOptions & { format: string }, command: Command) => {
    const format = parseFormat(o.format, FORMATS);
    const stack = requireStack(o, ctx);
    const svc = await serviceFor(command, ctx, o);
    const h = await svc.history({ stack, component: componentOf(o, ctx), name });
    switch (format) {
      case 'json':
        ctx.io.stdout(`${JSON.stringify(jsonOf(h), null, 2)}\n`);
        break;
      case 'table':
        ctx.io.stderr(`${h.target.secret} (${h.target.scope}) in ${h.target.where}\n`);
        if (h.versions.length > 0) ctx.io.stdout(formatRows(h.versions.map(rowOf), COLUMNS, 'table'));
        if (h.note) ctx.io.stderr(`${h.note}\n`);
        break;
      default: {
        const never: never = format;
        throw new AppError('INTERNAL', `unexpected format ${String(never)}`);
      }
    }
  });
}
