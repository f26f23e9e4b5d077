// parseYaml builds its values from js-yaml's events (yaml-parse.ts says why); `yaml` stays the reference for what
// a document means. This test holds the two to the same answers: every YAML file the project carries (fixtures,
// the examples, the Atmos scenarios) and random documents that `yaml` itself writes in many styles give the same
// data, the same YAML functions, and the same line for every key and list item.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  stringify,
  type Node,
  type YAMLMap,
} from 'yaml';
import { REPO_ROOT } from '../../../test/support/paths';
import { KNOWN_TAGS, locationOfKey, parseYaml } from './yaml-parse';
import { DeferredCall, LiteralText, OpaqueCall, parseSecretRef, parseStoreRef, SecretRef, StoreRef } from './yaml-refs';

/** A reference's arguments as parsed (its location aside: `yaml` has its own way to place nodes). */
function fields(ref: SecretRef | StoreRef): string {
  return JSON.stringify({ ...ref, location: undefined });
}

/** What `yaml` makes of a document: values (a YAML function as `<tag> <argument>`) and `path@line` per key. */
function reference(text: string): { value: unknown; lines: string[] } {
  const lineCounter = new LineCounter();
  const nowhere = { file: '' };
  const customTags = KNOWN_TAGS.map((tag) => ({
    tag,
    resolve: (s: string): unknown => {
      if (tag.startsWith('!include')) return null;
      if (tag === '!secret') return fields(parseSecretRef(s.trim(), nowhere));
      if (tag === '!store' || tag === '!store.get')
        return fields(parseStoreRef(tag === '!store' ? 'store' : 'store.get', s.trim(), nowhere));
      return `${tag} ${tag === '!literal' ? s : s.trim()}`;
    },
  }));
  const doc = parseDocument(text, { lineCounter, customTags, merge: true, uniqueKeys: true });
  expect(doc.errors.map((e) => e.message)).toEqual([]);
  const lines: string[] = [];
  const resolve = (n: unknown): unknown => (isAlias(n) ? n.resolve(doc) : n);
  /** A mapping's keys as the loader orders them: merged keys where `<<` stands, explicit ones win. */
  const entries = (map: YAMLMap): Map<string, { line: number; value: unknown }> => {
    const out = new Map<string, { line: number; value: unknown }>();
    for (const p of map.items) {
      if (!isPair(p) || !isScalar(p.key)) continue;
      if (typeof p.key.value === 'symbol' || p.key.value === '<<') {
        const v = resolve(p.value);
        for (const source of isSeq(v) ? v.items.map(resolve) : [v])
          if (isMap(source)) for (const [k, e] of entries(source)) if (!out.has(k)) out.set(k, e);
        continue;
      }
      out.set(String(p.key.value), { line: lineCounter.linePos(p.key.range?.[0] ?? 0).line, value: p.value });
    }
    return out;
  };
  const walk = (node: unknown, path: string): void => {
    const n = resolve(node);
    if (isMap(n)) {
      for (const [k, e] of entries(n)) {
        lines.push(`${path}/${k}@${e.line}`);
        walk(e.value, `${path}/${k}`);
      }
    } else if (isSeq(n)) {
      n.items.forEach((item, i) => {
        lines.push(`${path}/${i}@${lineCounter.linePos((item as Node).range?.[0] ?? 0).line}`);
        walk(item, `${path}/${i}`);
      });
    }
  };
  walk(doc.contents, '');
  return { value: doc.toJS({ maxAliasCount: -1 }), lines };
}

/** The same view of parseYaml's result. */
function ours(text: string): { value: unknown; lines: string[] } {
  const lines: string[] = [];
  const walk = (n: unknown, path: string): unknown => {
    if (n instanceof SecretRef || n instanceof StoreRef) return fields(n);
    if (n instanceof OpaqueCall) return n.toString();
    if (n instanceof DeferredCall) return `${n.tag} ${n.arg}`;
    if (n instanceof LiteralText) return `!literal ${n.toString()}`;
    if (Array.isArray(n))
      return n.map((x, i) => {
        lines.push(`${path}/${i}@${locationOfKey(n, i)?.line}`);
        return walk(x, `${path}/${i}`);
      });
    if (n !== null && typeof n === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(n)) {
        lines.push(`${path}/${k}@${locationOfKey(n, k)?.line}`);
        out[k] = walk(x, `${path}/${k}`);
      }
      return out;
    }
    return n;
  };
  return { value: walk(parseYaml(text, 'agreement.yaml').value, ''), lines };
}

