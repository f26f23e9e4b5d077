// Bounded inputs: alias bombs, huge files, invalid UTF-8, deep nesting and cyclic !include each fail fast with
// an AppError naming the file, never a hang, a RangeError or a silent replacement.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atmosYaml, makeTree, TEST_ENV } from '../../../test/support/fixtures/config/tree';
import { AppError } from '../../shared/errors';
import { MAX_FILE_BYTES } from './bounded-input';
import { describeStacks, loadWorkspace } from './index';
import { parseYaml } from './yaml-parse';

function parseError(text: string, file = 'stacks/x.yaml'): AppError {
  try {
    parseYaml(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an AppError');
}

async function loadError(files: Record<string, string>): Promise<{ root: string; e: AppError }> {
  const root = makeTree({ 'atmos.yaml': atmosYaml(), ...files });
  const e = await loadWorkspace({ configPath: root, env: TEST_ENV }).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return { root, e: e as AppError };
}

/** The classic "billion laughs": 9 levels of 10 aliases each, about 1 KB of text for 10^9 values. */
const LAUGHS = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((c, i) => {
    const prev = 'abcdefghi'[i] ?? 'a';
    return `${c}: &${c} [${Array(10).fill(`*${prev}`).join(',')}]`;
  }),
  'vars:\n  boom: *i',
].join('\n');

describe('alias expansion', () => {
  it('a 1 KB billion-laughs manifest fails at parse with a YAML error naming the file', async () => {
    expect(LAUGHS.length).toBeLessThan(1100);
    const e = parseError(LAUGHS, 'stacks/bomb.yaml');
    expect(e.code).toBe('YAML');
    expect(e.message).toContain('stacks/bomb.yaml');
    expect(e.message).toContain('expand to more than 100000 values');
    const { root, e: le } = await loadError({ 'stacks/bomb.yaml': LAUGHS });
    expect(le.location?.file).toBe(join(root, 'stacks/bomb.yaml'));
  });

  it('ordinary aliases and merge keys still work', () => {
    const v = parseYaml('base: &b {x: 1, y: [1, 2]}\nc:\n  <<: *b\n  z: *b\n', 'f.yaml').value;
    expect(v).toEqual({ base: { x: 1, y: [1, 2] }, c: { x: 1, y: [1, 2], z: { x: 1, y: [1, 2] } } });
  });

  it('an alias inside the node it names is a YAML error, not a stack overflow', () => {
    const e = parseError('a: &x [1, *x]\n');
    expect(e.code).toBe('YAML');
    expect(e.message).toContain('alias *x refers to a mapping or list that contains it');
  });
});

describe('file size', () => {
  it('a manifest over the cap fails naming the file and the cap; included files too', async () => {
    const big = `vars:\n  pad: "${'x'.repeat(MAX_FILE_BYTES)}"\n`;
    const { root, e } = await loadError({ 'stacks/huge.yaml': big });
    expect(e.code).toBe('CONFIG');
    expect(e.message).toContain(join(root, 'stacks/huge.yaml'));
    expect(e.message).toContain('over the 8 MiB limit');
    const inc = await loadError({ 'stacks/dev.yaml': 'vars:\n  x: !include big.txt\n', 'big.txt': big });
    expect(inc.e.message).toContain(join(inc.root, 'big.txt'));
    expect(inc.e.message).toContain('over the 8 MiB limit');
  });
});

describe('UTF-8', () => {
  it('invalid UTF-8 in a manifest is a YAML error naming the file and line, not a silent replacement', async () => {
    const root = makeTree({ 'atmos.yaml': atmosYaml(), 'stacks/.keep': '' });
    writeFileSync(
      join(root, 'stacks/dev.yaml'),
      Buffer.concat([Buffer.from('vars:\n  ok: "\uFFFD é"\n  bad: "'), Buffer.from([0xc3, 0x28]), Buffer.from('"\n')]),
    );
    const e = await loadWorkspace({ configPath: root, env: TEST_ENV }).then(
      () => undefined,
      (err: unknown) => err as AppError,
    );
    expect(e).toBeInstanceOf(AppError);
    expect(e?.code).toBe('YAML');
    expect(e?.message).toContain('is not valid UTF-8 (line 3)');
    expect(e?.location).toEqual({ file: join(root, 'stacks/dev.yaml'), line: 3 });
  });

  it('invalid UTF-8 in atmos.yaml is refused the same way', async () => {
    const root = makeTree({ 'stacks/dev.yaml': 'vars: {}\n' });
    const bad = Buffer.concat([Buffer.from(`${atmosYaml()}env:\n  A: "caf`), Buffer.from([0xe9]), Buffer.from('"\n')]);
    writeFileSync(join(root, 'atmos.yaml'), bad);
    const e = await loadWorkspace({ configPath: root, env: TEST_ENV }).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'YAML', location: { file: join(root, 'atmos.yaml'), line: 7 } });
  });
});

describe('nesting', () => {
  it('flow collections nested past the cap are a YAML error with the line', () => {
    const e = parseError(`vars:\n  deep: ${'['.repeat(500)}${']'.repeat(500)}\n`);
    expect(e.code).toBe('YAML');
    expect(e.message).toContain('nested more than 128 levels');
    expect(e.location).toEqual({ file: 'stacks/x.yaml', line: 2 });
  });

  it('block nesting indented past the cap is refused before the parser sees it', () => {
    const lines = Array.from({ length: 600 }, (_, i) => `${' '.repeat(i)}k${i}:`);
    const e = parseError(`${lines.join('\n')} 1\n`);
    expect(e.code).toBe('YAML');
    expect(e.message).toContain('indented more than 512 columns');
  });

  it('brackets inside quoted strings and comments do not count', () => {
    const text = `a: "${'['.repeat(300)}"\nb: '${'{'.repeat(300)}'\n# ${'['.repeat(300)}\n`;
    expect(parseYaml(text, 'f.yaml').value).toMatchObject({ a: '['.repeat(300) });
  });
});

describe('!include cycles', () => {
  it('a cyclic !include is a CONFIG error with the chain of files, like an import cycle', async () => {
    const { e } = await loadError({
      'stacks/dev.yaml': 'vars:\n  x: !include inc/a.yaml\n',
      'inc/a.yaml': 'b: !include inc/b.yaml\n',
      'inc/b.yaml': 'a: !include ./a.yaml\n',
    });
    expect(e.code).toBe('CONFIG');
    expect(e.message).toBe('!include cycle: inc/a.yaml -> inc/b.yaml -> inc/a.yaml');
    expect(e.location?.file).toMatch(/inc\/b\.yaml$/);
  });

  it('a manifest that includes itself is a cycle too; including one file twice is not', async () => {
    const { e } = await loadError({ 'stacks/dev.yaml': 'vars:\n  x: !include stacks/dev.yaml\n' });
    expect(e.message).toBe('!include cycle: stacks/dev.yaml -> stacks/dev.yaml');
    const root = makeTree({
      'atmos.yaml': atmosYaml(),
      'stacks/dev.yaml':
        'components:\n  terraform:\n    c:\n      vars:\n        a: !include v.yaml\n        b: !include v.yaml\n',
      'v.yaml': 'k: 1\n',
    });
    const ws = await loadWorkspace({ configPath: root, env: TEST_ENV });
    expect(describeStacks(ws)['dev']?.components['terraform']?.['c']?.vars).toEqual({ a: { k: 1 }, b: { k: 1 } });
  });
});
