import { describe, expect, it } from 'vitest';
import { formatGoFloat, goRfc3339, normalizeGoTime, parseGoBool, parseGoFloat, parseGoInt } from './go-values';

describe('Go value formats', () => {
  it('formats floats like strconv.FormatFloat(v, f, -1, 64)', () => {
    expect(formatGoFloat(1)).toBe('1');
    expect(formatGoFloat(3.14)).toBe('3.14');
    expect(formatGoFloat(1e21)).toBe('1000000000000000000000');
    expect(formatGoFloat(1.5e-7)).toBe('0.00000015');
    expect(formatGoFloat(-2.5e22)).toBe('-25000000000000000000000');
    expect(formatGoFloat(1234.56789)).toBe('1234.56789');
    expect(formatGoFloat(-0)).toBe('-0');
    expect(formatGoFloat(Infinity)).toBe('+Inf');
    expect(formatGoFloat(NaN)).toBe('NaN');
  });

  it('parses like strconv', () => {
    expect(parseGoFloat('1.5')).toBe(1.5);
    expect(parseGoFloat('-Inf')).toBe(-Infinity);
    expect(parseGoFloat('abc')).toBeUndefined();
    expect(parseGoInt('+7')).toBe(7n);
    expect(parseGoInt('9223372036854775808')).toBeUndefined();
    expect(parseGoBool('T')).toBe(true);
    expect(parseGoBool('False')).toBe(false);
    expect(parseGoBool('yes')).toBeUndefined();
  });

  it('renders times as Go does', () => {
    expect(normalizeGoTime('2024-01-01')).toBe('2024-01-01T00:00:00Z');
    expect(normalizeGoTime('2024-01-01T10:20:30.500+00:00')).toBe('2024-01-01T10:20:30.5Z');
    expect(normalizeGoTime('2024-01-01T10:20:30+02:00')).toBe('2024-01-01T10:20:30+02:00');
    expect(goRfc3339('2024-03-25T22:08:10.123Z')).toBe('2024-03-25T22:08:10Z');
  });
});

describe('leafToText', () => {
  it('prints leaves as sops -d would', async () => {
    const { leafToText } = await import('./go-values');
    const { SopsTime } = await import('./tree');
    expect([
      leafToText(7n),
      leafToText(1e21),
      leafToText(true),
      leafToText(null),
      leafToText(new SopsTime('2024-01-01T00:00:00Z')),
    ]).toEqual(['7', '1000000000000000000000', 'true', '', '2024-01-01T00:00:00Z']);
  });
});