describe('parseYaml agrees with the yaml library', () => {
  const files = globSync(['test/fixtures/**/*.{yaml,yml}', 'examples/**/*.{yaml,yml}', 'e2e/**/*.{yaml,yml}'], {
    cwd: REPO_ROOT,
    absolute: true,
    ignore: ['**/node_modules/**'],
  })
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }))
    // Files `yaml` itself refuses (several documents, deliberate mistakes in the scenarios) are not a reference.
    .filter(({ text }) => {
      const doc = parseDocument(text, { customTags: KNOWN_TAGS.map((tag) => ({ tag, resolve: (s: string) => s })) });
      return doc.errors.length === 0 && !/!(not|terraform|aws|repo-root|cwd|random)/.test(text);
    });

  it(`reads every YAML file the project carries the same way (${files.length} files)`, () => {
    expect(files.length).toBeGreaterThan(100);
    for (const { file, text } of files) expect({ file, ...ours(text) }).toEqual({ file, ...reference(text) });
  });

  it('resolves plain scalars as the YAML 1.2 core schema does', () => {
    const plain = [
      '0',
      '-0',
      '+1',
      '007',
      '0o17',
      '0O17',
      '0x1F',
      '0X1F',
      '0b101',
      '1_000',
      '1.5',
      '.5',
      '5.',
      '-.inf',
    ];
    plain.push('.Inf', '+.INF', '.nan', '.NaN', '1e3', '1E+3', '1.0e-3', '+12e03', '1e400', '-1e400', '0x', '0o');
    plain.push('true', 'True', 'TRUE', 'tRUE', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', 'Null', 'NULL', '~', 'NuLL');
    plain.push('12:30', '1:20:30', '2001-12-14', '0.', '-0.0', '9007199254740993', '+0x1', '-0x1', '00', '08', '0.1.2');
    const text = `${plain.map((p, i) => `k${i}: ${p}`).join('\n')}\nempty:\nlist: [${plain.join(', ')}]\n`;
    expect(ours(text)).toEqual(reference(text));
  });

  it('reads random documents the same way, in every style yaml writes them', () => {
    const scalar = fc.oneof(
      fc.constantFrom('0', '-0', '+1', '007', '0o17', '0x1F', '1.5', '.5', '-.inf', '.NaN', '1e3', '1e400', 'true'),
      fc.constantFrom('True', 'FALSE', 'null', '~', 'yes', 'no', 'on', '0b101', '1_000', '12:30', '2001-12-14'),
      fc.constantFrom('a: b', '- x', '#x', 'x #y', "it's", 'say "hi"', 'tab\there', 'line\nbreak', ' lead', 'trail '),
      fc.constantFrom('{{ .vars.stage }}', '*star', '&amp', '!bang', '%pct', '@at', '`tick`', '|bar', '>gt', ''),
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(
        fc.oneof(fc.constantFrom('vars', 'a b', '1', 'null', 'x:y'), fc.string({ maxLength: 6 })),
        tie('node'),
        {
          maxKeys: 4,
        },
      ),
    })).node;
    const options = fc.record({
      indent: fc.integer({ min: 1, max: 4 }),
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      lineWidth: fc.constantFrom(0, 20, 80),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
      defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
    });
    fc.assert(
      fc.property(value, options, (v, o) => {
        const text = stringify(v, {
          indent: o.indent,
          lineWidth: o.lineWidth,
          defaultStringType: o.defaultStringType as 'PLAIN',
          defaultKeyType: o.defaultKeyType as 'PLAIN' | null,
          collectionStyle: o.collectionStyle as 'any',
        });
        expect(ours(text)).toEqual(reference(text));
      }),
      { numRuns: 400, seed: 8 },
    );
  });
});
