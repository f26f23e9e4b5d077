import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atmosYaml, makeTree, TEST_ENV } from '../../../test/support/fixtures/config/tree';
import { AppError } from '../../shared/errors';
import { describeComponent, describeStacks, loadWorkspace, SecretRef, StoreRef, type Workspace } from './index';
import { normalizeRemote } from './include';
import { thrown } from '../../../test/support/rejection';

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

async function ws(
  files: Record<string, string>,
  extra?: Partial<Parameters<typeof loadWorkspace>[0]>,
): Promise<Workspace> {
  const root = makeTree(files);
  return loadWorkspace({ configPath: root, env: TEST_ENV, ...extra });
}

describe('stack names', () => {
  it('name: beats name_template, which beats the path; -s takes only the canonical name', async () => {
    const w = await ws({
      'atmos.yaml': atmosYaml(
        "  name_template: '{{ .vars.tenant }}-{{ .vars.stage }}'\n",
        "  included_paths: ['**/*']\n",
      ),
      'stacks/a/dev.yaml': 'vars: {tenant: acme, stage: dev}\n',
      'stacks/a/prod.yaml': 'name: production\nvars: {tenant: acme, stage: prod}\n',
    });
    expect(w.stackNames()).toEqual(['acme-dev', 'production']);
    const e = thrown(() => w.resolveStack('a/prod'));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain('did you mean "production"');
    expect(e.hint).toContain('Valid stack names: acme-dev, production');
  });

  it('name_pattern uses namespace/tenant/environment/stage tokens; a manifest lacking one is named by its path', async () => {
    const w = await ws({
      'atmos.yaml': atmosYaml("  name_pattern: '{tenant}-{environment}-{stage}'\n", "  included_paths: ['**/*']\n"),
      'stacks/x.yaml': 'vars: {tenant: t, environment: ue2, stage: dev}\n',
    });
    expect(w.stackNames()).toEqual(['t-ue2-dev']);
    const partial = await ws({
      'atmos.yaml': atmosYaml("  name_pattern: '{tenant}-{stage}'\n", "  included_paths: ['**/*']\n"),
      'stacks/x.yaml': 'vars: {stage: dev}\n',
      'stacks/y.yaml': 'vars: {tenant: t, stage: dev}\n',
    });
    expect(partial.stackNames()).toEqual(['t-dev', 'x']);
    expect(partial.warnings.map((w) => w.message)).toEqual([
      "the stack name pattern '{tenant}-{stage}' specifies 'tenant', but the stack 'x' does not have a tenant defined in the stack file 'x', so it is named by its path \"x\". Exclude files that are not stacks with stacks.excluded_paths, or define the values.",
    ]);
  });

  it('without name settings the name is the path without extension', async () => {
    const w = await ws({
      'atmos.yaml': atmosYaml('', "  included_paths: ['**/*']\n"),
      'stacks/orgs/acme/dev.yml': 'vars: {}\n',
    });
    expect(w.stackNames()).toEqual(['orgs/acme/dev']);
  });

  it('two manifests that produce one name are an error naming both', async () => {
    const e = await failure(
      ws({
        'atmos.yaml': atmosYaml("  name_template: '{{ .vars.stage }}'\n", "  included_paths: ['**/*']\n"),
        'stacks/a.yaml': 'vars: {stage: dev}\n',
        'stacks/b.yaml': 'vars: {stage: dev}\n',
      }),
    );
    expect(e.code).toBe('CONFIG');
    expect(e.message).toBe('two manifests produce the stack name "dev": a and b');
  });

  it('describe of an unknown stack is NOT_FOUND listing the valid names', async () => {
    const w = await ws({ 'atmos.yaml': atmosYaml(), 'stacks/dev.yaml': 'components:\n  terraform:\n    c: {}\n' });
    const e = thrown(() => describeComponent(w, 'c', 'nope'));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.hint).toContain('dev');
    expect(thrown(() => describeComponent(w, 'zz', 'dev')).hint).toContain('Components in dev: c');
  });
});

