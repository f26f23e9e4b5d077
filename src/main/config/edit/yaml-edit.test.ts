import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { AppError } from '../../../shared/errors';
import { deleteIn, findKeyAtLine, findTaggedScalar, replaceTaggedScalar, setIn } from './yaml-edit';

const FIXTURES = join(__dirname, '../../../../test/fixtures/edit');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/**
 * The edit as one splice: `after` is `before` with `removed` (starting on 1-based `line`) replaced by `inserted`.
 * Every other byte is then identical by construction.
 */
function spliceOf(before: string, after: string, line: number, removed: string, inserted: string): boolean {
  const lines = before.split('\n');
  let from = 0;
  for (let i = 0; i < line - 1; i++) from += (lines[i]?.length ?? 0) + 1;
  const to = from + (lines[line - 1]?.length ?? 0) + 1;
  for (let i = from; i <= Math.min(to, before.length); i++) {
    if (before.startsWith(removed, i) && after === before.slice(0, i) + inserted + before.slice(i + removed.length))
      return true;
  }
  return false;
}

function expectSplice(before: string, after: string, line: number, removed: string, inserted: string): void {
  expect(spliceOf(before, after, line, removed, inserted), `after the edit:\n${after}`).toBe(true);
}

const tags = {
  customTags: [
    { tag: '!store', resolve: (s: string) => `!store ${s}` },
    { tag: '!secret', resolve: (s: string) => `!secret ${s}` },
  ],
};

