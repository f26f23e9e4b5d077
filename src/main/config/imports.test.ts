import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atmosYaml, makeTree, TEST_ENV } from '../../../test/support/fixtures/config/tree';
import { AppError } from '../../shared/errors';
import { describeComponent, loadWorkspace } from './index';
import { resolveImportPath } from './imports';

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('import resolution', () => {
  it('./ and ../ are relative to the importing file, other paths to stacks.base_path', () => {
    const root = realpathSync(makeTree({ 'stacks/a/b/x.yaml': '', 'stacks/a/y.yaml': '', 'stacks/a/b/y.yaml': '' }));
    const from = join(root, 'stacks/a/b/x.yaml');
    const base = join(root, 'stacks');
    expect(resolveImportPath('../y', from, base)).toEqual([join(root, 'stacks/a/y.yaml')]);
    expect(resolveImportPath('./y', from, base)).toEqual([join(root, 'stacks/a/b/y.yaml')]);
    expect(resolveImportPath('a/y', from, base)).toEqual([join(root, 'stacks/a/y.yaml')]);
  });

  it('tries .yaml, .yml, .yaml.tmpl, .yml.tmpl, and prefers a template beside a .yaml', () => {
    const root = realpathSync(
      makeTree({
        's/one.yml': '',
        's/two.yaml.tmpl': '',
        's/three.yaml': '',
        's/three.yaml.tmpl': '',
        's/four.yaml': '',
      }),
    );
    const base = join(root, 's');
    const from = join(base, 'x.yaml');
    expect(resolveImportPath('one', from, base)).toEqual([join(base, 'one.yml')]);
    expect(resolveImportPath('two', from, base)).toEqual([join(base, 'two.yaml.tmpl')]);
    expect(resolveImportPath('three', from, base)).toEqual([join(base, 'three.yaml.tmpl')]);
    expect(resolveImportPath('four.yaml', from, base)).toEqual([join(base, 'four.yaml')]);
    expect(resolveImportPath('five', from, base)).toEqual([]);
  });

  it('expands doublestar globs, sorted', () => {
    const root = realpathSync(
      makeTree({ 's/m/c.yaml': '', 's/m/a.yaml': '', 's/m/deep/b.yaml': '', 's/m/note.txt': '' }),
    );
    const base = join(root, 's');
    expect(resolveImportPath('m/*', join(base, 'x.yaml'), base)).toEqual([
      join(base, 'm/a.yaml'),
      join(base, 'm/c.yaml'),
    ]);
    expect(resolveImportPath('m/**/*', join(base, 'x.yaml'), base)).toEqual([
      join(base, 'm/a.yaml'),
      join(base, 'm/c.yaml'),
      join(base, 'm/deep/b.yaml'),
    ]);
  });
});

describe('imports in a workspace', () => {
  it('merges imports in order, then the file on top; each file is read once however often it is imported', async () => {
    const root = makeTree({
      'atmos.yaml': atmosYaml(),
      'stacks/catalog/base.yaml': 'vars:\n  a: base\n  b: base\n  c: base\n',
      'stacks/catalog/mid.yaml': 'import: [catalog/base]\nvars:\n  b: mid\n',
      'stacks/catalog/glob/x1.yaml': 'vars:\n  g: x1\n',
      'stacks/catalog/glob/x2.yaml': 'vars:\n  g: x2\n',
      'stacks/s1.yaml':
        'import:\n  - catalog/base\n  - catalog/mid\n  - catalog/glob/*\nvars:\n  c: s1\ncomponents:\n  terraform:\n    app: {}\n',
      'stacks/s2.yaml': 'import: [catalog/mid, catalog/base]\ncomponents:\n  terraform:\n    app: {}\n',
    });
    const ws = await loadWorkspace({ configPath: root, env: TEST_ENV });
    expect(describeComponent(ws, 'app', 's1').vars).toEqual({ a: 'base', b: 'mid', c: 's1', g: 'x2' });
    // A later re-import of base puts its values back on top.
    expect(describeComponent(ws, 'app', 's2').vars).toEqual({ a: 'base', b: 'base', c: 'base' });
    // atmos.yaml + 2 stacks + base, mid, x1, x2.
    expect(ws.filesRead).toBe(7);
  });

  it('renders .tmpl imports with the import context, each context separately', async () => {
    const root = makeTree({
      'atmos.yaml': atmosYaml(),
      'stacks/catalog/eks.yaml.tmpl':
        'components:\n  terraform:\n    eks-{{ .flavor }}:\n      vars:\n        flavor: "{{ .flavor }}"\n',
      'stacks/s.yaml':
        'import:\n  - path: catalog/eks.yaml.tmpl\n    context: {flavor: blue}\n  - path: catalog/eks\n    context: {flavor: green}\n',
    });
    const ws = await loadWorkspace({ configPath: root, env: TEST_ENV });
    expect(ws.components('s').map((c) => c.name)).toEqual(['eks-blue', 'eks-green']);
    expect(describeComponent(ws, 'eks-green', 's').vars).toEqual({ flavor: 'green' });
  });

  it('reports an import cycle with the chain of files', async () => {
    const root = makeTree({
      'atmos.yaml': atmosYaml(),
      'stacks/catalog/a.yaml': 'import: [catalog/b]\n',
      'stacks/catalog/b.yaml': 'import: [catalog/c]\n',
      'stacks/catalog/c.yaml': 'import: [catalog/a]\n',
      'stacks/s.yaml': 'import: [catalog/a]\n',
    });
    const e = await failure(loadWorkspace({ configPath: root, env: TEST_ENV }));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toBe('import cycle: catalog/a.yaml -> catalog/b.yaml -> catalog/c.yaml -> catalog/a.yaml');
  });

  it('a missing import is a CONFIG error naming the importing file and line; skip_if_missing tolerates it', async () => {
    const root = makeTree({ 'atmos.yaml': atmosYaml(), 'stacks/s.yaml': 'vars: {a: 1}\nimport:\n  - catalog/nope\n' });
    const e = await failure(loadWorkspace({ configPath: root, env: TEST_ENV }));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toContain('import "catalog/nope" not found');
    expect(e.location).toMatchObject({ file: expect.stringMatching(/stacks\/s\.yaml$/), line: 3 });
    const ok = makeTree({
      'atmos.yaml': atmosYaml(),
      'stacks/s.yaml':
        'import:\n  - path: catalog/nope\n    skip_if_missing: true\ncomponents:\n  terraform:\n    c: {}\n',
    });
    expect((await loadWorkspace({ configPath: ok, env: TEST_ENV })).stackNames()).toEqual(['s']);
  });

  it('refuses an import entry of the wrong shape', async () => {
    const root = makeTree({ 'atmos.yaml': atmosYaml(), 'stacks/s.yaml': 'import:\n  - {context: {}}\n' });
    const e = await failure(loadWorkspace({ configPath: root, env: TEST_ENV }));
    expect(e.code).toBe('CONFIG');
    expect(e.location?.line).toBe(2);
  });

  it('malformed YAML in an imported file is a YAML error with line and column', async () => {
    const root = makeTree({
      'atmos.yaml': atmosYaml(),
      'stacks/catalog/bad.yaml': 'vars:\n  a: "unclosed\n',
      'stacks/s.yaml': 'import: [catalog/bad]\n',
    });
    const e = await failure(loadWorkspace({ configPath: root, env: TEST_ENV }));
    expect(e.code).toBe('YAML');
    expect(e.location?.file).toMatch(/catalog\/bad\.yaml$/);
    expect(e.location?.line).toBeGreaterThan(0);
    expect(e.location?.column).toBeGreaterThan(0);
  });
});
