import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { REDACTED, REDACTION_FAILED, Redactor } from './redactor';

describe('Redactor', () => {
  it('masks every remembered value wherever it appears', () => {
    const r = new Redactor();
    r.remember('hunter2-CANARY');
    expect(r.redact('login failed for value hunter2-CANARY (was hunter2-CANARY)')).toBe(
      `login failed for value ${REDACTED} (was ${REDACTED})`,
    );
  });

  it('masks the JSON-escaped form too, as SDK errors quote request bodies', () => {
    const r = new Redactor();
    r.remember('line1\n"quoted"');
    expect(r.redact('{"Value":"line1\\n\\"quoted\\""}')).toBe(`{"Value":"${REDACTED}"}`);
  });

  it('masks the longer of two overlapping values whole, and treats regex characters literally', () => {
    const r = new Redactor();
    r.remember('abcd');
    r.remember('abcd.efgh*');
    expect(r.redact('x abcd.efgh* y abcd z abcdXefgh')).toBe(`x ${REDACTED} y ${REDACTED} z ${REDACTED}Xefgh`);
  });

  it('masks a value past 64 KB and thousands of values without building one huge pattern', () => {
    const r = new Redactor();
    const big = `BIG-CANARY-${'x'.repeat(70 * 1024)}-END`;
    r.remember(big);
    const many = Array.from({ length: 5000 }, (_, i) => `many-canary-${i}-${'y'.repeat(i % 40)}`);
    for (const v of many) r.remember(v);
    const text = `a ${big} b ${many[0]} c ${many[4999]} d ${many[1234]}`;
    const out = r.redact(text);
    expect(out).toBe(`a ${REDACTED} b ${REDACTED} c ${REDACTED} d ${REDACTED}`);
  });

  it('never throws, and never returns its input, when redaction itself fails', () => {
    const r = new Redactor();
    r.remember('fail-CANARY-value');
    const hostile = {
      toString: () => {
        throw new Error('fail-CANARY-value');
      },
    } as unknown as string;
    let out = '';
    expect(() => (out = r.redact(hostile))).not.toThrow();
    expect(out).toBe(REDACTION_FAILED);
  });

  it('ignores values too short to mask without garbling output', () => {
    const r = new Redactor();
    r.remember('1');
    r.remember('');
    expect(r.size).toBe(0);
    expect(r.redact('1 true 1')).toBe('1 true 1');
  });
});

describe('createLogger', () => {
  it('redacts every line, including an error cause', () => {
    const r = new Redactor();
    r.remember('s3cr3t-value');
    const lines: string[] = [];
    const log = createLogger((l) => lines.push(l), r, 'debug');
    log.info('set DB_PASSWORD to s3cr3t-value');
    log.error('backend failed', new Error('request body had s3cr3t-value'));
    expect(lines.join('\n')).not.toContain('s3cr3t-value');
    expect(lines).toHaveLength(2);
  });
});
