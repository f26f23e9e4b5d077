// `atmos-secret drift [--store NAME] [--format table|json]`: what each secret store holds under its prefix, and
// each SOPS provider's files hold, that no declaration resolves to (validate reports the other way: declared
// but missing). Exit 0 when there is nothing, 1 when an orphan or a store that cannot be listed is found, 2 for
// bad usage or configuration. Names and places only, never a value.
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { DriftFinding, DriftPlace, DriftReport } from '../../main/secrets';
import type { CliContext } from '../context';
import { ExitWith } from '../exit';
import { formatRows, parseFormat, type Column } from '../output';
import { serviceFor } from '../secret-options';

const FORMATS = ['table', 'json'] as const;

interface DriftRow extends Record<string, string> {
  provider: string;
  finding: string;
  path: string;
  place: string;
  lastChanged: string;
}

const COLUMNS: readonly Column<DriftRow>[] = [
  { key: 'provider', header: 'Provider' },
  { key: 'finding', header: 'Finding' },
  { key: 'path', header: 'Path' },
  { key: 'place', header: 'Would be declared as' },
  { key: 'lastChanged', header: 'Last change' },
];

function placeText(p: DriftPlace): string {
  switch (p.scope) {
    case 'global':
      return `${p.name} (global)`;
    case 'stack':
      return `${p.name} in stack ${p.stack ?? '?'}`;
    case 'instance':
      return `${p.name} in ${p.stack ?? '?'}/${p.component ?? '?'}`;
    default: {
      const never: never = p.scope;
      throw new AppError('INTERNAL', `unexpected scope ${String(never)}`);
    }
  }
}

function rowOf(f: DriftFinding): DriftRow {
  switch (f.kind) {
    case 'orphan':
      return {
        provider: f.provider,
        finding: 'not declared',
        path: f.path,
        place: f.place ? placeText(f.place) : (f.placeNote ?? ''),
        lastChanged: f.lastChanged ?? '',
      };
    case 'cannot-list':
      return { provider: f.provider, finding: 'cannot list', path: '', place: f.reason, lastChanged: '' };
    default: {
      const never: never = f;
      throw new AppError('INTERNAL', `unexpected finding ${String(never)}`);
    }
  }
}

function summaryText(r: DriftReport): string {
  const orphans = r.findings.filter((f) => f.kind === 'orphan').length;
  const cannot = r.findings.length - orphans;
  const listed = r.providers.filter((p) => p.listed).length;
  return (
    `${orphans} undeclared value${orphans === 1 ? '' : 's'} in ${listed} listed store${listed === 1 ? '' : 's'} and provider${listed === 1 ? '' : 's'}` +
    (cannot > 0 ? `; ${cannot} could not be listed` : '') +
    (r.unloadedComponents > 0
      ? `; ${r.unloadedComponents} component${r.unloadedComponents === 1 ? '' : 's'} did not load (run validate): what only they declare may show as undeclared`
      : '') +
    '\n'
  );
}

export function registerDrift(program: Command, ctx: CliContext): void {
  program
    .command('drift')
    .description(
      "List values stored under each store's prefix (and keys in SOPS files) that no declaration uses; exit 1 when any is found or a store cannot be listed",
    )
    .option('--store <name>', 'only this store or SOPS provider')
    .option('--format <format>', `output format: ${FORMATS.join('|')}`, 'table')
    .action(async (o: { store?: string; format: string }, command: Command) => {
      const format = parseFormat(o.format, FORMATS);
      const svc = await serviceFor(command, ctx, {});
      const report = await svc.drift({ provider: o.store });
      // A name that matched nothing is a typo, not "no drift".
      if (o.store !== undefined && report.providers.length === 0) {
        throw new AppError('CONFIG', `no secret store or SOPS provider named "${o.store}" is in use or configured`, {
          hint: 'Run `atmos-secret stores` to see the configured stores.',
        });
      }
      switch (format) {
        case 'json':
          ctx.io.stdout(`${JSON.stringify(report, null, 2)}\n`);
          break;
        case 'table':
          if (report.findings.length > 0) ctx.io.stdout(formatRows(report.findings.map(rowOf), COLUMNS, 'table'));
          ctx.io.stderr(summaryText(report));
          break;
        default: {
          const never: never = format;
          throw new AppError('INTERNAL', `unexpected format ${String(never)}`);
        }
      }
      if (!report.ok) throw new ExitWith(1);
    });
}
