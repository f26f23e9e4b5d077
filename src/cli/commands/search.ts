// `atmos-secret search QUERY... [--format table|json] [--limit N]`: the CLI twin of the app's global search
// (`secrets:search`): a declared secret by name, component, stack, provider, backend path or description, across
// every stack. The service's own search (operations/search.ts): the same terms (every one must match), the same
// ranking (the name equals a term, starts with one, anything else) and the same bound on hits. Config only: no
// backend call, no credentials, never a value.
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import { DEFAULT_SEARCH_HITS, MAX_SEARCH_HITS } from '../../shared/ipc/secrets-contract';
import type { CliContext } from '../context';
import { formatRows, parseFormat, type Column } from '../output';
import { serviceFor } from '../secret-options';

const FORMATS = ['table', 'json'] as const;
/** The longest query, as the app's contract takes it. */
const MAX_QUERY_CHARS = 200;

interface SearchOptions {
  readonly format: string;
  readonly limit?: string;
}

interface HitRow extends Record<string, string> {
  stack: string;
  component: string;
  secret: string;
  scope: string;
  provider: string;
  where: string;
  required: string;
  description: string;
}

const COLUMNS: readonly Column<HitRow>[] = [
  { key: 'stack', header: 'Stack' },
  { key: 'component', header: 'Component' },
  { key: 'secret', header: 'Secret' },
  { key: 'scope', header: 'Scope' },
  { key: 'provider', header: 'Provider' },
  { key: 'where', header: 'Where' },
  { key: 'required', header: 'Required' },
  { key: 'description', header: 'Description' },
];

export function parseLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SEARCH_HITS;
  const n = /^\d{1,6}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_SEARCH_HITS) {
    throw new AppError('USAGE', `--limit "${text}" is not a number of hits this command takes`, {
      hint: `Give a whole number from 1 to ${MAX_SEARCH_HITS}, e.g. --limit 20.`,
    });
  }
  return n;
}

function queryOf(words: readonly string[]): string {
  const query = words.join(' ').trim();
  if (query === '') {
    throw new AppError('USAGE', 'search needs a QUERY', { hint: 'For example: atmos-secret search db_password prod' });
  }
  if (query.length > MAX_QUERY_CHARS) {
    throw new AppError('USAGE', `the query is ${query.length} characters; search takes at most ${MAX_QUERY_CHARS}`);
  }
  return query;
}

export function registerSearch(program: Command, ctx: CliContext): void {
  program
    .command('search')
    .description(
      'Find declared secrets in every stack by name, component, stack, provider, backend path or description (no backend call)',
    )
    .argument('<query...>', 'words that must all match (case-insensitive)')
    .option('--format <format>', `output format: ${FORMATS.join('|')}`, 'table')
    .option(
      '--limit <n>',
      `at most this many hits, the best first (1-${MAX_SEARCH_HITS}, default ${DEFAULT_SEARCH_HITS})`,
    )
    .action(async (words: string[], o: SearchOptions, command: Command) => {
      const format = parseFormat(o.format, FORMATS);
      const limit = parseLimit(o.limit);
      const query = queryOf(words);
      const svc = await serviceFor(command, ctx, {});
      const result = await svc.search({ query, limit });
      switch (format) {
        case 'json':
          // Bounded by --limit (at most MAX_SEARCH_HITS hits): printed whole.
          ctx.io.stdout(`${JSON.stringify({ total: result.total, hits: result.hits }, null, 2)}\n`);
          break;
        case 'table': {
          const rows = result.hits.map((h) => ({
            stack: h.stack,
            component: h.component,
            secret: h.secret,
            scope: h.scope,
            provider: h.provider,
            where: h.location ?? h.reference ?? '',
            required: h.required ? 'yes' : 'no',
            description: h.description ?? '',
          }));
          if (rows.length > 0) ctx.io.stdout(formatRows(rows, COLUMNS, 'table'));
          ctx.io.stderr(
            result.total === 0
              ? `no declared secret matches "${query}"\n`
              : `${result.hits.length} of ${result.total} match${result.total === 1 ? '' : 'es'}` +
                  `${result.hits.length < result.total ? ` (raise --limit, up to ${MAX_SEARCH_HITS}, or add words to narrow it)` : ''}\n`,
          );
          break;
        }
        default: {
          const never: never = format;
          throw new AppError('INTERNAL', `unexpected format ${String(never)}`);
        }
      }
    });
}
