import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atmosYaml, makeTree, TEST_ENV } from '../../../test/support/fixtures/config/tree';
import { AppError } from '../../shared/errors';
import { discoverConfig, loadAtmosConfig } from './atmos-config';
import { thrown as thrownBy } from '../../../test/support/rejection';

/** atmos.yaml files in the parent folders of `dir` (discovery would find them). */
function parentsWithConfig(dir: string): string[] {
  const found: string[] = [];
  for (let d = dirname(dir); ; d = dirname(d)) {
    for (const n of ['atmos.yaml', 'atmos.yml', '.atmos.yaml', '.atmos.yml'])
      if (existsSync(join(d, n))) found.push(join(d, n));
    if (dirname(d) === d) return found;
  }
}

describe('atmos.yaml discovery', () => {
  it('prefers --config, then ATMOS_CLI_CONFIG_PATH, then the current folder, the git root, then parents', () => {
    const root = realpathSync(
      makeTree({
        'repo/.git/HEAD': 'ref: x',
        'repo/atmos.yaml': atmosYaml(),
        'repo/a/atmos.yaml': atmosYaml(),
        'repo/a/b/c/.keep': '',
        'elsewhere/atmos.yaml': atmosYaml(),
        'outside/sub/.keep': '',
        'outside/atmos.yaml': atmosYaml(),
      }),
    );
    const cwd = join(root, 'repo/a/b/c');
    expect(discoverConfig({ cwd, configPath: join(root, 'elsewhere'), env: {} })).toBe(
      join(root, 'elsewhere/atmos.yaml'),
    );
    expect(discoverConfig({ cwd, env: { ATMOS_CLI_CONFIG_PATH: join(root, 'elsewhere/atmos.yaml') } })).toBe(
      join(root, 'elsewhere/atmos.yaml'),
    );
    expect(discoverConfig({ cwd: join(root, 'repo/a'), env: {} })).toBe(join(root, 'repo/a/atmos.yaml'));
    // The git root beats a nearer parent folder.
    expect(discoverConfig({ cwd, env: {} })).toBe(join(root, 'repo/atmos.yaml'));
    // Without a git root, the nearest parent.
    expect(discoverConfig({ cwd: join(root, 'outside/sub'), env: {} })).toBe(join(root, 'outside/atmos.yaml'));
  });

  it('a missing explicit config or no config at all is a CONFIG error (exit 2 in the CLI)', () => {
    const root = realpathSync(makeTree({ 'x/.keep': '' }));
    const explicit = thrownBy(() => discoverConfig({ cwd: root, configPath: join(root, 'nope'), env: {} }));
    expect(explicit.code).toBe('CONFIG');
    expect(explicit.message).toBe(`atmos.yaml not found at ${join(root, 'nope')}`);
    mkdirSync(join(root, 'x/.git'));
    // The search walks every parent folder: the test needs none of them to hold an atmos.yaml.
    expect(parentsWithConfig(root)).toEqual([]);
    const none = thrownBy(() => discoverConfig({ cwd: join(root, 'x'), env: {} }));
    expect(none.code).toBe('CONFIG');
    expect(none.message).toBe(`no atmos.yaml found in ${join(root, 'x')}, its git root or any parent folder`);
  });

  it('--base-path DIR (or ATMOS_BASE_PATH) uses DIR/atmos.yaml; without one there the error names DIR', () => {
    const root = realpathSync(makeTree({ 'demo/atmos.yaml': atmosYaml(), 'empty/.keep': '', 'cwd/.keep': '' }));
    const cwd = join(root, 'cwd');
    expect(discoverConfig({ cwd, basePath: '../demo', env: {} })).toBe(join(root, 'demo/atmos.yaml'));
    expect(discoverConfig({ cwd, env: { ATMOS_BASE_PATH: join(root, 'demo') } })).toBe(join(root, 'demo/atmos.yaml'));
    expect(parentsWithConfig(root)).toEqual([]);
    const flag = thrownBy(() => discoverConfig({ cwd, basePath: join(root, 'empty'), env: {} }));
    expect(flag.code).toBe('CONFIG');
    expect(flag.message).toContain(`no atmos.yaml found in ${join(root, 'empty')} (--base-path)`);
    const fromEnv = thrownBy(() => discoverConfig({ cwd, env: { ATMOS_BASE_PATH: '../empty' } }));
    expect(fromEnv.message).toContain(`no atmos.yaml found in ${join(root, 'empty')} (ATMOS_BASE_PATH)`);
  });
});

