// Dotenv and JSON secret files: exact round trips, comments, export, quoting, and errors that name a line
// but never quote a value.
import { describe, expect, it } from 'vitest';
import { formatDotenv, parseDotenv, parseJsonSecrets, parseSecretFile, formatSecretFile } from './dotenv';

describe('dotenv', () => {
  it('round-trips any value', () => {
    const values = {
      PLAIN: 'abc123',
      EMPTY: '',
      SPACES: '  leading and trailing  ',
      QUOTES: `it's "quoted"`,
      MULTI: '-----BEGIN KEY-----\nline2\n-----END KEY-----\n',
      HASH: 'a # not a comment',
      DOLLAR: '$HOME and \\n literal backslash-n',
      TAB: 'a\tb\r\nc',
      UNICODE: 'pässwörd ✓',
    };
    expect(parseDotenv(formatDotenv(values))).toEqual(values);
    expect(parseSecretFile(formatSecretFile(values, 'json'), 'json')).toEqual(values);
  });

  it('reads the common dotenv forms', () => {
    const text = [
      '# comment',
      '',
      'export A=1',
      'B = two  # trailing comment',
      "C='single # kept'",
      'D="line\\nbreak"',
      'E="multi',
      'line"',
      'F=a=b',
    ].join('\n');
    expect(parseDotenv(text)).toEqual({
      A: '1',
      B: 'two',
      C: 'single # kept',
      D: 'line\nbreak',
      E: 'multi\nline',
      F: 'a=b',
    });
  });

  it('names the line of a problem and never quotes the value', () => {
    expect(() => parseDotenv('A=1\nnot a pair\n', '.env')).toThrow('.env:2: expected KEY=value');
    expect(() => parseDotenv('A="CANARY-open\n', '.env')).toThrow('.env:1: the double-quoted value of A is not closed');
    expect(() => parseDotenv('A=1\nA=2\n', '.env')).toThrow('.env:2: A appears more than once');
    try {
      parseDotenv('A="CANARY-open\n');
    } catch (e) {
      expect((e as Error).message).not.toContain('CANARY');
    }
  });

  it('JSON must be an object of scalars', () => {
    expect(parseJsonSecrets('{"A":"x","N":5,"B":true}')).toEqual({ A: 'x', N: '5', B: 'true' });
    expect(() => parseJsonSecrets('[1]')).toThrow('must be a JSON object');
    expect(() => parseJsonSecrets('{"A":{"x":1}}')).toThrow('the value of A must be a string');
    try {
      parseJsonSecrets('{"A": CANARY}');
    } catch (e) {
      expect((e as Error).message).not.toContain('CANARY');
    }
  });
});