describe('merge and inheritance', () => {
  const files = {
    'atmos.yaml': atmosYaml(),
    'stacks/catalog/base.yaml': [
      'components:',
      '  terraform:',
      '    base:',
      '      metadata: {type: abstract, component: vpc, team: net, inherits: []}',
      '      vars: {a: base, list: [1, 2]}',
      '      settings: {s: base}',
      '      env: {E: base}',
      '    legacy-base:',
      '      vars: {legacy: true}',
      '',
    ].join('\n'),
    'stacks/dev.yaml': [
      'import: [catalog/base]',
      'vars: {g: global, a: global}',
      'env: {E: global, G: global}',
      'terraform:',
      '  vars: {t: tf}',
      '  env: {E: tf}',
      'overrides:',
      '  vars: {o: overridden}',
      'components:',
      '  terraform:',
      '    app:',
      '      metadata: {inherits: [base]}',
      '      vars: {list: [3]}',
      '    old:',
      '      component: legacy-base',
      '      vars: {own: 1}',
      '  helmfile:',
      '    chart:',
      '      vars: {h: 1}',
      '',
    ].join('\n'),
  };

  it('global -> terraform.<section> -> bases -> component -> overrides', async () => {
    const w = await ws(files);
    const d = describeComponent(w, 'app', 'dev');
    expect(d.vars).toEqual({ g: 'global', a: 'base', t: 'tf', list: [3], o: 'overridden' });
    expect(d.env).toEqual({ E: 'base', G: 'global' });
    expect(d.settings).toEqual({ s: 'base' });
    // metadata is inherited except inherits and type.
    expect(d.metadata).toEqual({ component: 'vpc', team: 'net', inherits: ['base'] });
    expect(d.component).toBe('vpc');
    expect(d.inheritance).toEqual(['base']);
  });

  it('legacy component: inherits from a defined component; other component types are kept apart', async () => {
    const w = await ws(files);
    expect(describeComponent(w, 'old', 'dev').vars).toMatchObject({ legacy: true, own: 1 });
    expect(w.components('dev')).toEqual([
      { name: 'app', type: 'terraform', abstract: false },
      { name: 'base', type: 'terraform', abstract: true },
      { name: 'legacy-base', type: 'terraform', abstract: false },
      { name: 'old', type: 'terraform', abstract: false },
      { name: 'chart', type: 'helmfile', abstract: false },
    ]);
    // terraform.vars do not reach helmfile components.
    expect(describeComponent(w, 'chart', 'dev').vars).toEqual({ g: 'global', a: 'global', h: 1, o: 'overridden' });
  });

  it('describe stacks leaves out stacks without components unless asked (Atmos --include-empty-stacks)', async () => {
    const w = await ws({
      'atmos.yaml': atmosYaml(),
      'stacks/empty.yaml': 'vars: {a: 1}\n',
      'stacks/full.yaml': 'components:\n  terraform:\n    c: {}\n',
    });
    expect(w.stackNames()).toEqual(['empty', 'full']);
    expect(Object.keys(describeStacks(w))).toEqual(['full']);
    expect(describeStacks(w, { includeEmptyStacks: true })['empty']).toEqual({ components: {} });
  });

  it('describe stacks is keyed by stack name, then components.<type>.<name>', async () => {
    const w = await ws(files);
    const all = describeStacks(w);
    expect(Object.keys(all)).toEqual(['dev']);
    expect(Object.keys(all['dev']?.components ?? {})).toEqual(['terraform', 'helmfile']);
    expect(all['dev']?.components['terraform']?.['app']?.vars).toEqual(describeComponent(w, 'app', 'dev').vars);
  });

  it("overrides apply to components defined in their file and its imports, not to the importer's own", async () => {
    const w = await ws({
      'atmos.yaml': atmosYaml(),
      'stacks/catalog/team.yaml':
        'import: [catalog/shared]\noverrides:\n  vars: {team: blue}\ncomponents:\n  terraform:\n    team-app: {vars: {a: 1}}\n',
      'stacks/catalog/shared.yaml': 'components:\n  terraform:\n    shared: {vars: {s: 1}}\n',
      'stacks/dev.yaml':
        'import: [catalog/team]\nterraform:\n  overrides:\n    env: {X: top}\ncomponents:\n  terraform:\n    mine: {vars: {m: 1}}\n',
    });
    expect(describeComponent(w, 'team-app', 'dev').vars).toEqual({ a: 1, team: 'blue' });
    expect(describeComponent(w, 'shared', 'dev').vars).toEqual({ s: 1, team: 'blue' });
    expect(describeComponent(w, 'mine', 'dev').vars).toEqual({ m: 1 });
    // The stack manifest's own overrides reach everything in it.
    expect(describeComponent(w, 'team-app', 'dev').env).toEqual({ X: 'top' });
    expect(describeComponent(w, 'mine', 'dev').env).toEqual({ X: 'top' });
  });

  it('an inherits entry that names no component, and an inheritance cycle, are errors', async () => {
    const bad = await ws({
      'atmos.yaml': atmosYaml(),
      'stacks/dev.yaml': 'components:\n  terraform:\n    a:\n      metadata: {inherits: [ghost]}\n',
    });
    expect(thrown(() => bad.componentConfig('dev', 'a')).message).toContain('inherits from "ghost"');
    const cyc = await ws({
      'atmos.yaml': atmosYaml(),
      'stacks/dev.yaml':
        'components:\n  terraform:\n    a:\n      metadata: {inherits: [b]}\n    b:\n      metadata: {inherits: [a]}\n',
    });
    expect(thrown(() => cyc.componentConfig('dev', 'a')).message).toContain('inheritance cycle');
  });
});

