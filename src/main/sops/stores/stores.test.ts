// Store edge cases: awkward strings survive a YAML/JSON/dotenv round trip both as plaintext (under
// _unencrypted) and encrypted; comment-regex rules; conversion between formats keeps types.
import { describe, expect, it } from 'vitest';
import { ageGroup, ageSources, newAgeKey } from '../../../../test/support/fixtures/sops/age-keys';
import { decryptSopsBytes, encryptSopsDocuments } from '../sops-codec';
import { SopsComment, SopsTime, fromPlain, getPath, isSopsMap, newMap, toPlain, type SopsMap } from '../tree';
import { STORES, type SopsFormat } from './index';

const AWKWARD = [
  '',
  ' ',
  'a\n',
  '\n',
  'tab\there',
  'trailing \nspace ',
  '#not a comment',
  'key: value',
  '- item',
  '"quoted"',
  "it's",
  'yes',
  'null',
  '~',
  '1_000',
  '0x10',
  '0777',
  '2024-01-01',
  '.inf',
  '3.13.2',
  'é ünïcödé 🎉',
  'ctrl\u0001char',
  'ENC[not really]',
  '  leading',
  'a\\nb',
];

function doc(prefix: string, format: SopsFormat): SopsMap {
  // sops' dotenv escaping is lossy: a literal backslash-n reads back as a newline (same in Go sops).
  const values = format === 'dotenv' ? AWKWARD.filter((v) => !v.includes('\\n')) : AWKWARD;
  return fromPlain(Object.fromEntries(values.map((v, i) => [`${prefix}${i}`, v]))) as SopsMap;
}

describe.each<SopsFormat>(['yaml', 'json', 'dotenv'])('%s store', (format) => {
  it('round-trips awkward strings as plaintext and encrypted', async () => {
    const key = await newAgeKey();
    const plain = newMap([
      ...doc('k', format).items,
      ...(format === 'dotenv' ? [] : [{ key: 'open_unencrypted', value: doc('p', format) }]),
    ]);
    const bytes = STORES[format].serialize([plain], undefined, {});
    const reread = STORES[format].parse(bytes, `x.${format}`).documents[0];
    expect(toPlain(reread)).toEqual(toPlain(plain));
    const enc = await encryptSopsDocuments([plain], {
      format,
      keyGroups: [ageGroup(key)],
      keySources: ageSources(key),
    });
    const f = await decryptSopsBytes(enc, `x.${format}`, format, { keySources: ageSources(key) });
    expect(toPlain(f.documents[0])).toEqual(toPlain(plain));
  });
});

describe('comment-regex rules', () => {
  it('encrypted_comment_regex encrypts only values under a marker comment', async () => {
    const key = await newAgeKey();
    const src = 'public: hello\n# sops:enc\nsecret: hunter22\nother: visible\n';
    const docs = STORES.yaml.parse(Buffer.from(src), 'c.yaml').documents;
    const enc = await encryptSopsDocuments(docs, {
      format: 'yaml',
      keyGroups: [ageGroup(key)],
      keySources: ageSources(key),
      rule: { kind: 'encrypted_comment_regex', value: 'sops:enc' },
    });
    const text = new TextDecoder().decode(enc);
    expect(text).toContain('public: hello');
    expect(text).toContain('other: visible');
    expect(text).not.toContain('hunter22');
    expect(text).toContain('# sops:enc');
    const f = await decryptSopsBytes(enc, 'c.yaml', 'yaml', { keySources: ageSources(key) });
    expect(toPlain(f.documents[0])).toEqual({ public: 'hello', secret: 'hunter22', other: 'visible' });
  });
});

describe('format conversion', () => {
  it('YAML -> JSON -> YAML keeps ints, floats, bools, times and nesting', async () => {
    const key = await newAgeKey();
    const src = 'i: 7\nf: 1.5\nw: 2.0\nb: false\nt: 2024-05-06T07:08:09Z\nn:\n    l: [1, "two", 3.5]\n';
    const yamlDoc = STORES.yaml.parse(Buffer.from(src), 'a.yaml').documents;
    const json = await encryptSopsDocuments(yamlDoc, {
      format: 'json',
      keyGroups: [ageGroup(key)],
      keySources: ageSources(key),
    });
    const j = await decryptSopsBytes(json, 'a.json', 'json', { keySources: ageSources(key) });
    const back = await encryptSopsDocuments(j.documents, {
      format: 'yaml',
      keyGroups: [ageGroup(key)],
      keySources: ageSources(key),
    });
    const y = await decryptSopsBytes(back, 'b.yaml', 'yaml', { keySources: ageSources(key) });
    const items = Object.fromEntries(y.documents[0].items.flatMap((i) => ('key' in i ? [[i.key, i.value]] : [])));
    expect(items.i).toBe(7n);
    expect(items.f).toBe(1.5);
    expect(items.w).toBe(2);
    expect(items.b).toBe(false);
    expect(items.t).toEqual(new SopsTime('2024-05-06T07:08:09Z'));
    expect(toPlain(y.documents[0])).toEqual({
      i: 7,
      f: 1.5,
      w: 2,
      b: false,
      t: '2024-05-06T07:08:09Z',
      n: { l: [1, 'two', 3.5] },
    });
    expect(new TextDecoder().decode(back)).toContain('type:float');
  });
});

describe('YAML comments', () => {
  it('round-trip byte for byte, each trailing comment staying with the collection its column belongs to', () => {
    const src = [
      '# head',
      'a: 1 # inline',
      'b:',
      '    # first in b',
      '    c: x',
      '    d:',
      '        e: 1',
      '        # end d',
      '    # end b',
      '# end',
      'z: 2',
      'l:',
      '    - 1',
      '    # in l',
      '# after l',
      '',
    ].join('\n');
    const parsed = STORES.yaml.parse(Buffer.from(src), 'c.yaml');
    expect(new TextDecoder().decode(STORES.yaml.serialize(parsed.documents, undefined, parsed.style))).toBe(src);
    const b = getPath(parsed.documents[0], ['b']);
    const inB = isSopsMap(b)
      ? b.items.filter((i): i is SopsComment => i instanceof SopsComment).map((c) => c.value)
      : [];
    expect(inB).toEqual([' first in b', ' end b']);
  });
});

describe('YAML document markers', () => {
  it('keeps a leading --- and the separators of a multi-document file', () => {
    const src = '---\na: 1\n---\nb: 2\n';
    const parsed = STORES.yaml.parse(Buffer.from(src), 'm.yaml');
    expect(new TextDecoder().decode(STORES.yaml.serialize(parsed.documents, undefined, parsed.style))).toBe(src);
  });
});
