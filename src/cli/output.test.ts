import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { documentWriter, formatDocument, formatRows, parseFormat, rowWriter, ROW_FORMATS } from './output';

const columns = [
  { key: 'stack', header: 'Stack' },
  { key: 'secret', header: 'Secret' },
  { key: 'status', header: 'Status' },
] as const;
const rows = [
  { stack: 'plat-ue2-dev', secret: 'DATADOG_API_KEY', status: 'initialized' },
  { stack: 'plat-ue2-prod', secret: 'SLACK, "WEBHOOK"', status: 'missing' },
];

describe('formatRows', () => {
  it('aligns a table with upper-case headers', () => {
    expect(formatRows(rows, columns, 'table')).toBe(
      [
        'STACK          SECRET            STATUS',
        'plat-ue2-dev   DATADOG_API_KEY   initialized',
        'plat-ue2-prod  SLACK, "WEBHOOK"  missing',
        '',
      ].join('\n'),
    );
  });

  it('prints json and yaml arrays keyed by column', () => {
    expect(JSON.parse(formatRows(rows, columns, 'json'))).toEqual(rows);
    expect(parse(formatRows(rows, columns, 'yaml'))).toEqual(rows);
    expect(JSON.parse(formatRows([], columns, 'json'))).toEqual([]);
    expect(parse(formatRows([], columns, 'yaml'))).toEqual([]);
  });

  it('quotes csv fields that need it and flattens tabs in tsv', () => {
    expect(formatRows(rows, columns, 'csv').split('\n')[2]).toBe('plat-ue2-prod,"SLACK, ""WEBHOOK""",missing');
    expect(formatRows([{ stack: 'a\tb', secret: 'x', status: 'y' }], columns, 'tsv')).toBe(
      'stack\tsecret\tstatus\na b\tx\ty\n',
    );
  });

  it('refuses an unknown format naming the allowed ones', () => {
    expect(() => parseFormat('xml', ROW_FORMATS)).toThrow(/Unknown format "xml"/);
    expect(parseFormat('csv', ROW_FORMATS)).toBe('csv');
  });
});

describe('rowWriter (streaming)', () => {
  const more = [...rows, { stack: 'plat-ue2-prod', secret: 'S', status: 'x' }];

  it.each(ROW_FORMATS.filter((f) => f !== 'table'))('writes each %s row before the next exists', (format) => {
    const parts: string[] = [];
    const w = rowWriter(columns, format, (t) => parts.push(t), { chunk: 0 });
    const seen = more.map((r) => {
      w.row(r);
      return parts.join('').includes(r.stack);
    });
    expect(seen).toEqual(more.map(() => true));
  });

  it.each(ROW_FORMATS)('streams %s byte-for-byte what formatRows prints', (format) => {
    const parts: string[] = [];
    const w = rowWriter(columns, format, (t) => parts.push(t), { tableSample: more.length });
    for (const r of more) w.row(r);
    w.end();
    expect(parts.join('')).toBe(formatRows(more, columns, format));
  });

  it.each(ROW_FORMATS)('prints an empty %s listing as formatRows does', (format) => {
    const parts: string[] = [];
    const w = rowWriter(columns, format, (t) => parts.push(t));
    w.end();
    expect(parts.join('')).toBe(formatRows([], columns, format));
  });

  it('sizes table columns from the sample; a later, longer cell pushes only its own line', () => {
    const parts: string[] = [];
    const w = rowWriter(columns, 'table', (t) => parts.push(t), { tableSample: 1 });
    w.row({ stack: 'dev', secret: 'A', status: 'ok' });
    w.row({ stack: 'much-longer-stack', secret: 'B', status: 'ok' });
    w.row({ stack: 'dev', secret: 'C', status: 'ok' });
    w.end();
    expect(parts.join('')).toBe(
      ['STACK  SECRET  STATUS', 'dev    A       ok', 'much-longer-stack  B       ok', 'dev    C       ok', ''].join(
        '\n',
      ),
    );
  });

  it('keeps nothing but the sample: 10,000 rows stream with one write per row after it (chunk 0)', () => {
    let writes = 0;
    const w = rowWriter(columns, 'table', () => writes++, { tableSample: 100, chunk: 0 });
    for (let i = 0; i < 10_000; i++) w.row({ stack: `s${i}`, secret: 'K', status: 'missing' });
    expect(writes).toBe(1 + 10_000); // the header, then each row (the sample flushed when full)
    w.end();
    expect(writes).toBe(1 + 10_000);
  });

  it.each(ROW_FORMATS)('gathers %s rows into bounded chunks, writing them as they fill', (format) => {
    const chunks: string[] = [];
    const w = rowWriter(columns, format, (t) => chunks.push(t), { chunk: 4096, tableSample: 50 });
    const many = Array.from({ length: 5000 }, (_, i) => ({ stack: `stack-${i}`, secret: `SECRET_${i}`, status: 'ok' }));
    for (const r of many) w.row(r);
    const beforeEnd = chunks.length;
    w.end();
    // Written while rows came in, never more than a chunk plus one row at a time, and the same text in the end.
    expect(beforeEnd).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(4096 + 500);
    const unchunked: string[] = [];
    const u = rowWriter(columns, format, (t) => unchunked.push(t), { chunk: 0, tableSample: 50 });
    for (const r of many) u.row(r);
    u.end();
    expect(chunks.join('')).toBe(unchunked.join(''));
  });

  it('writes what it gathered on flush(), for a caller that stops early', () => {
    const chunks: string[] = [];
    const w = rowWriter(columns, 'csv', (t) => chunks.push(t));
    w.row({ stack: 'dev', secret: 'A', status: 'ok' });
    expect(chunks).toEqual([]);
    w.flush();
    expect(chunks.join('')).toBe('stack,secret,status\ndev,A,ok\n');
  });
});

