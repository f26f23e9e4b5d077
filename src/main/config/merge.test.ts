import { describe, expect, it } from 'vitest';
import { deepClone, Merger, toListMergeStrategy } from './merge';

describe('Merger', () => {
  it('deep merges maps, later wins, without mutating inputs', () => {
    const a = { vars: { x: 1, tags: { a: 'a' } }, list: [1] };
    const b = { vars: { y: 2, tags: { b: 'b' } }, list: [2] };
    const before = deepClone({ a, b });
    const out = new Merger().mergeAll([a, b]);
    expect(out).toEqual({ vars: { x: 1, y: 2, tags: { a: 'a', b: 'b' } }, list: [2] });
    expect({ a, b }).toEqual(before);
  });

  it('shares untouched subtrees instead of copying them', () => {
    const shared = { deep: { big: [1, 2, 3] } };
    const out = new Merger().merge({ a: 1 }, { s: shared }) as Record<string, unknown>;
    expect(out['s']).toBe(shared);
  });

  it('append and merge list strategies', () => {
    expect(new Merger('append').merge([1, 2], [3])).toEqual([1, 2, 3]);
    expect(new Merger('merge').merge(['a', { x: 1 }], ['b', { y: 2 }, 'c'])).toEqual(['a', { x: 1, y: 2 }, 'c']);
  });

  it('a null value does not erase an earlier one', () => {
    expect(new Merger().merge({ a: 1 }, { a: null })).toEqual({ a: 1 });
  });

  it('validates list_merge_strategy values', () => {
    expect(toListMergeStrategy('append', 'x')).toBe('append');
    expect(toListMergeStrategy(undefined, 'x')).toBeUndefined();
    expect(() => toListMergeStrategy('zip', 'x')).toThrow(/invalid list_merge_strategy/);
  });
});
