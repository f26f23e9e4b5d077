// base_path resolution, row by row from Atmos' resolution table (docs/prd/base-path-resolution-semantics.md in
// cloudposse/atmos): atmos.yaml at /repo/config, git root /repo, current folder /repo/components/terraform/vpc.
import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atmosYaml, makeTree, TEST_ENV } from '../../../test/support/fixtures/config/tree';
import { loadAtmosConfig } from './atmos-config';
import { resolveBasePath, type BasePathSource } from './base-path';

function repo(): { root: string; cwd: string; configDir: string } {
  const root = realpathSync(
    makeTree({
      '.git/HEAD': 'x',
      'config/atmos.yaml': atmosYaml(),
      'components/terraform/vpc/.keep': '',
      'stacks/.keep': '',
      'custom/path/.keep': '',
    }),
  );
  return { root, cwd: join(root, 'components/terraform/vpc'), configDir: join(root, 'config') };
}

describe('resolveBasePath (the Atmos table)', () => {
  const { root, cwd, configDir } = repo();
  const ctx = { cwd, configDir, gitRoot: root };
  const rows: [string | null | undefined, BasePathSource, string][] = [
    ['', 'config', root],
    [undefined, 'config', root],
    [null, 'config', root],
    ['~', 'config', root],
    ['.', 'config', configDir],
    ['.', 'runtime', cwd],
    ['./stacks', 'config', join(configDir, 'stacks')],
    ['./stacks', 'runtime', join(cwd, 'stacks')],
    ['..', 'config', root],
    ['..', 'runtime', join(root, 'components/terraform')],
    ['../../..', 'runtime', root],
    ['stacks', 'config', join(root, 'stacks')],
    ['stacks', 'runtime', join(root, 'stacks')],
    ['custom/path', 'config', join(root, 'custom/path')],
    ['custom/path', 'runtime', join(root, 'custom/path')],
    ['/abs/path', 'config', '/abs/path'],
    ['/abs/path', 'runtime', '/abs/path'],
  ];
  it.each(rows)('%j from %s', (value, source, expected) => {
    expect(resolveBasePath(value, source, ctx)).toBe(expected);
  });

  it('a bare path missing at the git root but present in the current folder is found there', () => {
    mkdirSync(join(cwd, '.terraform/modules/monorepo'), { recursive: true });
    expect(resolveBasePath('.terraform/modules/monorepo', 'runtime', ctx)).toBe(
      join(cwd, '.terraform/modules/monorepo'),
    );
    expect(resolveBasePath('./.terraform/modules/monorepo', 'runtime', ctx)).toBe(
      join(cwd, '.terraform/modules/monorepo'),
    );
    expect(resolveBasePath('nowhere', 'runtime', ctx)).toBe(join(root, 'nowhere'));
  });

  it('without a git root, a bare path is relative to the config folder; empty is the config folder', () => {
    const noGit = { cwd, configDir, gitRoot: undefined };
    expect(resolveBasePath('stacks', 'config', noGit)).toBe(join(configDir, 'stacks'));
    expect(resolveBasePath('', 'config', noGit)).toBe(configDir);
  });
});

describe('base_path in a loaded config', () => {
  it('base_path: ~ (YAML null) is the git root, like an empty base_path', async () => {
    const root = realpathSync(
      makeTree({ '.git/HEAD': 'x', 'sub/atmos.yaml': 'base_path: ~\nstacks:\n  base_path: stacks\n' }),
    );
    expect((await loadAtmosConfig({ configPath: join(root, 'sub'), cwd: root, env: {} })).basePath).toBe(root);
  });

  it('a bare base_path is searched from the git root, not the config folder', async () => {
    const root = realpathSync(
      makeTree({ '.git/HEAD': 'x', 'config/atmos.yaml': 'base_path: infra\n', 'infra/stacks/.keep': '' }),
    );
    const c = await loadAtmosConfig({ configPath: join(root, 'config'), cwd: root, env: {} });
    expect(c.basePath).toBe(join(root, 'infra'));
  });

  it('--base-path and ATMOS_BASE_PATH resolve the same value the same way (dot: the current folder; bare: a search)', async () => {
    const { root, cwd, configDir } = repo();
    for (const value of ['.', '../..', 'stacks', 'custom/path', join(root, 'custom')]) {
      const flag = await loadAtmosConfig({ configPath: configDir, cwd, basePath: value, env: {} });
      const env = await loadAtmosConfig({ configPath: configDir, cwd, env: { ATMOS_BASE_PATH: value } });
      expect(env.basePath, value).toBe(flag.basePath);
    }
    const dot = await loadAtmosConfig({ configPath: configDir, cwd, basePath: '.', env: {} });
    expect(dot.basePath).toBe(cwd);
    const bare = await loadAtmosConfig({ configPath: configDir, cwd, basePath: 'stacks', env: TEST_ENV });
    // ATMOS_GIT_ROOT_BASEPATH=false (TEST_ENV) turns the git root search off: relative to the config folder.
    expect(bare.basePath).toBe(join(configDir, 'stacks'));
  });
});
