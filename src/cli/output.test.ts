import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatRows, parseFormat, ROW_FORMATS } from './output';

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
    expect(formatRows([{ stack: 'a\tb', secret: 'x', status: 'y' }], columns, 'tsv')).toBe('stack\tsecret\tstatus\na b\tx\ty\n');
  });

  it('refuses an unknown format naming the allowed ones', () => {
    expect(() => parseFormat('xml', ROW_FORMATS)).toThrow(/Unknown format "xml"/);
    expect(parseFormat('csv', ROW_FORMATS)).toBe('csv');
  });
});
