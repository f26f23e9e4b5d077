// Conformance with the Atmos test data copied into test/fixtures/atmos: goldens compared section by section
// (vars, env, settings, metadata, secrets), and the Go-test assertions transcribed in each scenario's expected.md.
// The data ships with the project: a missing file fails the test, it never skips.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYamlText } from 'yaml';
import { ATMOS_TESTDATA, REPO_ROOT } from '../../../test/support/paths';
import { AppError } from '../../shared/errors';
import { describeComponent, describeStacks, loadWorkspace, SecretRef, type Workspace } from './index';

const SCEN = join(ATMOS_TESTDATA, 'tests/fixtures/scenarios');
const SNAP = join(ATMOS_TESTDATA, 'tests/snapshots');
const EX = join(ATMOS_TESTDATA, 'examples');

const BASE_ENV = { ATMOS_GIT_ROOT_BASEPATH: 'false', PATH: process.env['PATH'] };

function load(dir: string, extra: Record<string, string> = {}, trusted = false): Promise<Workspace> {
  return loadWorkspace({ cwd: dir, configPath: dir, env: { ...BASE_ENV, ...extra }, trusted });
}

const SECTIONS = ['vars', 'env', 'settings', 'metadata'] as const;

type Json = Record<string, unknown>;

function snapshot(name: string): string {
  return readFileSync(join(SNAP, name), 'utf8');
}

/** Goldens print paths under this placeholder for the Atmos repository root (test/fixtures/atmos here). */
const GOLDEN_ROOT = '/absolute/path/to/repo';

// `describe component` goldens print component_path absolute, `describe stacks` ones as configured.
function expectSections(actual: Json, golden: Json, label: string): void {
  for (const s of SECTIONS) expect(actual[s], `${label} ${s}`).toEqual(golden[s] ?? {});
  expect(actual['secrets'], `${label} secrets`).toEqual(golden['secrets'] ?? {});
  // What Atmos shows beside the sections: backend, backend_type, workspace and component_info.
  expect(actual['backend'], `${label} backend`).toEqual(golden['backend']);
  expect(actual['backend_type'], `${label} backend_type`).toBe(golden['backend_type']);
  expect(actual['workspace'], `${label} workspace`).toBe(golden['workspace']);
  const info = golden['component_info'] as Json;
  expect(actual['component_info'], `${label} component_info`).toEqual({
    component_path: String(info['component_path']).replace(GOLDEN_ROOT, ATMOS_TESTDATA),
    component_type: info['component_type'],
  });
}

function compareDescribeStacks(actual: Json, golden: Json): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(golden).sort());
  for (const [stack, g] of Object.entries(golden)) {
    const gc = (g as { components: Record<string, Record<string, Json>> }).components;
    const ac = (actual[stack] as { components: Record<string, Record<string, Json>> }).components;
    for (const [type, byName] of Object.entries(gc)) {
      expect(Object.keys(ac[type] ?? {}).sort()).toEqual(Object.keys(byName).sort());
      for (const [name, gcomp] of Object.entries(byName))
        expectSections(ac[type]?.[name] ?? {}, gcomp, `${stack}/${name}`);
    }
  }
}

