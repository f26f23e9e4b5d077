import { describe, expect, it } from 'vitest';
import { queryPath } from './yq-path';

describe('queryPath', () => {
  const v = { a: { b: [10, { c: 'x' }] }, 'k y': 1 };
  it('selects keys and indexes', () => {
    expect(queryPath(v, '.')).toBe(v);
    expect(queryPath(v, '.a.b[0]')).toBe(10);
    expect(queryPath(v, '.a.b[1].c')).toBe('x');
    expect(queryPath(v, '.["k y"]')).toBe(1);
    expect(queryPath(v, '.a.missing')).toBeNull();
  });
  it('refuses what it does not support', () => {
    expect(() => queryPath(v, '.a | keys')).toThrow(/unsupported query expression/);
  });
});