describe('documentWriter chunks', () => {
  it('passes an entry of a chunk or more through as its own write, after the small ones gathered before it', () => {
    const big = { list: Array.from({ length: 400 }, (_, i) => `value-${i}`) };
    const writes: string[] = [];
    const w = documentWriter('json', (t) => writes.push(t), { chunk: 1024 });
    w.entry('a', 1);
    w.entry('b', big);
    w.entry('c', 2);
    w.end();
    const text = writes.join('');
    expect(JSON.parse(text)).toEqual({ a: 1, b: big, c: 2 });
    expect(text).toBe(formatDocument({ a: 1, b: big, c: 2 }, 'json'));
    // The small pieces before it went out first, then the large entry alone, then the rest at the end.
    expect(writes).toHaveLength(3);
    expect(writes[0]).toBe('{\n  "a": 1,\n');
    expect(writes[1]?.startsWith('  "b": {')).toBe(true);
    expect(writes[1]?.length).toBeGreaterThanOrEqual(1024);
    expect(writes[2]).toBe(',\n  "c": 2\n}\n');
  });
});

describe('documentWriter (streaming) and formatDocument', () => {
  const doc = {
    'plat-ue2-dev': { components: { terraform: { api: { vars: { a: 1, list: ['x', 'y'] } } } } },
    'plat-ue2-prod': { components: {} },
    'odd "key"': { nested: { deep: [{ k: 'v' }] } },
  };

  it.each(['json', 'yaml'] as const)('writes %s entry by entry, byte-for-byte what formatDocument prints', (format) => {
    const parts: string[] = [];
    const w = documentWriter(format, (t) => parts.push(t), { chunk: 0 });
    for (const [k, v] of Object.entries(doc)) w.entry(k, v);
    w.end();
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts.join('')).toBe(formatDocument(doc, format));
    const empty: string[] = [];
    const e = documentWriter(format, (t) => empty.push(t));
    e.end();
    expect(empty.join('')).toBe(formatDocument({}, format));
  });

  it('json entries are byte-for-byte JSON.stringify of the whole map, whatever the value', () => {
    const odd: Record<string, unknown> = {
      'multi\nline "key"': 'a\nb\tc "q" \u2028 é',
      emptyMap: {},
      emptyList: [],
      number: 1.5,
      flag: false,
      nothing: null,
      date: new Date(0),
      deep: { a: [[], {}, [1, { b: [] }]], s: '' },
    };
    Object.defineProperty(odd, '__proto__', { value: { own: true }, enumerable: true });
    const parts: string[] = [];
    const w = documentWriter('json', (t) => parts.push(t), { chunk: 0 });
    for (const [k, v] of Object.entries(odd)) w.entry(k, v);
    w.end();
    expect(Object.keys(odd)).toContain('__proto__');
    expect(parts.join('')).toBe(`${JSON.stringify(odd, null, 2)}\n`);
    expect(JSON.parse(parts.join(''))).toEqual(JSON.parse(JSON.stringify(odd)));
  });

  it('writes an undefined json entry as null, so the document stays valid JSON', () => {
    const parts: string[] = [];
    const w = documentWriter('json', (t) => parts.push(t));
    w.entry('a', undefined);
    w.entry('b', 1);
    w.end();
    expect(parts.join('')).toBe('{\n  "a": null,\n  "b": 1\n}\n');
  });

  it('prints a value shared by two places twice, never as a YAML anchor and alias', () => {
    const shared = { region: 'us-east-2', tags: { team: 'platform' } };
    const text = formatDocument({ a: { vars: shared }, b: { vars: shared } }, 'yaml');
    expect(text).not.toMatch(/[&*]a\d/);
    expect(parse(text)).toEqual({ a: { vars: shared }, b: { vars: shared } });
    const streamed: string[] = [];
    const w = documentWriter('yaml', (t) => streamed.push(t));
    w.entry('a', { x: shared, y: shared });
    w.end();
    expect(streamed.join('')).not.toMatch(/[&*]a\d/);
  });
});
