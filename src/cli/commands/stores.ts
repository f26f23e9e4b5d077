// `atmos-secret stores` lists the configured stores (kind, identity, options with credentials masked, whether
// this build has the adapter); `atmos-secret stores test NAME` reads a path that cannot exist there: exit 0 when
// the backend answers "not found" (reachable and authorised), 1 when it fails, 2 for an unknown store.
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { StoreInfo, StoreTestResult } from '../../main/secrets';
import type { CliContext } from '../context';
import { ExitWith } from '../exit';
import { formatRows, parseFormat, type Column } from '../output';
import { serviceFor } from '../secret-options';

const FORMATS = ['table', 'json'] as const;

interface StoreRow extends Record<string, string> {
  name: string;
  kind: string;
  secret: string;
  identity: string;
  adapter: string;
  options: string;
}

const COLUMNS: readonly Column<StoreRow>[] = [
  { key: 'name', header: 'Name' },
  { key: 'kind', header: 'Kind' },
  { key: 'secret', header: 'Secret' },
  { key: 'identity', header: 'Identity' },
  { key: 'adapter', header: 'Adapter' },
  { key: 'options', header: 'Options' },
];

function adapterText(s: StoreInfo): string {
  if (s.problem) return 'invalid';
  return s.available ? 'yes' : 'not in this build';
}

function rowOf(s: StoreInfo): StoreRow {
  return {
    name: s.name,
    kind: s.kind,
    secret: s.secret ? 'yes' : 'no',
    identity: s.identity ?? '',
    adapter: adapterText(s),
    options: Object.entries(s.options)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
  };
}

/** The JSON form: everything StoreInfo has, with stable keys (absent values as null). */
function jsonOf(s: StoreInfo): Record<string, unknown> {
  return {
    name: s.name,
    kind: s.kind,
    secret: s.secret,
    identity: s.identity ?? null,
    available: s.available,
    options: s.options,
    takesToken: s.takesToken,
    tokenAccount: s.tokenAccount ?? null,
    problem: s.problem ?? null,
  };
}

function testText(r: StoreTestResult): string {
  if (r.ok)
    return `✓ store "${r.store}" (${r.kind}) is reachable and accepted the credentials (read ${r.probe}: not found, as expected)\n`;
  const hint = r.hint ? `\n  hint: ${r.hint}` : '';
  return `✗ store "${r.store}" (${r.kind}) failed the connection test [${r.code}]: ${r.message}${hint}\n`;
}

function testJson(r: StoreTestResult): Record<string, unknown> {
  return r.ok
    ? { store: r.store, kind: r.kind, ok: true, probe: r.probe }
    : {
        store: r.store,
        kind: r.kind,
        ok: false,
        probe: r.probe ?? null,
        code: r.code,
        message: r.message,
        hint: r.hint ?? null,
      };
}

export function registerStores(program: Command, ctx: CliContext): void {
  const stores = program
    .command('stores')
    .description(
      'List the configured stores (kind, identity, options with credentials masked); `stores test NAME` tests one',
    )
    // Also `stores test`'s: options after a subcommand reach the parent first (the program is not positional).
    .option('--format <format>', `output format: ${FORMATS.join('|')}`, 'table')
    .action(async (o: { format: string }, command: Command) => {
      const format = parseFormat(o.format, FORMATS);
      const svc = await serviceFor(command, ctx, {});
      const list = svc.listStores();
      switch (format) {
        case 'json':
          ctx.io.stdout(`${JSON.stringify(list.map(jsonOf), null, 2)}\n`);
          break;
        case 'table':
          if (list.length === 0) {
            ctx.io.stderr('atmos.yaml configures no stores.\n');
            return;
          }
          ctx.io.stdout(formatRows(list.map(rowOf), COLUMNS, 'table'));
          for (const s of list) if (s.problem) ctx.io.stderr(`warning: store "${s.name}": ${s.problem}\n`);
          break;
        default: {
          const never: never = format;
          throw new AppError('INTERNAL', `unexpected format ${String(never)}`);
        }
      }
    });

  stores
    .command('test')
    .description(
      'Test a store: read a path that cannot exist; "not found" means reachable and authorised (exit 1 otherwise)',
    )
    .argument('<name>', 'the store, as named in atmos.yaml')
    .addHelpText(
      'after',
      `\nOptions of \`stores\`:\n  --format <format>  output format: ${FORMATS.join('|')} (default: "table")\n`,
    )
    .action(async (name: string, _o: unknown, command: Command) => {
      const format = parseFormat(stores.opts<{ format: string }>().format, FORMATS);
      const svc = await serviceFor(command, ctx, {});
      const result = await svc.testStore(name);
      switch (format) {
        case 'json':
          ctx.io.stdout(`${JSON.stringify(testJson(result), null, 2)}\n`);
          break;
        case 'table':
          (result.ok ? ctx.io.stdout : ctx.io.stderr)(testText(result));
          break;
        default: {
          const never: never = format;
          throw new AppError('INTERNAL', `unexpected format ${String(never)}`);
        }
      }
      if (!result.ok) throw new ExitWith(1);
    });
}
