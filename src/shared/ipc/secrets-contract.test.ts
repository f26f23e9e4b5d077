import { describe, expect, it } from 'vitest';
import { VALIDATION_KINDS } from '../validation-kinds';
import { MAX_SEARCH_HITS, secretsContract, ValidationKind } from './secrets-contract';

const init = secretsContract['secrets:init'].req;
const item = { stack: 's', component: 'c', secret: 'N' };

describe('the secrets contract for the app flows', () => {
  it('names validation problems exactly as the CLI does (one list)', () => {
    expect(ValidationKind.options).toEqual([...VALIDATION_KINDS]);
  });

  it('takes each init item as a typed value or generate, never both or neither', () => {
    expect(init.safeParse({ items: [{ ...item, value: 'v' }] }).success).toBe(true);
    expect(init.safeParse({ items: [{ ...item, generate: true }] }).success).toBe(true);
    expect(init.safeParse({ items: [{ ...item, value: 'v', generate: true }] }).success).toBe(false);
    expect(init.safeParse({ items: [item] }).success).toBe(false);
    expect(init.safeParse({ items: [] }).success).toBe(false);
    expect(init.safeParse({ items: [{ ...item, value: 'v', extra: 1 }] }).success).toBe(false);
  });

  it('bounds the typed values of one init run together', () => {
    const big = 'x'.repeat(1024 * 1024);
    const items = Array.from({ length: 5 }, (_, i) => ({ ...item, secret: `N${i}`, value: big }));
    expect(init.safeParse({ items: items.slice(0, 4) }).success).toBe(true);
    expect(init.safeParse({ items }).success).toBe(false);
  });

  it('bounds a search: a query of 1-200 characters, at most MAX_SEARCH_HITS hits', () => {
    const search = secretsContract['secrets:search'].req;
    expect(search.safeParse({ query: 'db', limit: MAX_SEARCH_HITS }).success).toBe(true);
    expect(search.safeParse({ query: 'db', limit: MAX_SEARCH_HITS + 1 }).success).toBe(false);
    expect(search.safeParse({ query: '' }).success).toBe(false);
    expect(search.safeParse({ query: 'x'.repeat(201) }).success).toBe(false);
  });

  it('names an import by its opaque id only: no path from the renderer', () => {
    const apply = secretsContract['secrets:importApply'].req;
    expect(apply.safeParse({ id: 'a-b', confirmed: false }).success).toBe(true);
    expect(apply.safeParse({ id: 'a-b', confirmed: false, path: '/etc/passwd' }).success).toBe(false);
  });
});
