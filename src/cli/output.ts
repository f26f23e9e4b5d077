// Output formats shared by every command: an aligned table for people, json/yaml for programs, csv/tsv for
// spreadsheets. Rows are plain records; the column list fixes order and headers.
//
// Output streams: a RowWriter writes each row as it is produced and a DocumentWriter each top-level entry of a
// document, so `list` and `describe stacks` on a 1,000-stack estate never build their whole output in memory.
// What is held is bounded: the table's width sample (the first TABLE_WIDTH_SAMPLE rows size the columns, later
// rows are written at those widths; a longer cell pushes its own line's later columns right, never truncated),
// and up to WRITE_CHUNK_BYTES of text gathered into one write (one `write` per row cost a third of `list`'s time
// on 151,000 rows). The buffered formats (`formatRows`, `formatDocument`) are the same writers into a string,
// so both paths print byte-for-byte the same text.
import {
  stringify,
  type ToStringOptions,
  type CreateNodeOptions,
  type DocumentOptions,
  type SchemaOptions,
} from 'yaml';
import { AppError } from '../shared/errors';

export const ROW_FORMATS = ['table', 'json', 'yaml', 'csv', 'tsv'] as const;
export type RowFormat = (typeof ROW_FORMATS)[number];

export interface Column<R> {
  readonly key: keyof R & string;
  readonly header: string;
}

export type Cell = string | number | boolean | null | undefined;

/** Rows a table buffers to choose its column widths before it writes anything. */
export const TABLE_WIDTH_SAMPLE = 1000;

/** Text gathered before one call of `write`; `end()` writes the rest. */
export const WRITE_CHUNK_BYTES = 64 * 1024;

/**
 * Plain values only: a value that appears twice in a document (a map shared by two components) is printed
 * twice, never as a YAML anchor and alias (`&a1` / `*a1`), which people and most tools do not expect.
 */
const YAML_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {
  aliasDuplicateObjects: false,
};

export function parseFormat<F extends string>(value: string, allowed: readonly F[]): F {
  if ((allowed as readonly string[]).includes(value)) return value as F;
  throw new AppError('USAGE', `Unknown format "${value}".`, { hint: `Use one of: ${allowed.join(', ')}.` });
}

/**
 * Writes rows as they are produced; `end()` closes the output (the closing bracket, an empty list's form) and
 * writes what is gathered. A caller that stops early (an error) calls `flush()` to write the rows so far.
 */
export interface RowWriter<R> {
  row(r: R): void;
  flush(): void;
  end(): void;
}

export interface RowWriterOptions {
  /** Rows buffered to size table columns (default TABLE_WIDTH_SAMPLE); Infinity sizes them on every row. */
  readonly tableSample?: number;
  /** Characters gathered per `write` (default WRITE_CHUNK_BYTES); 0 writes each piece at once. */
  readonly chunk?: number;
}

/**
 * Gathers text into chunks of about `size` characters, so a row costs no write of its own. A piece of a chunk's
 * size or more (a stack of `describe stacks`, ~140 KB) goes out as it is, after what was gathered: joining it
 * would only copy it.
 */
function chunked(write: (text: string) => void, size: number): { write: (text: string) => void; flush: () => void } {
  let parts: string[] = [];
  let length = 0;
  const flush = (): void => {
    if (length === 0) return;
    write(parts.length === 1 ? (parts[0] ?? '') : parts.join(''));
    parts = [];
    length = 0;
  };
  return {
    write: (text) => {
      if (size > 0 && text.length >= size) {
        flush();
        write(text);
        return;
      }
      parts.push(text);
      length += text.length;
      if (length >= size) flush();
    },
    flush,
  };
}

/** A JSON object of primitive cells as `JSON.stringify(row, null, 2)` indents it inside a list, built directly. */
function jsonRowWriter<R extends Record<string, Cell>>(columns: readonly Column<R>[]): (r: R) => string {
  const keys = columns.map((c, i) => `${i === 0 ? '' : ','}\n    ${JSON.stringify(c.key)}: `);
  return (r) => {
    let out = '  {';
    columns.forEach((c, i) => {
      const v = r[c.key];
      out += `${keys[i] ?? ''}${v === undefined ? 'null' : JSON.stringify(v)}`;
    });
    return `${out}\n  }`;
  };
}

export function rowWriter<R extends Record<string, Cell>>(
  columns: readonly Column<R>[],
  format: RowFormat,
  write: (text: string) => void,
  options: RowWriterOptions = {},
): RowWriter<R> {
  const out = chunked(write, options.chunk ?? WRITE_CHUNK_BYTES);
  const w = formatWriter(columns, format, out.write, options);
  return {
    row: w.row,
    flush: out.flush,
    end: () => {
      w.end();
      out.flush();
    },
  };
}

