// `!store`/`!store.get` evaluation for describe, over in-memory stores: values decoded as Atmos does, `| query`,
// `| default`, one batched read per store (or bounded single reads), notes for stores left unevaluated, and a
// missing key without a default failing with the expression's file and line.
import { describe, expect, it } from 'vitest';
import { parseStoreRef, type StoreRef } from '../../config';
import { AppError } from '../../../shared/errors';
import { MemorySecretStore } from '../../stores/memory/memory-store';
import { evaluateStoreRefs, findStoreRefSites, type StoreOpener } from './store-refs';

const loc = { file: 'stacks/dev.yaml', line: 7 };
const ref = (kind: 'store' | 'store.get', arg: string): StoreRef => parseStoreRef(kind, arg, loc);

async function seeded(getMany = true): Promise<MemorySecretStore> {
  const store = new MemorySecretStore({ name: 'ssm', kind: 'aws/ssm', getMany });
  await store.set({ name: 'vpc_id', scope: 'instance', stack: 'plat-ue2-dev', component: 'vpc' }, 'vpc-123');
  await store.set({ name: 'config', scope: 'global' }, '{"a":{"b":"deep"},"n":3}');
  await store.set({ name: 'count', scope: 'global' }, '42');
  store.calls.get = 0;
  return store;
}

function opener(stores: Record<string, MemorySecretStore>): StoreOpener {
  return (name) => {
    const store = stores[name];
    return store ? { kind: 'store', store } : { kind: 'skipped', reason: `store "${name}" is a redis store` };
  };
}

const sectionsWith = (vars: Record<string, unknown>): Record<string, unknown> => ({ vars, env: {} });
const describedWith = (vars: Record<string, unknown>): Record<string, unknown> => ({
  vars: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)])),
  env: {},
  stack: 'plat-ue2-dev',
});

describe('evaluateStoreRefs', () => {
  it('shows values, decoded and queried, with defaults for missing keys, in one batched read per store', async () => {
    const store = await seeded();
    const vars = {
      vpc: ref('store', 'ssm vpc vpc_id'),
      other_stack: ref('store', 'ssm plat-ue2-dev vpc vpc_id'),
      deep: ref('store.get', 'ssm config | query .a.b'),
      whole: ref('store.get', 'ssm config'),
      count: ref('store.get', 'ssm count'),
      fallback: ref('store.get', 'ssm nothing-here | default fallback-value'),
      plain: 'kept',
    };
    const out = await evaluateStoreRefs(
      describedWith(vars),
      sectionsWith(vars),
      'plat-ue2-dev',
      opener({ ssm: store }),
    );
    expect(out.described['vars']).toEqual({
      vpc: 'vpc-123',
      other_stack: 'vpc-123',
      deep: 'deep',
      whole: { a: { b: 'deep' }, n: 3 },
      count: 42,
      fallback: 'fallback-value',
      plain: 'kept',
    });
    expect(out.described['stack']).toBe('plat-ue2-dev');
    expect(out.notes).toEqual([]);
    expect(store.calls.getMany).toBe(1);
    expect(store.calls.get).toBe(0);
  });

  it('reads one at a time where the store has no batch read, once per key', async () => {
    const store = await seeded(false);
    const vars = {
      a: ref('store.get', 'ssm count'),
      b: ref('store.get', 'ssm count'),
      c: ref('store.get', 'ssm config'),
    };
    const out = await evaluateStoreRefs(
      describedWith(vars),
      sectionsWith(vars),
      'plat-ue2-dev',
      opener({ ssm: store }),
    );
    expect(out.described['vars']).toEqual({ a: 42, b: 42, c: { a: { b: 'deep' }, n: 3 } });
    expect(store.calls.get).toBe(2);
  });

  it('leaves a Redis reference as written and says why in words', async () => {
    const vars = { cache: ref('store.get', 'cache app-config | query .x') };
    const described = describedWith(vars);
    const out = await evaluateStoreRefs(described, sectionsWith(vars), 'plat-ue2-dev', opener({}));
    expect(out.described).toBe(described);
    expect(out.notes).toEqual([
      'vars.cache: !store.get cache app-config is not evaluated: store "cache" is a redis store',
    ]);
  });

  it('a missing key without a default fails naming the position, the expression, its file and line, and the fix', async () => {
    const store = await seeded();
    const vars = { gone: ref('store.get', 'ssm nothing-here') };
    const failure = await evaluateStoreRefs(
      describedWith(vars),
      sectionsWith(vars),
      'plat-ue2-dev',
      opener({ ssm: store }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(AppError);
    const e = failure as AppError;
    expect(e.code).toBe('SECRET_NOT_FOUND');
    expect(e.message).toBe('vars.gone: !store.get ssm nothing-here reads a key that store "ssm" does not hold');
    expect(e.location).toEqual(loc);
    expect(e.hint).toContain('| default');
  });

  it('finds references inside lists and keys with dots, and writes each back in its place', async () => {
    const store = await seeded();
    const vars = { 'a.b': [{ x: ref('store.get', 'ssm count') }, 'y'] };
    const sections = sectionsWith(vars);
    expect(findStoreRefSites(sections).map((s) => [s.section, s.path])).toEqual([['vars', ['a.b', 0, 'x']]]);
    const described = { vars: { 'a.b': [{ x: '!store.get ssm count' }, 'y'] } };
    const out = await evaluateStoreRefs(described, sections, 'plat-ue2-dev', opener({ ssm: store }));
    expect(out.described).toEqual({ vars: { 'a.b': [{ x: 42 }, 'y'] } });
    expect(described.vars['a.b'][0]).toEqual({ x: '!store.get ssm count' });
  });
});
