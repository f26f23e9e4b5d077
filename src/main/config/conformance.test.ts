// Spec and Atmos conformance of the loader: plaintext stores refused as secret stores at load, `!store` on a
// secret store refused by describe, stack naming as Atmos does it, and describe's backend, component_info and
// Terraform workspace.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { atmosYaml, makeTree, TEST_ENV } from '../../../test/support/fixtures/config/tree';
import { AppError } from '../../shared/errors';
import { describeComponent, describeStacks, loadWorkspace, type Workspace } from './index';
import { thrown } from '../../../test/support/rejection';

async function load(files: Record<string, string>): Promise<{ root: string; ws: Workspace }> {
  const root = makeTree(files);
  return { root, ws: await loadWorkspace({ configPath: root, env: TEST_ENV }) };
}

async function loadError(files: Record<string, string>): Promise<{ root: string; e: AppError }> {
  const root = makeTree(files);
  const e = await loadWorkspace({ configPath: root, env: TEST_ENV }).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return { root, e: e as AppError };
}

const COMPONENT = (body: string): string => `components:\n  terraform:\n    app:\n${body}`;

describe('secret: true on a plaintext store', () => {
  it.each([
    ['redis', 'kind: redis'],
    ['artifactory', 'type: artifactory'],
  ])('%s is refused when the config loads, naming the store and its line', async (kind, line) => {
    const { root, e } = await loadError({
      'atmos.yaml': `${atmosYaml()}stores:\n  cache:\n    ${line}\n    secret: true\n`,
      'stacks/dev.yaml': 'vars: {}\n',
    });
    expect(e.code).toBe('CONFIG');
    expect(e.message).toBe(`store "cache" (${kind}) cannot be a secret store: ${kind} keeps values in plaintext`);
    expect(e.location).toEqual({ file: join(root, 'atmos.yaml'), line: 7 });
  });

  it('a plaintext store without secret: true loads', async () => {
    const { ws } = await load({
      'atmos.yaml': `${atmosYaml()}stores:\n  cache:\n    kind: redis\n`,
      'stacks/dev.yaml': 'vars: {}\n',
    });
    expect(ws.isSecretStore('cache')).toBe(false);
  });
});

describe('!store on a secret store', () => {
  const files = {
    'atmos.yaml': `${atmosYaml()}stores:\n  legacy:\n    kind: keychain\n  ssm:\n    kind: aws/ssm\n    secret: true\n  plain:\n    kind: aws/ssm\n`,
    'stacks/dev.yaml': COMPONENT(
      '      vars:\n        ok: !store plain atmos shared client_secret\n      env:\n        BAD: !store legacy atmos shared client_secret\n',
    ),
    'stacks/prod.yaml': COMPONENT('      vars:\n        bad: !store.get ssm /x/y\n'),
  };

  it('describe component fails with the spec message and the file and line of the tag', async () => {
    const { root, ws } = await load(files);
    const e = thrown(() => describeComponent(ws, 'app', 'dev'));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toBe('store "legacy" is a secret store; use !secret instead of !store');
    expect(e.location).toMatchObject({ file: join(root, 'stacks/dev.yaml'), line: 7 });
    expect(thrown(() => describeComponent(ws, 'app', 'prod')).message).toBe(
      'store "ssm" is a secret store; use !secret instead of !store',
    );
    expect(thrown(() => describeStacks(ws)).code).toBe('CONFIG');
  });

  it('a !store on a store that is not secret is shown as written', async () => {
    const { ws } = await load({
      ...files,
      'stacks/dev.yaml': COMPONENT('      vars:\n        ok: !store plain a b c\n'),
    });
    expect(describeComponent(ws, 'app', 'dev').vars).toEqual({ ok: '!store plain a b c' });
  });
});

