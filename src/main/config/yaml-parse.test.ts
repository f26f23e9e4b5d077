import { describe, expect, it } from 'vitest';
import { locationOfKey, parseYaml } from './yaml-parse';
import { DeferredCall, OpaqueCall, parseSecretRef, parseStoreRef, SecretRef, StoreRef } from './yaml-refs';
import { thrown as error } from '../../../test/support/rejection';

describe('parseYaml', () => {
  it('reports malformed YAML with file, line and column', () => {
    const e = error(() => parseYaml('vars:\n  a: 1\n  b: [1, 2\n', 'stacks/bad.yaml'));
    expect(e.code).toBe('YAML');
    expect(e.location?.file).toBe('stacks/bad.yaml');
    expect(e.location?.line).toBeGreaterThanOrEqual(3);
    expect(e.location?.column).toBeGreaterThan(0);
  });

  it('refuses a duplicate key with its line, in one pass', () => {
    const e = error(() => parseYaml('vars:\n  a: 1\n  b: 2\n  a: 3\n', 'dup.yaml'));
    expect(e.code).toBe('YAML');
    expect(e.message).toContain('duplicate key "a"');
    expect(e.location).toEqual({ file: 'dup.yaml', line: 4, column: 3 });
  });

  it('parses a mapping with many keys quickly enough to finish (no quadratic duplicate check)', () => {
    const text = Array.from({ length: 20000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const v = parseYaml(text, 'big.yaml').value as Record<string, number>;
    expect(v['k19999']).toBe(19999);
  });

  it('refuses an unknown tag naming file and line', () => {
    const e = error(() => parseYaml('vars:\n  a: !nope x\n', 'stacks/x.yaml'));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toContain('unknown YAML function !nope');
    expect(e.location).toMatchObject({ file: 'stacks/x.yaml', line: 2 });
  });

  it('turns YAML functions into reference objects with their location', () => {
    const v = parseYaml(
      'a: !secret API_KEY\nb: !store.get ssm /x/y\nc: !env HOME\nd: !exec echo hi\ne: !terraform.output vpc id\nf: !template "{{ .vars.x }}"\n',
      'f.yaml',
    );
    const o = v.value as Record<string, unknown>;
    expect(o['a']).toBeInstanceOf(SecretRef);
    expect(o['a']).toMatchObject({ name: 'API_KEY', location: { file: 'f.yaml', line: 1 } });
    expect(o['b']).toBeInstanceOf(StoreRef);
    expect(o['c']).toBeInstanceOf(DeferredCall);
    expect(o['c']).toMatchObject({ tag: '!env', arg: 'HOME', location: { file: 'f.yaml', line: 3 } });
    expect(o['d']).toBeInstanceOf(DeferredCall);
    expect(o['e']).toBeInstanceOf(OpaqueCall);
    expect((o['f'] as DeferredCall).arg).toBe('{{ .vars.x }}');
    expect(v.dynamic).toBe(true);
  });

  it('places a YAML function at its text: a quoted one at its quote, a block one at its indicator', () => {
    const v = parseYaml('a: !secret "X"\nb: !template |-\n  {{ .vars.x }}\nc: !env\n', 'p.yaml').value as Record<
      string,
      { location: unknown }
    >;
    expect(v['a']?.location).toEqual({ file: 'p.yaml', line: 1, column: 12 });
    expect(v['b']?.location).toEqual({ file: 'p.yaml', line: 2, column: 14 });
    expect(error(() => parseYaml('a: 1\nb: !exec\n', 'e.yaml')).location).toMatchObject({ file: 'e.yaml', line: 2 });
  });

  it('refuses a file of several documents at the --- that starts the second', () => {
    const e = error(() => parseYaml('a: 1\n---\n# two\nb: 2\n', 'd.yaml'));
    expect(e.code).toBe('YAML');
    expect(e.location).toEqual({ file: 'd.yaml', line: 2, column: 1 });
  });

  it('evaluates !env immediately when asked (atmos.yaml)', () => {
    const v = parseYaml('a: !env X\nb: !env MISSING fallback\n', 'atmos.yaml', { envNow: { X: 'x-value' } });
    expect(v.value).toEqual({ a: 'x-value', b: 'fallback' });
  });

  it('records the line every key and list item starts on, as LineCounter does (first line, flow, CRLF)', () => {
    const text =
      'a: 1\r\nb:\r\n  c: [x,\r\n    y]\r\n  d: {e: 1,\r\n     f: 2}\r\n\r\nlist:\r\n  - one\r\n  -\r\n    two\r\n';
    const v = parseYaml(text, 'l.yaml').value as Record<string, Record<string, unknown>>;
    const line = (container: object, key: string | number): number | undefined => locationOfKey(container, key)?.line;
    expect([line(v, 'a'), line(v, 'b'), line(v, 'list')]).toEqual([1, 2, 8]);
    const b = v['b'] ?? {};
    expect([line(b, 'c'), line(b, 'd')]).toEqual([3, 5]);
    expect([line(b['c'] as object, 0), line(b['c'] as object, 1)]).toEqual([3, 4]);
    expect([line(b['d'] as object, 'e'), line(b['d'] as object, 'f')]).toEqual([5, 6]);
    expect([line(v['list'] as object, 0), line(v['list'] as object, 1)]).toEqual([9, 11]);
  });

  it('keeps the line of every key and supports anchors and merge keys', () => {
    const v = parseYaml('base: &b\n  x: 1\n  y: 2\nchild:\n  <<: *b\n  y: 3\n', 'a.yaml').value as Record<
      string,
      Record<string, number>
    >;
    expect(v['child']).toEqual({ x: 1, y: 3 });
    expect(locationOfKey(v, 'child')).toEqual({ file: 'a.yaml', line: 4 });
    expect(locationOfKey(v['base'] ?? {}, 'y')).toEqual({ file: 'a.yaml', line: 3 });
  });

  it('records include sites without reading anything', () => {
    const v = parseYaml('vars: !include config/a.json .x\n', 'm.yaml');
    expect(v.includes).toHaveLength(1);
    expect(v.includes[0]).toMatchObject({ raw: false, target: 'config/a.json', expression: '.x', key: 'vars' });
  });
});

describe('!secret and !store arguments', () => {
  const loc = { file: 'f.yaml', line: 1 };
  it('parses !secret modifiers', () => {
    expect(parseSecretRef('DB | path ".password" | default "x y" | raw', loc)).toMatchObject({
      name: 'DB',
      path: '.password',
      defaultValue: 'x y',
      raw: true,
    });
    expect(parseSecretRef('REDIS_URL | default "redis://localhost:6379"', loc).defaultValue).toBe(
      'redis://localhost:6379',
    );
    expect(error(() => parseSecretRef('A B', loc)).message).toContain('exactly one secret name');
    expect(error(() => parseSecretRef('A | nope 1', loc)).message).toContain('unknown modifier');
  });

  it('parses !store with 3 or 4 arguments and !store.get with 2', () => {
    expect(parseStoreRef('store', 'prod/ssm vpc vpc_id | query .a', loc)).toMatchObject({
      store: 'prod/ssm',
      component: 'vpc',
      key: 'vpc_id',
      query: '.a',
      stack: undefined,
    });
    expect(parseStoreRef('store', 'ssm plat-ue2 vpc id | default "{}"', loc)).toMatchObject({
      stack: 'plat-ue2',
      component: 'vpc',
      key: 'id',
      defaultValue: '{}',
    });
    expect(parseStoreRef('store.get', 'redis app-config | default x', loc)).toMatchObject({
      kind: 'store.get',
      store: 'redis',
      key: 'app-config',
      defaultValue: 'x',
    });
    expect(error(() => parseStoreRef('store', 'a b', loc)).message).toContain('3 or 4 arguments');
    expect(error(() => parseStoreRef('store.get', 'a', loc)).message).toContain('2 arguments');
  });
});