describe('Atmos goldens', () => {
  it('reads its data from inside the project (test/fixtures/atmos), never from ../shared', () => {
    expect(ATMOS_TESTDATA).toBe(join(REPO_ROOT, 'test/fixtures/atmos'));
    expect(existsSync(join(SNAP, 'TestCLICommands_list_stacks_works.stdout.golden'))).toBe(true);
  });

  it('secrets-masking: describe stacks --format json', async () => {
    const ws = await load(join(EX, 'secrets-masking'));
    const golden = JSON.parse(snapshot('TestCLICommands_secrets-masking_describe_stacks.stdout.golden')) as Json;
    compareDescribeStacks(describeStacks(ws) as unknown as Json, golden);
  });

  it('relative-paths: describe stacks (YAML)', async () => {
    const ws = await load(join(SCEN, 'relative-paths'));
    const golden = parseYamlText(snapshot('TestCLICommands_atmos_stacks_with_relative_paths.stdout.golden')) as Json;
    compareDescribeStacks(describeStacks(ws) as unknown as Json, golden);
    expect(ws.stackNames()).toEqual(['acme-platform-dev', 'acme-platform-prod', 'acme-platform-staging']);
  });

  it('provenance: describe component mock -s acme-dev-us-east-1, list stacks, list components', async () => {
    const ws = await load(join(SCEN, 'provenance'));
    const golden = parseYamlText(snapshot('TestCLICommands_describe_component_with_stack_flag.stdout.golden')) as Json;
    const d = describeComponent(ws, 'mock', 'acme-dev-us-east-1');
    expectSections(d as unknown as Json, golden, 'mock');
    expect(ws.resolveStack('acme-dev-us-east-1').imports).toEqual(golden['imports']);
    expect(ws.stackNames().join('\n') + '\n').toBe(snapshot('TestCLICommands_list_stacks_works.stdout.golden'));
    const listed = ws.components('acme-dev-us-east-1').map((c) => `${c.name}\t${c.type}\t1`);
    expect(listed.join('\n') + '\n').toBe(snapshot('TestCLICommands_list_components_works.stdout.golden'));
  });

  it('stack-manifest-name: list stacks, describe by canonical name, file name refused with a suggestion', async () => {
    const ws = await load(join(SCEN, 'stack-manifest-name'));
    expect(ws.stackNames().join('\n') + '\n').toBe(
      snapshot('TestCLICommands_atmos_list_stacks_(stack-manifest-name).stdout.golden'),
    );
    for (const s of ['my-legacy-prod-stack', 'no-name-prod']) {
      const golden = JSON.parse(snapshot(`TestCLICommands_atmos_describe_component_vpc_-s_${s}.stdout.golden`)) as Json;
      const d = describeComponent(ws, 'vpc', s);
      expectSections(d as unknown as Json, golden, s);
      expect(d.atmos_stack).toBe(golden['atmos_stack']);
      expect(d.atmos_stack_file).toBe(golden['atmos_stack_file']);
      expect(ws.resolveStack(s).imports).toEqual(golden['imports']);
    }
    let err: unknown;
    try {
      describeComponent(ws, 'vpc', 'legacy-prod');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('NOT_FOUND');
    expect((err as AppError).message).toContain('did you mean "my-legacy-prod-stack"');
    expect((err as AppError).hint).toContain('my-legacy-prod-stack, no-name-prod');
  });

  it('hierarchical-imports: import order, glob order, deep merge, name_pattern drops {region}', async () => {
    const ws = await load(join(SCEN, 'hierarchical-imports'));
    expect(ws.stackNames()).toEqual(['dev-dev', 'prod-prod']);
    const derived = JSON.parse(
      readFileSync(join(SCEN, 'hierarchical-imports/_expected/deep-merged-manifests.derived.json'), 'utf8'),
    ) as Record<string, Json>;
    const dev = derived['deploy/dev/us-east-1'] ?? {};
    const c = describeComponent(ws, 'test-component', 'dev-dev');
    const compDerived = ((dev['components'] as Json)['terraform'] as Json)['test-component'] as Json;
    // [derived] component vars = deep-merge(global vars, component vars).
    expect(c.vars).toEqual({
      ...(dev['vars'] as Json),
      ...(compDerived['vars'] as Json),
      tags: { ...((dev['vars'] as Json)['tags'] as Json), ...((compDerived['vars'] as Json)['tags'] as Json) },
    });
    expect(c.vars['provider_priority']).toBe('c');
    expect(c.vars['vpc_cidr']).toBe('10.1.0.0/16');
    expect(c.vars['import_order_test']).toBe('level-3-component-variants');
    expect(c.settings['import_order_test']).toBe('level-3-component-variants-settings');
    const p = describeComponent(ws, 'test-component', 'prod-prod');
    expect(p.vars).toMatchObject({
      region: 'us-west-2',
      stage: 'prod',
      vpc_cidr: '10.2.0.0/16',
      instance_type: 't3.large',
      min_size: 3,
      max_size: 10,
    });
    expect(p.vars['tags']).toMatchObject({ Stage: 'prod', Account: 'acme-prod', Region: 'us-west-2' });
  });

  it('component-list-merge-strategy: replace / append / merge, inherited strategy, metadata.inherits', async () => {
    const ws = await load(join(SCEN, 'component-list-merge-strategy'));
    expect(ws.stackNames()).toEqual(['dev']);
    const v = (c: string): Json => describeComponent(ws, c, 'dev').vars as Json;
    expect(v('append-component')['tags']).toEqual(['base-tag-1', 'base-tag-2', 'child-tag']);
    expect(v('replace-component')['tags']).toEqual(['child-tag']);
    expect(v('inherit-strategy-component')['tags']).toEqual(['base-tag-1', 'base-tag-2', 'child-tag']);
    expect(v('mi-append')['my_list']).toEqual(['from_a', 'from_b']);
    expect(v('mi-replace')['my_list']).toEqual(['from_b']);
    expect(v('mi-multi-level-append')['my_list']).toEqual(['from_a', 'from_middle', 'from_leaf']);
    expect(v('mi-merge-strategy')['my_list']).toEqual(['from_a']);
    expect(v('mi-append')['name']).toBe('mi-append-child');
    const listed = ws.components('dev');
    expect(listed.filter((c) => c.abstract).map((c) => c.name)).toEqual([
      'append-base',
      'base-component',
      'mi-base-a',
      'mi-base-b',
      'mi-middle',
    ]);
    expect(describeComponent(ws, 'mi-multi-level-append', 'dev').metadata).toEqual({
      component: 'mock',
      inherits: ['mi-middle'],
    });
  });

  it('env-inheritance: env priority, metadata.component base, !env reads the merged env first', async () => {
    const ws = await load(join(SCEN, 'env-inheritance'), {}, true);
    expect(ws.stackNames()).toEqual(['dev', 'env-function-test', 'nested-yaml-functions']);
    const dev = describeComponent(ws, 'test-component-dev', 'dev');
    expect(dev.env).toEqual({
      GLOBAL_ENV_VAR: 'global-value',
      TF_GLOBAL_VAR: 'terraform-global',
      COMPONENT_ENV_VAR: 'overridden-by-stack',
      STACK_ENV_VAR: 'stack-value',
      GLOBAL_OVERRIDE_TEST: 'overridden-by-stack',
      TF_OVERRIDE_TEST: 'from-stack',
      FOO: 'bar',
    });
    expect(dev.vars).toEqual({ enabled: true, name: 'test-component', stage: 'dev' });
    expect(dev.component).toBe('test-component');
    const f = describeComponent(ws, 'test-component-env-function', 'env-function-test');
    expect(f.env['BAZ']).toBe('bar');
    expect(f.env['TF_VAR_FROM_GLOBAL']).toBe('terraform-global');
    expect(f.vars['foo_value']).toBe('bar');
    const n = describeComponent(ws, 'test-component-nested', 'nested-yaml-functions');
    expect(n.env['EXEC_RESULT']).toBe('hello-from-exec');
    expect(n.env['FIRST_LEVEL']).toBe('bar');
  });

  it('import-template-context: templated import paths with accumulated, explicit and nested context', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'itc-'));
    const run = async (manifest: string, templates = true): Promise<Workspace> => {
      writeFileSync(
        join(dir, 'atmos.yaml'),
        `base_path: ${JSON.stringify(join(SCEN, 'import-template-context'))}\nstacks:\n  base_path: stacks\n  included_paths: [${JSON.stringify(`deploy/${manifest}.yaml`)}]\ntemplates:\n  settings:\n    enabled: ${templates}\n`,
      );
      return loadWorkspace({ configPath: dir, env: BASE_ENV });
    };
    const version = (ws: Workspace): unknown => {
      const stack = ws.stackNames()[0] ?? '';
      return ws.components(stack).some((c) => c.name === 'service')
        ? describeComponent(ws, 'service', stack).vars['catalog_version']
        : undefined;
    };
    expect(version(await run('dev'))).toBe('v1');
    expect(describeComponent(await run('dev'), 'service', 'deploy/dev').vars).toEqual({
      catalog_version: 'v1',
      deployed: true,
      region: 'us-east-1',
    });
    expect(version(await run('explicit-context'))).toBe('v2');
    expect(version(await run('nested'))).toBe('v1');
    expect(version(await run('ignore-missing'))).toBeUndefined();
    expect(version(await run('skip-templates'))).toBeUndefined();
    expect(version(await run('dev', false))).toBeUndefined();
    await expect(run('missing-var')).rejects.toThrow(/failed to render Go template in import path/);
  });

  it('atmos-include-yaml-function: !include by extension, with queries, import: !include, remote via fetcher', async () => {
    const dir = join(SCEN, 'atmos-include-yaml-function');
    const remote = readFileSync(join(dir, '_expected/remote-mock/stack-templates-2.nonprod.yaml'), 'utf8');
    const urls: string[] = [];
    const ws = await loadWorkspace({
      configPath: dir,
      env: BASE_ENV,
      allowNetwork: true,
      fetcher: async (url) => {
        urls.push(url);
        return remote;
      },
    });
    expect(ws.stackNames()).toEqual(['extended', 'nonprod']);
    expect(urls).toEqual([
      'https://raw.githubusercontent.com/cloudposse/atmos/main/tests/fixtures/scenarios/stack-templates-2/stacks/deploy/nonprod.yaml',
    ]);
    const c1 = describeComponent(ws, 'component-1', 'nonprod');
    expect(c1.vars).toEqual({
      string_var: 'abc',
      boolean_var: true,
      list_var: ['a', 'b', 'c'],
      map_var: { a: 1, b: 2, c: 3 },
      stage: 'nonprod',
    });
    expect(c1.settings['config']).toEqual({ a: 'component-1-a', b: 'component-1-b', c: 'component-1-c' });
    expect(Object.keys(describeComponent(ws, 'component-2', 'nonprod').vars).sort()).toEqual([
      'boolean_var',
      'list_var',
      'map_var',
      'stage',
      'string_var',
    ]);
    expect(describeComponent(ws, 'component-3', 'nonprod').vars['string_var']).toBe('abc');
    expect(describeComponent(ws, 'component-4', 'nonprod').vars).toMatchObject({
      string_var: 'abc',
      boolean_var: true,
    });
    const c5 = describeComponent(ws, 'component-5', 'extended').vars;
    expect(typeof c5['yaml_raw']).toBe('string');
    expect(c5['yaml_raw']).toContain('string_var');
    expect(c5['json_raw']).toContain('"string_var"');
    expect(describeComponent(ws, 'component-6', 'extended').vars).toMatchObject({ first_item: 'a', map_value: 1 });
    expect(describeComponent(ws, 'component-7', 'extended').vars['note']).toContain('plain text note');
    expect(describeComponent(ws, 'component-8', 'extended').vars['readme']).toContain('Extensionless file');
    expect(describeComponent(ws, 'component-9', 'extended').vars).toMatchObject({
      instance_type: 't3.micro',
      region: 'us-west-2',
    });
    // Without network access the remote include is refused with a clear message, file and line.
    const err = await loadWorkspace({ configPath: dir, env: BASE_ENV }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/needs network access/);
    expect((err as AppError).location?.file).toMatch(/deploy\/nonprod\.yaml$/);
    expect((err as AppError).location?.line).toBe(8);
  });

  it('sops-secrets: stack-level provider merged into the component, scope instance, !secret masked', async () => {
    const ws = await load(join(EX, 'sops-secrets'));
    const d = describeComponent(ws, 'api', 'dev');
    expect(d.secrets).toEqual({
      providers: {
        'dev-sops': { kind: 'sops/age', spec: { age_key_file: 'secrets/keys.txt', file: 'secrets/dev.enc.yaml' } },
      },
      vars: {
        DATADOG_API_KEY: {
          description: 'Datadog API key for monitoring',
          required: true,
          scope: 'instance',
          sops: 'dev-sops',
        },
        REDIS_URL: { description: 'Redis connection string', scope: 'instance', sops: 'dev-sops' },
      },
    });
    expect(d.vars).toEqual({ datadog_api_key: '<MASKED>', redis_url: '<MASKED>', stage: 'dev' });
    const c = ws.componentConfig('dev', 'api');
    const ref = (c.sections['vars'] as Json)['redis_url'];
    expect(ref).toBeInstanceOf(SecretRef);
    expect(ref).toMatchObject({ name: 'REDIS_URL', defaultValue: 'redis://localhost:6379' });
    expect(c.secretProviders['dev-sops']).toMatchObject({
      level: 'stack',
      location: { file: join(EX, 'sops-secrets/stacks/deploy/dev.yaml'), line: 15 },
    });
    expect(c.secretDeclarations['DATADOG_API_KEY']).toMatchObject({
      scope: 'instance',
      location: { file: join(EX, 'sops-secrets/stacks/catalog/api.yaml'), line: 11 },
    });
  });

  it('aws-secrets-floci: stack, instance and global scopes; !env in atmos.yaml; stores kept raw with locations', async () => {
    const dir = join(SCEN, 'aws-secrets-floci');
    const ws = await load(dir, {
      FLOCI_SECRETS_SSM_PREFIX: '/atmos-tests/secrets/t1',
      FLOCI_SECRETS_ASM_PREFIX: 'atmos-tests/secrets/t1',
      FLOCI_ENDPOINT_URL: 'http://127.0.0.1:4566',
    });
    expect(ws.stackNames()).toEqual(['dev', 'prod']);
    expect(ws.stores['secrets/ssm']).toEqual({
      raw: {
        kind: 'aws/ssm',
        identity: 'floci-superuser',
        secret: true,
        options: { region: 'us-east-1', prefix: '/atmos-tests/secrets/t1' },
      },
      location: { file: join(dir, 'atmos.yaml'), line: 17 },
    });
    const c = ws.componentConfig('dev', 'secret-consumer');
    const scopes = Object.fromEntries(Object.values(c.secretDeclarations).map((d) => [d.name, d.scope]));
    expect(scopes).toEqual({
      SSM_STACK_TOKEN: 'stack',
      SSM_INSTANCE_TOKEN: 'instance',
      ASM_DATABASE_CONFIG: 'instance',
      GLOBAL_SHARED_TOKEN: 'global',
    });
    expect(c.secretDeclarations['SSM_STACK_TOKEN']?.location).toEqual({ file: join(dir, 'stacks/dev.yaml'), line: 6 });
    const ref = (c.sections['vars'] as Json)['asm_database_password'];
    expect(ref).toMatchObject({
      name: 'ASM_DATABASE_CONFIG',
      path: '.password',
      location: { file: join(dir, 'stacks/dev.yaml'), line: 35 },
    });
    expect(JSON.stringify(describeComponent(ws, 'secret-consumer', 'dev').vars)).toContain('<MASKED>');
  });

  it('onepassword-secrets: a store from atmos.yaml, another component type (emulator)', async () => {
    const ws = await load(join(EX, 'onepassword-secrets'));
    expect(ws.stores['op']?.raw).toMatchObject({ type: 'onepassword', options: { mode: 'connect' } });
    const types = ws.components('dev').map((c) => `${c.type}/${c.name}`);
    expect(types).toContain('terraform/api');
    expect(types.some((t) => t.startsWith('emulator/'))).toBe(true);
    const d = describeComponent(ws, 'api', 'dev');
    expect(d.vars).toMatchObject({ datadog_api_key: '<MASKED>', db_password: '<MASKED>' });
    expect((d.secrets['vars'] as Json)['DB_PASSWORD']).toMatchObject({ store: 'op', scope: 'instance' });
  });
});