describe('atmos.yaml contents', () => {
  it('resolves base_path, stacks.base_path and components base paths', async () => {
    const root = realpathSync(
      makeTree({
        'cfg/atmos.yaml':
          'base_path: ../repo\nstacks:\n  base_path: st\ncomponents:\n  terraform:\n    base_path: components/terraform\n',
      }),
    );
    const c = await loadAtmosConfig({ configPath: join(root, 'cfg'), env: TEST_ENV });
    expect(c.basePath).toBe(join(root, 'repo'));
    expect(c.stacksBasePath).toBe(join(root, 'repo/st'));
    expect(c.componentBasePaths['terraform']).toEqual({
      configured: 'components/terraform',
      absolute: join(root, 'repo/components/terraform'),
    });
  });

  it('an empty base_path is the git root (unless ATMOS_GIT_ROOT_BASEPATH=false), else the config folder', async () => {
    const root = realpathSync(makeTree({ '.git/HEAD': 'x', 'sub/atmos.yaml': 'stacks:\n  base_path: stacks\n' }));
    expect((await loadAtmosConfig({ configPath: join(root, 'sub'), env: {} })).basePath).toBe(root);
    expect(
      (await loadAtmosConfig({ configPath: join(root, 'sub'), env: { ATMOS_GIT_ROOT_BASEPATH: 'false' } })).basePath,
    ).toBe(join(root, 'sub'));
  });

  it('--base-path and ATMOS_BASE_PATH override base_path (relative to the current folder)', async () => {
    const root = realpathSync(makeTree({ 'atmos.yaml': atmosYaml(), 'other/.keep': '' }));
    expect((await loadAtmosConfig({ cwd: root, configPath: root, basePath: 'other', env: TEST_ENV })).basePath).toBe(
      join(root, 'other'),
    );
    expect(
      (await loadAtmosConfig({ cwd: root, configPath: root, env: { ...TEST_ENV, ATMOS_BASE_PATH: 'other' } })).basePath,
    ).toBe(join(root, 'other'));
  });

  it('reads included/excluded paths, name_pattern, name_template and their ATMOS_* overrides', async () => {
    const root = makeTree({
      'atmos.yaml': atmosYaml(
        '',
        "  included_paths: ['deploy/**/*']\n  excluded_paths: ['**/_defaults.yaml']\n  name_pattern: '{stage}'\n",
      ),
    });
    const c = await loadAtmosConfig({ configPath: root, env: TEST_ENV });
    expect([c.includedPaths, c.excludedPaths, c.namePattern, c.nameTemplate]).toEqual([
      ['deploy/**/*'],
      ['**/_defaults.yaml'],
      '{stage}',
      undefined,
    ]);
    const o = await loadAtmosConfig({
      configPath: root,
      env: { ...TEST_ENV, ATMOS_STACKS_INCLUDED_PATHS: 'a/*,b/*', ATMOS_STACKS_NAME_TEMPLATE: '{{ .vars.stage }}' },
    });
    expect([o.includedPaths, o.nameTemplate]).toEqual([['a/*', 'b/*'], '{{ .vars.stage }}']);
  });

  it('keeps stores and secrets.providers raw with their locations, and env as strings', async () => {
    const root = makeTree({
      'atmos.yaml': `${atmosYaml()}stores:\n  ssm:\n    kind: aws/ssm\n    secret: true\nsecrets:\n  providers:\n    sops:\n      kind: sops/age\n      spec:\n        file: secrets/{{ .atmos_stack }}.enc.yaml\nenv:\n  A: 1\n`,
    });
    const c = await loadAtmosConfig({ configPath: root, env: TEST_ENV });
    expect(c.stores['ssm']).toEqual({
      raw: { kind: 'aws/ssm', secret: true },
      location: { file: join(root, 'atmos.yaml'), line: 7 },
    });
    expect(c.secretProviders['sops']?.location.line).toBe(12);
    expect(c.env).toEqual({ A: '1' });
  });

  it('an unknown key is a warning; a wrong type is a CONFIG error with file, line and hint', async () => {
    const root = makeTree({ 'atmos.yaml': `${atmosYaml()}colour: blue\n` });
    const c = await loadAtmosConfig({ configPath: root, env: TEST_ENV });
    expect(c.warnings).toEqual([
      { message: 'atmos.yaml: unknown key "colour" (ignored)', location: { file: join(root, 'atmos.yaml'), line: 6 } },
    ]);

    const bad = makeTree({
      'atmos.yaml': "base_path: ./\nstacks:\n  base_path: stacks\n  included_paths: 'deploy/**'\n",
    });
    try {
      await loadAtmosConfig({ configPath: bad, env: TEST_ENV });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('CONFIG');
      expect((e as AppError).message).toContain('stacks.included_paths');
      expect((e as AppError).location).toEqual({ file: join(bad, 'atmos.yaml'), line: 4 });
      expect((e as AppError).hint).toBeTruthy();
    }
  });

  it('evaluates !env, !exec (trusted) and !repo-root in atmos.yaml when it loads', async () => {
    const root = realpathSync(
      makeTree({
        '.git/HEAD': 'x',
        'atmos.yaml': `${atmosYaml()}stores:\n  s:\n    kind: aws/ssm\n    options:\n      prefix: !env PREFIX\n      region: !exec echo us-east-1\n      root: !repo-root\n`,
      }),
    );
    const c = await loadAtmosConfig({ configPath: root, env: { ...TEST_ENV, PREFIX: '/p' }, trusted: true });
    expect(c.stores['s']?.raw['options']).toEqual({ prefix: '/p', region: 'us-east-1', root });
  });

  it('merges .atmos.d fragments after atmos.yaml (git root first, then the config folder), keeping locations', async () => {
    const root = realpathSync(
      makeTree({
        '.git/HEAD': 'x',
        '.atmos.d/stores.yaml': 'stores:\n  shared:\n    kind: aws/ssm\n  both:\n    kind: aws/asm\n',
        'sub/atmos.yaml': `${atmosYaml()}stores:\n  main:\n    kind: keychain\n`,
        'sub/.atmos.d/b/deep.yaml': 'stores:\n  both:\n    secret: true\n',
        'sub/.atmos.d/a.yaml': 'commands: []\n',
      }),
    );
    const c = await loadAtmosConfig({ configPath: join(root, 'sub'), env: TEST_ENV });
    expect(Object.keys(c.stores).sort()).toEqual(['both', 'main', 'shared']);
    expect(c.stores['shared']?.location).toEqual({ file: join(root, '.atmos.d/stores.yaml'), line: 2 });
    expect(c.stores['both']).toEqual({
      raw: { kind: 'aws/asm', secret: true },
      location: { file: join(root, 'sub/.atmos.d/b/deep.yaml'), line: 2 },
    });
    const bad = makeTree({ 'atmos.yaml': atmosYaml(), '.atmos.d/x.yaml': 'stores:\n  s:\n    secret: "yes"\n' });
    try {
      await loadAtmosConfig({ configPath: bad, env: TEST_ENV });
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).location).toEqual({ file: join(bad, '.atmos.d/x.yaml'), line: 3 });
    }
  });

  it('an invalid settings.list_merge_strategy is refused', async () => {
    const root = makeTree({ 'atmos.yaml': `${atmosYaml()}settings:\n  list_merge_strategy: zip\n` });
    await expect(loadAtmosConfig({ configPath: root, env: TEST_ENV })).rejects.toThrow(/settings.list_merge_strategy/);
  });
});