describe('stack names as Atmos gives them', () => {
  it('a manifest with name: never evaluates name_pattern (it lacks the pattern vars and loads)', async () => {
    const { ws } = await load({
      'atmos.yaml': atmosYaml("  name_pattern: '{tenant}-{environment}-{stage}'\n"),
      'stacks/legacy.yaml': 'name: my-legacy\ncomponents:\n  terraform:\n    app: {}\n',
    });
    expect(ws.stackNames()).toEqual(['my-legacy']);
    expect(ws.warnings).toEqual([]);
  });

  it('catalog files without the template variables are named by their path, never <no value>', async () => {
    const { ws } = await load({
      'atmos.yaml': atmosYaml(
        "  name_template: '{{ .vars.tenant }}-{{ .vars.stage }}'\n",
        "  included_paths: ['**/*']\n",
      ),
      'stacks/catalog/vpc.yaml': COMPONENT('      vars: {cidr: x}\n'),
      'stacks/deploy/dev.yaml': 'import: [catalog/vpc]\nvars: {tenant: acme, stage: dev}\n',
    });
    expect(ws.stackNames()).toEqual(['acme-dev', 'catalog/vpc']);
    expect(ws.stackNames().join()).not.toContain('<no value>');
    expect(ws.warnings.map((w) => w.message)).toEqual([
      'stacks.name_template "{{ .vars.tenant }}-{{ .vars.stage }}" needs values it does not define, so it is named by its path "catalog/vpc". Exclude files that are not stacks with stacks.excluded_paths, or define the values.',
    ]);
  });

  it('the not-found hint says where a derived name comes from', async () => {
    const { ws: t } = await load({
      'atmos.yaml': atmosYaml("  name_template: '{{ .vars.tenant }}-{{ .vars.stage }}'\n"),
      'stacks/deploy/dev.yaml': 'vars: {tenant: acme, stage: dev}\n',
    });
    expect(thrown(() => t.resolveStack('deploy/dev')).hint).toContain(
      'The manifest deploy/dev is named "acme-dev" by stacks.name_template in atmos.yaml, so use that name.',
    );
    const { ws: p } = await load({
      'atmos.yaml': atmosYaml("  name_pattern: '{tenant}-{stage}'\n"),
      'stacks/deploy/dev.yaml': 'vars: {tenant: acme, stage: dev}\n',
    });
    expect(thrown(() => p.resolveStack('deploy/dev')).hint).toContain(
      'The manifest deploy/dev is named "acme-dev" by stacks.name_pattern in atmos.yaml, so use that name.',
    );
    const { ws: n } = await load({ 'atmos.yaml': atmosYaml(), 'stacks/prod.yaml': 'name: production\nvars: {}\n' });
    expect(thrown(() => n.resolveStack('prod')).hint).toContain('The manifest prod sets name: production');
  });
});

describe('describe component: backend, component_info, workspace', () => {
  it('shows backend and backend_type from the merge, and component_info with the component folder', async () => {
    const { root, ws } = await load({
      'atmos.yaml': `${atmosYaml()}components:\n  terraform:\n    base_path: components/terraform\n`,
      'stacks/dev.yaml': `terraform:\n  backend_type: s3\n  backend:\n    s3: {bucket: b}\n${COMPONENT('      metadata: {component: vpc}\n      backend:\n        s3: {key: k}\n')}`,
    });
    const d = describeComponent(ws, 'app', 'dev');
    expect(d.backend_type).toBe('s3');
    expect(d.backend).toEqual({ s3: { bucket: 'b', key: 'k' } });
    expect(d.component_info).toEqual({
      component_path: join(root, 'components/terraform/vpc'),
      component_type: 'terraform',
    });
  });

  it('workspace: the stack without a base component, <stack>-<component> with one, metadata overrides honoured', async () => {
    const { ws } = await load({
      'atmos.yaml': atmosYaml(),
      'stacks/deploy/dev.yaml': [
        'vars: {namespace: acme, tenant: plat, environment: ue2, stage: dev}',
        'components:',
        '  terraform:',
        '    vpc: {}',
        '    vpc-1: {metadata: {component: vpc}}',
        '    legacy-2: {component: vpc}',
        '    same: {metadata: {component: same}}',
        '    fixed: {metadata: {component: vpc, terraform_workspace: my/ws}}',
        "    pattern: {metadata: {component: vpc, terraform_workspace_pattern: '{tenant}-{stage}-{component}-{base-component}'}}",
        "    template: {metadata: {component: vpc, terraform_workspace_template: '{{ .vars.tenant }}/{{ .atmos_component }}'}}",
        '',
      ].join('\n'),
    });
    const w = (c: string): string => describeComponent(ws, c, 'deploy/dev').workspace;
    expect(w('vpc')).toBe('deploy-dev');
    expect(w('vpc-1')).toBe('deploy-dev-vpc-1');
    expect(w('legacy-2')).toBe('deploy-dev-legacy-2');
    expect(w('same')).toBe('deploy-dev');
    expect(w('fixed')).toBe('my-ws');
    expect(w('pattern')).toBe('plat-dev-pattern-vpc');
    expect(w('template')).toBe('plat-template');
  });

  it('workspace is "default" when Terraform workspaces are disabled', async () => {
    const { ws } = await load({
      'atmos.yaml': `${atmosYaml()}components:\n  terraform:\n    workspaces_enabled: false\n`,
      'stacks/dev.yaml': COMPONENT('      metadata: {component: vpc}\n'),
    });
    expect(describeComponent(ws, 'app', 'dev').workspace).toBe('default');
  });
});

describe('describe stacks output', () => {
  it('shares data between components but prints without YAML anchors when stringified with aliasDuplicateObjects: false', async () => {
    const { ws } = await load({
      'atmos.yaml': atmosYaml(),
      'stacks/dev.yaml': 'vars:\n  tags: {team: a}\ncomponents:\n  terraform:\n    a: {}\n    b: {}\n',
    });
    const out = describeStacks(ws);
    const a = out['dev']?.components['terraform']?.['a'];
    const b = out['dev']?.components['terraform']?.['b'];
    // The same object in both components: a plain `stringify` would print `&a1` / `*a1` (the CLI must pass the option).
    expect(a?.vars['tags']).toBe(b?.vars['tags']);
    expect(stringify(out)).toMatch(/&a1/);
    expect(stringify(out, { aliasDuplicateObjects: false })).not.toMatch(/[&*]a\d/);
  });
});
