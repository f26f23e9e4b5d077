// Workspace trust: an untrusted workspace runs none of its `!exec` commands (atmos.yaml or manifests), shows
// them as written and says once how to trust it; a trusted one runs them without blocking the event loop.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atmosYaml, makeTree, TEST_ENV } from '../../../test/support/fixtures/config/tree';
import { describeComponent, loadWorkspace } from './index';

const MANIFEST = (cmd: string): string => `components:\n  terraform:\n    c:\n      vars:\n        x: !exec ${cmd}\n`;

describe('workspace trust', () => {
  it('untrusted (the default): no !exec runs, values show the tag text, one warning says how to trust', async () => {
    const root = makeTree({
      'atmos.yaml': `${atmosYaml()}stores:\n  s:\n    kind: aws/ssm\n    options:\n      region: !exec touch ran-config\n`,
      'stacks/dev.yaml': MANIFEST('touch ran-manifest'),
      'stacks/prod.yaml': MANIFEST('touch ran-manifest'),
    });
    const ws = await loadWorkspace({ configPath: root, cwd: root, env: TEST_ENV });
    const d = describeComponent(ws, 'c', 'dev');
    expect(d.vars['x']).toBe('!exec touch ran-manifest');
    expect(existsSync(join(root, 'ran-config'))).toBe(false);
    expect(existsSync(join(root, 'ran-manifest'))).toBe(false);
    const trustWarnings = ws.warnings.filter((w) => w.message.includes('not trusted'));
    expect(trustWarnings).toHaveLength(1);
    expect(trustWarnings[0]?.message).toContain('3 !exec commands were not run');
    expect(trustWarnings[0]?.message).toContain('--trust');
    expect(trustWarnings[0]?.location).toMatchObject({ file: join(root, 'atmos.yaml'), line: 10 });
  });

  it('untrusted without any !exec: no warning', async () => {
    const root = makeTree({ 'atmos.yaml': atmosYaml(), 'stacks/dev.yaml': 'vars: {a: 1}\n' });
    const ws = await loadWorkspace({ configPath: root, env: TEST_ENV });
    expect(ws.warnings).toEqual([]);
  });

  it('untrusted: a config value only !exec could give is a CONFIG error that says the workspace is not trusted', async () => {
    const root = makeTree({
      'atmos.yaml': 'base_path: !exec echo .\nstacks:\n  base_path: stacks\n',
      'stacks/dev.yaml': 'vars: {a: 1}\n',
    });
    const e = await loadWorkspace({ configPath: root, env: TEST_ENV }).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'CONFIG', location: { file: join(root, 'atmos.yaml'), line: 1 } });
    expect((e as Error).message).toContain('base_path is set by !exec, which was not run');
    expect(await loadWorkspace({ configPath: root, env: TEST_ENV, trusted: true })).toBeDefined();
  });

  it('trusted: commands run once each, in the base path, and no warning is recorded', async () => {
    const root = makeTree({
      'atmos.yaml': atmosYaml(),
      'stacks/dev.yaml': MANIFEST("'echo run >> count; echo done'"),
      'stacks/prod.yaml': MANIFEST("'echo run >> count; echo done'"),
    });
    const ws = await loadWorkspace({ configPath: root, env: TEST_ENV, trusted: true });
    expect(describeComponent(ws, 'c', 'dev').vars['x']).toBe('done');
    expect(describeComponent(ws, 'c', 'prod').vars['x']).toBe('done');
    expect(existsSync(join(root, 'count'))).toBe(true);
    expect(ws.warnings).toEqual([]);
  });

  it('trusted: commands run while the event loop keeps turning (no synchronous child process)', async () => {
    const flag = join(mkdtempSync(join(tmpdir(), 'exec-flag-')), 'flag');
    // The command waits (up to ~4 s) for a file that only a timer of this process creates: a blocked event
    // loop never creates it, and the command then prints "blocked".
    const wait = `'for i in $(seq 1 80); do [ -f ${flag} ] && echo free && exit 0; sleep 0.05; done; echo blocked'`;
    const tree = makeTree({ 'atmos.yaml': atmosYaml(), 'stacks/dev.yaml': MANIFEST(wait) });
    const timer = setTimeout(() => writeFileSync(flag, ''), 20);
    const ws = await loadWorkspace({ configPath: tree, env: TEST_ENV, trusted: true });
    clearTimeout(timer);
    expect(describeComponent(ws, 'c', 'dev').vars['x']).toBe('free');
  });
});