describe('secrets declarations', () => {
  const manifest = [
    'vars: {stage: dev}',
    'secrets:',
    '  providers:',
    '    p: {kind: sops/age, spec: {file: a.yaml}}',
    '  vars:',
    '    STACK_ONE: {store: ssm}',
    '    SHARED: {store: ssm, description: from stack}',
    'components:',
    '  terraform:',
    '    app:',
    '      secrets:',
    '        providers:',
    '          p: {spec: {file: b.yaml}}',
    '        vars:',
    '          INST: {sops: p, required: true}',
    '          GLOB: {store: ssm, scope: global}',
    '          SHARED: {required: true}',
    '      vars:',
    '        key: !secret INST | default "x"',
    '        other: !store ssm vpc id',
    '',
  ].join('\n');

  it('stamps scope from position, keeps the winning file and line, merges providers (nearest wins)', async () => {
    const root = makeTree({
      'atmos.yaml': `${atmosYaml()}secrets:\n  providers:\n    p: {kind: sops/age}\n    q: {kind: sops/pgp}\n`,
      'stacks/dev.yaml': manifest,
    });
    const w = await loadWorkspace({ configPath: root, env: TEST_ENV });
    const c = w.componentConfig('dev', 'app');
    const file = join(root, 'stacks/dev.yaml');
    expect(c.secretDeclarations['STACK_ONE']).toEqual({
      name: 'STACK_ONE',
      fields: { store: 'ssm', scope: 'stack' },
      scope: 'stack',
      position: 'stack',
      location: { file, line: 6 },
    });
    expect(c.secretDeclarations['INST']).toMatchObject({ scope: 'instance', location: { file, line: 15 } });
    expect(c.secretDeclarations['GLOB']).toMatchObject({ scope: 'global', fields: { store: 'ssm', scope: 'global' } });
    expect(c.secretDeclarations['SHARED']).toMatchObject({
      scope: 'instance',
      fields: { store: 'ssm', description: 'from stack', required: true, scope: 'instance' },
      location: { line: 17 },
    });
    expect(c.secretProviders['p']).toMatchObject({
      level: 'instance',
      raw: { kind: 'sops/age', spec: { file: 'b.yaml' } },
      location: { file, line: 13 },
    });
    expect(c.secretProviders['q']).toMatchObject({ level: 'config' });
    const vars = c.sections['vars'] as Record<string, unknown>;
    expect(vars['key']).toBeInstanceOf(SecretRef);
    expect(vars['other']).toBeInstanceOf(StoreRef);
    const d = describeComponent(w, 'app', 'dev');
    expect(d.vars).toEqual({ stage: 'dev', key: '<MASKED>', other: '!store ssm vpc id' });
    expect(Object.keys(d.secrets['vars'] as object).sort()).toEqual(['GLOB', 'INST', 'SHARED', 'STACK_ONE']);
  });

  it('an explicit scope that contradicts the position is kept in the fields, with its line, for the engine to refuse', async () => {
    // The loader does not throw for the whole component (validate must still see its other problems); the
    // secrets engine refuses that one secret with the spec's message (secrets/model/declarations.ts).
    const w = await ws({
      'atmos.yaml': atmosYaml(),
      'stacks/dev.yaml':
        'components:\n  terraform:\n    app:\n      secrets:\n        vars:\n          X: {store: s, scope: stack}\n',
    });
    const x = w.componentConfig('dev', 'app').secretDeclarations['X'];
    expect(x).toMatchObject({ scope: 'instance', position: 'instance', fields: { store: 's', scope: 'stack' } });
    expect(x?.location).toMatchObject({ line: 6 });
  });
});