function formatWriter<R extends Record<string, Cell>>(
  columns: readonly Column<R>[],
  format: RowFormat,
  write: (text: string) => void,
  options: RowWriterOptions,
): Pick<RowWriter<R>, 'row' | 'end'> {
  switch (format) {
    case 'json': {
      let first = true;
      const item = jsonRowWriter(columns);
      return {
        row: (r) => {
          write(`${first ? '[\n' : ',\n'}${item(r)}`);
          first = false;
        },
        end: () => write(first ? '[]\n' : '\n]\n'),
      };
    }
    case 'yaml': {
      let any = false;
      return {
        row: (r) => {
          write(stringify([pick(r, columns)], YAML_OPTIONS));
          any = true;
        },
        end: () => {
          if (!any) write('[]\n');
        },
      };
    }
    case 'csv':
      return delimitedWriter(columns, ',', csvQuote, write);
    case 'tsv':
      return delimitedWriter(columns, '\t', (s) => s.replace(/[\t\n\r]/g, ' '), write);
    case 'table':
      return tableWriter(columns, write, options.tableSample ?? TABLE_WIDTH_SAMPLE);
    default: {
      const never: never = format;
      throw new AppError('INTERNAL', `Unhandled format ${String(never)}`);
    }
  }
}

/** All rows at once, as text (small outputs; the table's columns fit every row). */
export function formatRows<R extends Record<string, Cell>>(
  rows: readonly R[],
  columns: readonly Column<R>[],
  format: RowFormat,
): string {
  const parts: string[] = [];
  const w = rowWriter(columns, format, (t) => parts.push(t), { tableSample: Infinity, chunk: 0 });
  for (const r of rows) w.row(r);
  w.end();
  return parts.join('');
}

/** Writes a document (a map) entry by entry: `{ key: value, ... }` as json or yaml without holding it whole. */
export interface DocumentWriter {
  entry(key: string, value: unknown): void;
  end(): void;
}

export function documentWriter(
  format: 'json' | 'yaml',
  write: (text: string) => void,
  options: { readonly chunk?: number } = {},
): DocumentWriter {
  const out = chunked(write, options.chunk ?? WRITE_CHUNK_BYTES);
  const w = entryWriter(format, out.write);
  return {
    entry: w.entry,
    end: () => {
      w.end();
      out.flush();
    },
  };
}

function entryWriter(format: 'json' | 'yaml', write: (text: string) => void): DocumentWriter {
  let first = true;
  if (format === 'json') {
    return {
      entry: (key, value) => {
        // The entry as JSON.stringify indents it inside its map, minus the braces: one pass over the value
        // instead of a second one re-indenting every line (a regex over describe's whole output cost 12%).
        // An undefined value (which JSON.stringify would drop) is written as null, so the document stays valid.
        const body = JSON.stringify({ [key]: value === undefined ? null : value }, null, 2).slice(2, -2);
        // Two writes, not one concatenation: the body may be large, and the writer passes a large piece through.
        write(first ? '{\n' : ',\n');
        write(body);
        first = false;
      },
      end: () => write(first ? '{}\n' : '\n}\n'),
    };
  }
  return {
    entry: (key, value) => {
      write(stringify({ [key]: value }, YAML_OPTIONS));
      first = false;
    },
    end: () => {
      if (first) write('{}\n');
    },
  };
}

/** A structured value (describe output and the like) as json or yaml. */
export function formatDocument(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value, YAML_OPTIONS);
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

function delimitedWriter<R extends Record<string, Cell>>(
  columns: readonly Column<R>[],
  sep: string,
  quote: (s: string) => string,
  write: (text: string) => void,
): Pick<RowWriter<R>, 'row' | 'end'> {
  write(`${columns.map((c) => quote(c.key)).join(sep)}\n`);
  return {
    row: (r) => write(`${columns.map((c) => quote(text(r[c.key]))).join(sep)}\n`),
    end: () => undefined,
  };
}

function tableWriter<R extends Record<string, Cell>>(
  columns: readonly Column<R>[],
  write: (text: string) => void,
  sample: number,
): Pick<RowWriter<R>, 'row' | 'end'> {
  let buffered: string[][] | undefined = [];
  let widths: number[] = [];
  const cellsOf = (r: R): string[] => columns.map((c) => text(r[c.key]).replace(/\s*\n\s*/g, ' '));
  const line = (values: readonly string[]): string =>
    `${values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()}\n`;
  const flush = (): void => {
    if (!buffered) return;
    const rows = buffered;
    buffered = undefined;
    widths = columns.map((c, i) => rows.reduce((w, row) => Math.max(w, row[i]?.length ?? 0), c.header.length));
    write(line(columns.map((c) => c.header.toUpperCase())));
    for (const cells of rows) write(line(cells));
  };
  return {
    row: (r) => {
      if (!buffered) {
        write(line(cellsOf(r)));
        return;
      }
      buffered.push(cellsOf(r));
      if (buffered.length >= sample) flush();
    },
    end: flush,
  };
}