describe('setIn', () => {
  it('replaces one scalar in place, keeping quotes style elsewhere and every comment', () => {
    const before = fixture('commented.yaml');
    const path = { doc: 0, keys: ['components', 'terraform', 'api', 'secrets', 'vars', 'DB_PASSWORD', 'store'] };
    const after = setIn(before, 'commented.yaml', path, 'vault');
    expectSplice(before, after, 18, 'keychain', 'vault');
  });

  it('adds a declaration at the end of its mapping, in the file indentation', () => {
    const before = fixture('commented.yaml');
    const after = setIn(
      before,
      'commented.yaml',
      { doc: 0, keys: ['components', 'terraform', 'api', 'secrets', 'vars', 'NEW'] },
      {
        description: 'a new one: with colon',
        store: 'keychain',
        required: true,
      },
    );
    expectSplice(
      before,
      after,
      21,
      '',
      '          NEW:\n            description: "a new one: with colon"\n            store: keychain\n            required: true\n',
    );
    expect(parse(after, tags).components.terraform.api.secrets.vars.NEW).toEqual({
      description: 'a new one: with colon',
      store: 'keychain',
      required: true,
    });
  });

  it('adds the secrets: and vars: blocks a component lacks (four-space file)', () => {
    const before = fixture('four-spaces.yaml');
    const after = setIn(
      before,
      'four-spaces.yaml',
      { doc: 0, keys: ['components', 'terraform', 'api', 'secrets', 'vars', 'X'] },
      { store: 'k' },
    );
    expectSplice(
      before,
      after,
      6,
      '',
      '            secrets:\n                vars:\n                    X:\n                        store: k\n',
    );
  });

  it('merges an object field by field and removes the fields set to undefined', () => {
    const before = fixture('commented.yaml');
    const path = { doc: 0, keys: ['components', 'terraform', 'api', 'secrets', 'vars', 'DB_PASSWORD'] };
    const after = setIn(before, 'commented.yaml', path, { description: undefined, store: 'keychain', required: true });
    const d = parse(after, tags).components.terraform.api.secrets.vars.DB_PASSWORD;
    expect(d).toEqual({ store: 'keychain', required: true });
    // Only the description line went and a required line came; the rest (comments included) is the same.
    expect(after.replace('            required: true\n', '')).toBe(
      before.replace('            description: "Password"   # keep me\n', ''),
    );
  });

  it('writes flow style into a flow mapping', () => {
    const before = fixture('flow.yaml');
    const after = setIn(
      before,
      'flow.yaml',
      { doc: 0, keys: ['components', 'terraform', 'api', 'secrets', 'vars', 'C'] },
      { store: 'k', scope: 'global' },
    );
    expectSplice(before, after, 4, '', ', C: { store: k, scope: global }');
    expect(parse(after).components.terraform.api.secrets.vars.C).toEqual({ store: 'k', scope: 'global' });
  });

  it('edits the document asked for and leaves the others byte for byte', () => {
    const before = fixture('multi.yaml');
    const after = setIn(
      before,
      'multi.yaml',
      { doc: 1, keys: ['components', 'terraform', 'api', 'secrets', 'vars', 'X'] },
      { store: 'k' },
    );
    expectSplice(before, after, 11, '', '      secrets:\n        vars:\n          X:\n            store: k\n');
    const docs = parseAllDocuments(after);
    expect(Array.isArray(docs) && docs.map((d) => d.toJS())).toEqual([
      { vars: { stage: 'dev' } },
      { components: { terraform: { api: { vars: { replicas: 2 }, secrets: { vars: { X: { store: 'k' } } } } } } },
      { other: [1, 2] },
    ]);
  });

  it('keeps CRLF line ends', () => {
    const before = fixture('crlf.yaml');
    const after = setIn(
      before,
      'crlf.yaml',
      { doc: 0, keys: ['components', 'terraform', 'api', 'secrets', 'vars', 'X'] },
      { store: 'k' },
    );
    expectSplice(before, after, 6, '', '      secrets:\r\n        vars:\r\n          X:\r\n            store: k\r\n');
  });

  it('fills a key that has no value yet', () => {
    const before = 'components:\n  terraform:\n    api:\n      secrets:\n      vars: {}\n';
    const after = setIn(
      before,
      'x.yaml',
      { doc: 0, keys: ['components', 'terraform', 'api', 'secrets', 'vars', 'X'] },
      { store: 'k' },
    );
    expect(after).toBe(
      'components:\n  terraform:\n    api:\n      secrets:\n        vars:\n          X:\n            store: k\n      vars: {}\n',
    );
  });

  it('writes into an empty file, and adds a final newline before appending to a file without one', () => {
    expect(setIn('', 'new.yaml', { doc: 0, keys: ['secrets', 'vars', 'X'] }, { store: 'k' })).toBe(
      'secrets:\n  vars:\n    X:\n      store: k\n',
    );
    expect(setIn('a: 1', 'x.yaml', { doc: 0, keys: ['b'] }, 2)).toBe('a: 1\nb: 2\n');
  });

  it('refuses to edit through an alias or an anchored mapping others share', () => {
    const before = fixture('anchors.yaml');
    const throughAlias = () =>
      setIn(
        before,
        'anchors.yaml',
        { doc: 0, keys: ['components', 'terraform', 'api', 'secrets', 'vars', 'A'] },
        { store: 'x' },
      );
    expect(throughAlias).toThrow(AppError);
    expect(throughAlias).toThrow(/alias/);
    const intoAnchor = () => setIn(before, 'anchors.yaml', { doc: 0, keys: ['defaults', 'store'] }, 'x');
    expect(intoAnchor).toThrow(/anchored/);
  });

  it('edits beside anchors and aliases without touching them', () => {
    const before = fixture('anchors.yaml');
    const after = setIn(
      before,
      'anchors.yaml',
      { doc: 0, keys: ['components', 'terraform', 'api', 'secrets', 'vars', 'B', 'description'] },
      'bee',
    );
    expectSplice(before, after, 12, 'b', 'bee');
    const v = parse(after, { merge: true }).components.terraform.api;
    expect(v.secrets.vars.A).toEqual({ store: 'keychain', required: true });
    expect(v.vars).toEqual({ x: 1, y: 1 });
  });

  it('refuses a file that does not parse, naming the line', () => {
    let err: unknown;
    try {
      setIn('a: 1\nb: [1, 2\nc: 3\n', 'bad.yaml', { doc: 0, keys: ['d'] }, 1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('YAML');
    expect((err as AppError).location?.file).toBe('bad.yaml');
    expect((err as AppError).location?.line).toBeGreaterThan(1);
  });
});

describe('deleteIn', () => {
  it('removes a declaration and nothing else, comments of its neighbours kept', () => {
    const before = fixture('commented.yaml');
    const r = deleteIn(before, 'commented.yaml', {
      doc: 0,
      keys: ['components', 'terraform', 'api', 'secrets', 'vars', 'DB_PASSWORD'],
    });
    expect(r.removed).toBe(true);
    expectSplice(
      before,
      r.text,
      16,
      '          DB_PASSWORD:\n            description: "Password"   # keep me\n            store: keychain\n',
      '',
    );
  });

  it('leaves `vars: {}` when the last declaration goes', () => {
    const before = 'secrets:\n  vars:\n    X:\n      store: k\nvars:\n  a: 1\n';
    const r = deleteIn(before, 'x.yaml', { doc: 0, keys: ['secrets', 'vars', 'X'] });
    expect(r.text).toBe('secrets:\n  vars: {}\nvars:\n  a: 1\n');
  });

  it('with pruneEmpty, removes the wrappers the removal leaves empty, and no more', () => {
    const before =
      'components:\n  terraform:\n    api:\n      vars: {a: 1}\n      secrets:\n        vars:\n          X:\n            store: k\n';
    const keys = ['components', 'terraform', 'api', 'secrets', 'vars', 'X'];
    expect(deleteIn(before, 'x.yaml', { doc: 0, keys }, { pruneEmpty: 2 }).text).toBe(
      'components:\n  terraform:\n    api:\n      vars: {a: 1}\n',
    );
    // The component itself stays defined, even when the wrapper was all it held.
    const only = 'components:\n  terraform:\n    api:\n      secrets:\n        vars:\n          X: {store: k}\n';
    expect(deleteIn(only, 'x.yaml', { doc: 0, keys }, { pruneEmpty: 2 }).text).toBe(
      'components:\n  terraform:\n    api: {}\n',
    );
    // A wrapper that holds something else stays.
    const more = 'secrets:\n  providers: {}\n  vars:\n    X: {store: k}\n';
    expect(deleteIn(more, 'x.yaml', { doc: 0, keys: ['secrets', 'vars', 'X'] }, { pruneEmpty: 2 }).text).toBe(
      'secrets:\n  providers: {}\n',
    );
  });

  it('removes from a flow mapping with its comma', () => {
    const before = fixture('flow.yaml');
    const first = deleteIn(before, 'flow.yaml', {
      doc: 0,
      keys: ['components', 'terraform', 'api', 'secrets', 'vars', 'A'],
    });
    expectSplice(before, first.text, 4, 'A: {store: keychain}, ', '');
    const last = deleteIn(before, 'flow.yaml', {
      doc: 0,
      keys: ['components', 'terraform', 'api', 'secrets', 'vars', 'B'],
    });
    expectSplice(before, last.text, 4, ', B: {store: keychain, required: true}', '');
  });

  it('reports nothing removed for a missing entry', () => {
    const before = fixture('commented.yaml');
    expect(
      deleteIn(before, 'commented.yaml', {
        doc: 0,
        keys: ['components', 'terraform', 'api', 'secrets', 'vars', 'NOPE'],
      }),
    ).toEqual({
      text: before,
      removed: false,
    });
  });
});

describe('tagged scalars and lookups', () => {
  it('finds a key by its line', () => {
    const text = fixture('commented.yaml');
    expect(findKeyAtLine(text, 'commented.yaml', 20, 'OTHER')).toEqual({
      doc: 0,
      keys: ['components', 'terraform', 'api', 'secrets', 'vars', 'OTHER'],
    });
    expect(findKeyAtLine(text, 'commented.yaml', 19, 'OTHER')).toBeUndefined();
    expect(findKeyAtLine(fixture('multi.yaml'), 'multi.yaml', 10, 'replicas')).toEqual({
      doc: 1,
      keys: ['components', 'terraform', 'api', 'vars', 'replicas'],
    });
  });

  it('rewrites a !store expression to !secret in place, the trailing comment kept', () => {
    const before = fixture('commented.yaml');
    const found = findTaggedScalar(before, 'commented.yaml', 23, ['!store', '!store.get']);
    expect(found).toEqual({
      path: { doc: 0, keys: ['components', 'terraform', 'api', 'env', 'CLIENT_SECRET'] },
      tag: '!store',
      source: '!store legacy atmos shared client_secret',
    });
    const after = replaceTaggedScalar(
      before,
      'commented.yaml',
      found?.path ?? { doc: 0, keys: [] },
      ['!store'],
      '!secret CLIENT_SECRET',
    );
    expectSplice(before, after, 23, '!store legacy atmos shared client_secret', '!secret CLIENT_SECRET');
    expect(after).toContain('        CLIENT_SECRET: !secret CLIENT_SECRET  # legacy\n');
  });

  it('refuses to rewrite a value that is no longer the expression', () => {
    const text = fixture('commented.yaml');
    expect(() =>
      replaceTaggedScalar(text, 'commented.yaml', { doc: 0, keys: ['vars', 'stage'] }, ['!store'], '!secret X'),
    ).toThrow(/no longer/);
  });
});