describe('YAML functions', () => {
  it('!env reads the component env, then the process env, then the default', async () => {
    const w = await ws(
      {
        'atmos.yaml': atmosYaml(),
        'stacks/dev.yaml':
          'env: {A: from-env-section}\ncomponents:\n  terraform:\n    c:\n      vars:\n        a: !env A\n        b: !env B\n        d: !env D fallback\n        e: !env E\n',
      },
      { env: { ...TEST_ENV, A: 'process', B: 'process-b' } },
    );
    expect(describeComponent(w, 'c', 'dev').vars).toEqual({
      a: 'from-env-section',
      b: 'process-b',
      d: 'fallback',
      e: '',
    });
  });

  it('!exec (trusted) runs through a shell and decodes JSON; a failing command names the manifest and line', async () => {
    const w = await ws(
      {
        'atmos.yaml': atmosYaml(),
        'stacks/dev.yaml': `components:\n  terraform:\n    c:\n      vars:\n        j: !exec 'echo ''{"a": [1]}'''\n        t: !exec echo hello | tr a-z A-Z\n`,
      },
      { trusted: true },
    );
    expect(describeComponent(w, 'c', 'dev').vars).toEqual({ j: { a: [1] }, t: 'HELLO' });
    const root = makeTree({
      'atmos.yaml': atmosYaml(),
      'stacks/dev.yaml': 'components:\n  terraform:\n    c:\n      vars:\n        x: !exec exit 3\n',
    });
    const bad = await loadWorkspace({ configPath: root, env: TEST_ENV, trusted: true });
    const e = thrown(() => describeComponent(bad, 'c', 'dev'));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toContain('!exec failed (exit code 3)');
    expect(e.location).toMatchObject({ file: join(root, 'stacks/dev.yaml'), line: 5 });
  });

  it('!literal keeps its text exactly, template braces included', async () => {
    const w = await ws({
      'atmos.yaml': atmosYaml(),
      'stacks/dev.yaml':
        'components:\n  terraform:\n    c:\n      vars:\n        dd: !literal "{{ host.name }}"\n        n: "{{ .atmos_stack }}"\n',
    });
    expect(describeComponent(w, 'c', 'dev').vars).toEqual({ dd: '{{ host.name }}', n: 'dev' });
  });

  it('!template and {{ }} values render with the component context (atmos_stack, atmos_component, vars)', async () => {
    const w = await ws({
      'atmos.yaml': atmosYaml(),
      'stacks/dev.yaml':
        'vars: {stage: dev}\ncomponents:\n  terraform:\n    c:\n      settings: {cfg: {a: 1}}\n      vars:\n        name: "{{ .atmos_component }}-{{ .atmos_stack }}-{{ .vars.stage }}"\n        obj: !template "{{ toJson .settings.cfg }}"\n',
    });
    expect(describeComponent(w, 'c', 'dev').vars).toEqual({ stage: 'dev', name: 'c-dev-dev', obj: { a: 1 } });
  });

  it('!include reads local YAML/JSON/HCL/text relative to base_path or the manifest, once; a missing file is CONFIG', async () => {
    const w = await ws({
      'atmos.yaml': atmosYaml(),
      'config/v.json': '{"a": {"b": 2}}',
      'config/v.tfvars': 'x = "y"\nn = 3\n',
      'stacks/n.txt': 'note\n',
      'stacks/dev.yaml':
        'components:\n  terraform:\n    c:\n      vars:\n        b: !include config/v.json .a.b\n        h: !include config/v.tfvars\n        t: !include ./n.txt\n        r: !include.raw config/v.json\n',
    });
    expect(describeComponent(w, 'c', 'dev').vars).toEqual({
      b: 2,
      h: { x: 'y', n: 3 },
      t: 'note\n',
      r: '{"a": {"b": 2}}',
    });
    const e = await failure(ws({ 'atmos.yaml': atmosYaml(), 'stacks/dev.yaml': 'vars: !include config/none.yaml\n' }));
    expect(e.code).toBe('CONFIG');
    expect(e.location?.line).toBe(1);
  });

  it('remote !include: refused without network access, fetched through the injected fetcher when allowed', async () => {
    const files = {
      'atmos.yaml': atmosYaml(),
      'stacks/dev.yaml': 'vars: !include github://org/repo/main/vars.yaml .x\n',
    };
    const e = await failure(ws(files));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toContain('needs network access');
    const seen: string[] = [];
    const w = await ws(files, {
      allowNetwork: true,
      fetcher: async (url) => {
        seen.push(url);
        return 'x: {remote: true}\n';
      },
    });
    expect(seen).toEqual(['https://raw.githubusercontent.com/org/repo/main/vars.yaml']);
    expect(w.resolveStack('dev').name).toBe('dev');
    const failing = await failure(
      ws(files, {
        allowNetwork: true,
        fetcher: async () => {
          throw new Error('ECONNREFUSED');
        },
      }),
    );
    expect(failing.message).toContain('could not download');
  });

  it('other remote forms (s3::, git::, scp) go to the injected fetcher; the default fetcher refuses non-http ones', async () => {
    const files = {
      'atmos.yaml': atmosYaml(),
      'stacks/dev.yaml': 'vars: !include s3::https://bucket.s3.amazonaws.com/v.json\n',
    };
    const w = await ws(files, { allowNetwork: true, fetcher: async () => '{"k": "v"}' });
    expect(w.stackNames()).toEqual(['dev']);
    const e = await failure(ws(files, { allowNetwork: true }));
    expect(e.message).toContain('s3::https://bucket.s3.amazonaws.com/v.json is not supported');
  });

  it('normalises GitHub web and shorthand URLs to raw content URLs', () => {
    expect(normalizeRemote('https://github.com/o/r/blob/main/a/b.yaml')).toBe(
      'https://raw.githubusercontent.com/o/r/main/a/b.yaml',
    );
    expect(normalizeRemote('github://o/r/v1/x.json')).toBe('https://raw.githubusercontent.com/o/r/v1/x.json');
    expect(normalizeRemote('s3::https://b.s3.amazonaws.com/x.yaml')).toBe('s3::https://b.s3.amazonaws.com/x.yaml');
  });

  it('!store and !store.get stay references with their location, even on a secret store (the engine decides)', async () => {
    const w = await ws({
      'atmos.yaml': `${atmosYaml()}stores:\n  vault:\n    kind: aws/ssm\n    secret: true\n`,
      'stacks/dev.yaml':
        'components:\n  terraform:\n    a:\n      vars: {x: !store vault vpc id, y: !store.get vault key | default "d"}\n',
    });
    const vars = w.componentConfig('dev', 'a').sections['vars'] as Record<string, unknown>;
    expect(vars['x']).toBeInstanceOf(StoreRef);
    expect(vars['x']).toMatchObject({
      kind: 'store',
      store: 'vault',
      component: 'vpc',
      key: 'id',
      location: { line: 4 },
    });
    expect(vars['y']).toMatchObject({ kind: 'store.get', key: 'key', defaultValue: 'd' });
  });

  it('an unknown tag in a manifest is an error with file and line', async () => {
    const e = await failure(ws({ 'atmos.yaml': atmosYaml(), 'stacks/dev.yaml': 'vars:\n  a: 1\n  b: !bogus x\n' }));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toContain('!bogus');
    expect(e.location).toMatchObject({ file: expect.stringMatching(/dev\.yaml$/), line: 3 });
  });

  it('parsed documents are shared but never changed by a merge', async () => {
    const w = await ws({
      'atmos.yaml': atmosYaml(),
      'stacks/catalog/c.yaml': 'components:\n  terraform:\n    c:\n      vars: {tags: {a: 1}}\n',
      'stacks/one.yaml': 'import: [catalog/c]\ncomponents:\n  terraform:\n    c:\n      vars: {tags: {b: 1}}\n',
      'stacks/two.yaml': 'import: [catalog/c]\n',
    });
    expect(describeComponent(w, 'c', 'one').vars).toEqual({ tags: { a: 1, b: 1 } });
    expect(describeComponent(w, 'c', 'two').vars).toEqual({ tags: { a: 1 } });
  });
});
