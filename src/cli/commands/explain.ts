// `atmos-secret explain NAME -s STACK [-c COMPONENT] [--verify] [--format table|json]`: where a secret comes from
// (every file and line that contributed to its declaration, in merge order), its scope and why, the exact
// backend name or SOPS file and key, the identity and the precedence rule that chose it, the SOPS recipients,
// and its consumers. No backend call unless --verify (then one, for the status). Never a value.
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { Explanation } from '../../main/secrets';
import type { CliContext } from '../context';
import { parseFormat } from '../output';
import { addTargetOptions, componentOf, requireStack, serviceFor, type TargetOptions } from '../secret-options';

const FORMATS = ['table', 'json'] as const;
/** The JSON's schemaVersion (docs/schemas/explain.schema.json): fields are only ever added within a version. */
export const EXPLAIN_SCHEMA_VERSION = 1;

/** Consumers printed by the table form at most (json has them all). */
const CONSUMERS_SHOWN = 20;

function backendLines(e: Explanation): string[] {
  const b = e.backend;
  switch (b.kind) {
    case 'store':
      return [
        `Backend:      store "${b.store}" (${b.storeKind})`,
        `  scope path: ${b.scopePath}`,
        `  name:       ${b.nativeName}`,
      ];
    case 'sops':
      return [
        `Backend:      SOPS provider "${b.provider}" (${b.providerKind})`,
        `  file:       ${b.file}${b.exists ? '' : ' (not created yet)'}`,
        `  key:        ${b.key}`,
      ];
    default: {
      const never: never = b;
      throw new AppError('INTERNAL', `unexpected backend ${String(never)}`);
    }
  }
}

function recipientLines(e: Explanation): string[] {
  const r = e.recipients;
  if (r === null) return [];
  if (r.error !== null) return [`Recipients:   cannot be told: ${r.error}`];
  const from = r.source === 'file' ? "the file's metadata" : 'the creation rule a new file would get';
  const lines = [
    `Recipients:   from ${from}${r.keyGroups.length > 1 ? `, ${r.threshold} of ${r.keyGroups.length} key groups` : ''}`,
  ];
  r.keyGroups.forEach((g, i) => {
    for (const k of g) lines.push(`  ${r.keyGroups.length > 1 ? `group ${i + 1}: ` : ''}${k}`);
  });
  if (r.unsupported.length > 0) lines.push(`  also (not usable here): ${r.unsupported.join(', ')}`);
  return lines;
}

/** The table form: one section per question, for people. */
export function explainText(e: Explanation): string {
  const d = e.declaration;
  const lines = [
    `${e.secret} in ${e.stack}${e.componentGiven ? ` / ${e.component}` : ` (as declared for component ${e.component})`}`,
    `Declaration:  ${d.provider}${d.required ? ', required' : ''}${d.description ? ` - ${d.description}` : ''}`,
  ];
  if (d.reference !== null) lines.push(`  reference:  ${d.reference}`);
  lines.push('  from (merge order; the last one wins):');
  for (const s of d.sources) {
    const role = s.role === 'base' ? `base ${s.base ?? ''}` : s.role;
    const via = s.file !== s.manifest ? `, included from ${s.manifest}` : '';
    lines.push(
      `  ${s.winner ? '*' : '-'} ${s.file}${s.line !== null ? `:${s.line}` : ''}  ${s.keyPath}  (${role}${via}; sets ${s.fields.join(', ') || 'nothing'}${s.wins.length > 0 && !s.winner ? `; wins ${s.wins.join(', ')}` : ''})`,
    );
  }
  lines.push(`Scope:        ${e.scope.value}: ${e.scope.rule}`);
  lines.push(...backendLines(e));
  lines.push(
    e.identity.used
      ? `Identity:     ${e.identity.name ?? '(none)'}: ${e.identity.rule}`
      : `Identity:     not used: this backend authenticates with ${e.identity.unused ?? 'its own credentials'}`,
  );
  lines.push(...recipientLines(e));
  const c = e.consumers;
  lines.push(`Consumers:    ${c.count} in ${c.stacks.length} stack(s)`);
  for (const x of c.components.slice(0, CONSUMERS_SHOWN)) lines.push(`  ${x.stack}/${x.component}`);
  if (c.components.length > CONSUMERS_SHOWN) lines.push(`  ... and ${c.components.length - CONSUMERS_SHOWN} more`);
  if (e.status !== null) lines.push(`Status:       ${e.status.value}${e.status.detail ? ` (${e.status.detail})` : ''}`);
  return `${lines.join('\n')}\n`;
}

export function explainJson(e: Explanation): Record<string, unknown> {
  return { schemaVersion: EXPLAIN_SCHEMA_VERSION, ...e };
}

export function registerExplain(program: Command, ctx: CliContext): void {
  addTargetOptions(
    program
      .command('explain')
      .description(
        'Where a secret comes from and where it lives: files and lines, scope, backend name, identity, recipients, consumers (no backend call without --verify)',
      )
      .argument('<name>', 'the declared secret')
      .option('--verify', 'also ask the backend whether it holds a value (one call)')
      .option('--format <format>', `output format: ${FORMATS.join('|')}`, 'table'),
  ).action(async (name: string, o: TargetOptions & { format: string; verify?: boolean }, command: Command) => {
    const format = parseFormat(o.format, FORMATS);
    const stack = requireStack(o, ctx);
    const svc = await serviceFor(command, ctx, o);
    const e = await svc.explain({ stack, component: componentOf(o, ctx), name, verify: o.verify === true });
    switch (format) {
      case 'json':
        ctx.io.stdout(`${JSON.stringify(explainJson(e), null, 2)}\n`);
        break;
      case 'table':
        ctx.io.stdout(explainText(e));
        break;
      default: {
        const never: never = format;
        throw new AppError('INTERNAL', `unexpected format ${String(never)}`);
      }
    }
  });
}
