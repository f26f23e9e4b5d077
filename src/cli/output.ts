// Output formats shared by every command: an aligned table for people, json/yaml for programs, csv/tsv for
// spreadsheets. Rows are plain records; the column list fixes order and headers.
import { stringify } from 'yaml';
import { AppError } from '../shared/errors';

export const ROW_FORMATS = ['table', 'json', 'yaml', 'csv', 'tsv'] as const;
export type RowFormat = (typeof ROW_FORMATS)[number];

export interface Column<R> {
  readonly key: keyof R & string;
  readonly header: string;
}

export type Cell = string | number | boolean | null | undefined;

export function parseFormat<F extends string>(value: string, allowed: readonly F[]): F {
  if ((allowed as readonly string[]).includes(value)) return value as F;
  throw new AppError('USAGE', `Unknown format "${value}".`, { hint: `Use one of: ${allowed.join(', ')}.` });
}

export function formatRows<R extends Record<string, Cell>>(rows: readonly R[], columns: readonly Column<R>[], format: RowFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(rows.map((r) => pick(r, columns)), null, 2)}\n`;
    case 'yaml':
      return rows.length === 0 ? '[]\n' : stringify(rows.map((r) => pick(r, columns)));
    case 'csv':
      return delimited(rows, columns, ',', csvQuote);
    case 'tsv':
      return delimited(rows, columns, '\t', (s) => s.replace(/[\t\n\r]/g, ' '));
    case 'table':
      return table(rows, columns);
    default: {
      const never: never = format;
      throw new AppError('INTERNAL', `Unhandled format ${String(never)}`);
    }
  }
}

/** A structured value (describe output and the like) as json or yaml. */
export function formatDocument(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value);
}

function pick<R extends Record<string, Cell>>(row: R, columns: readonly Column<R>[]): Record<string, Cell> {
  return Object.fromEntries(columns.map((c) => [c.key, row[c.key] ?? null]));
}

function text(cell: Cell): string {
  return cell === null || cell === undefined ? '' : String(cell);
}

function csvQuote(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function delimited<R extends Record<string, Cell>>(rows: readonly R[], columns: readonly Column<R>[], sep: string, quote: (s: string) => string): string {
  const lines = [columns.map((c) => quote(c.key)).join(sep)];
  for (const r of rows) lines.push(columns.map((c) => quote(text(r[c.key]))).join(sep));
  return `${lines.join('\n')}\n`;
}

function table<R extends Record<string, Cell>>(rows: readonly R[], columns: readonly Column<R>[]): string {
  const cells = rows.map((r) => columns.map((c) => text(r[c.key]).replace(/\s*\n\s*/g, ' ')));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (values: readonly string[]): string => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return `${[line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join('\n')}\n`;
}
