// Workspace trust in the CLI (issue 9): `!exec` runs only with --trust or when the workspace's folder is listed in
// ATMOS_SECRETS_TRUSTED_FOLDERS; untrusted, it shows as written and one warning says how to trust it.
import { afterAll, describe, expect, it } from 'vitest';
import { delimiter, dirname, join } from 'node:path';
import { MemoryKeychain } from '../main/keychain/memory-keychain';
import { removeWrittenWorkspaces, writeWorkspace } from '../../test/support/secrets-workspace';
import type { CliContext } from './context';
import { runCli } from './program';
import { isInside, trustedFolders, TRUSTED_FOLDERS_ENV } from './trust';

afterAll(() => removeWrittenWorkspaces());

function workspace(): string {
  return writeWorkspace({
    'atmos.yaml':
      'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n  name_template: "{{ .vars.stage }}"\n',
    'stacks/dev.yaml': [
      'vars: { stage: dev }',
      'components:',
      '  terraform:',
      '    app:',
      '      vars:',
      '        greeting: !exec echo trusted-ran',
      '',
    ].join('\n'),
  });
}

async function run(args: readonly string[], dir: string, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false },
    env,
    cwd: dir,
    keychain: () => new MemoryKeychain(),
  };
  const code = await runCli(args, ctx, '1.0.0');
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const describeApp = ['describe', 'component', 'app', '-s', 'dev', '--format', 'json'];
const greeting = (stdout: string): unknown => (JSON.parse(stdout) as { vars: { greeting: unknown } }).vars.greeting;

describe('workspace trust', () => {
  it('an untrusted workspace runs no !exec and warns once how to trust it', async () => {
    const dir = workspace();
    const r = await run(describeApp, dir);
    expect(r.code).toBe(0);
    expect(greeting(r.stdout)).not.toBe('trusted-ran');
    expect(r.stderr.match(/not trusted/g)).toHaveLength(1);
    expect(r.stderr).toContain('--trust');
  });

  it('--trust runs it', async () => {
    const dir = workspace();
    const r = await run([...describeApp, '--trust'], dir);
    expect(r.code).toBe(0);
    expect(greeting(r.stdout)).toBe('trusted-ran');
    expect(r.stderr).not.toContain('not trusted');
  });

  it('a folder listed in ATMOS_SECRETS_TRUSTED_FOLDERS (or a parent of it) is trusted; a sibling is not', async () => {
    const dir = workspace();
    const other = workspace();
    const listed = await run(describeApp, dir, { [TRUSTED_FOLDERS_ENV]: `${other}${delimiter}${dir}` });
    expect(greeting(listed.stdout)).toBe('trusted-ran');
    const parent = await run(describeApp, dir, { [TRUSTED_FOLDERS_ENV]: dirname(dir) });
    expect(greeting(parent.stdout)).toBe('trusted-ran');
    const sibling = await run(describeApp, dir, { [TRUSTED_FOLDERS_ENV]: other });
    expect(greeting(sibling.stdout)).not.toBe('trusted-ran');
    // A relative entry would depend on where the command runs: ignored.
    const relative = await run(describeApp, dir, { [TRUSTED_FOLDERS_ENV]: '.' });
    expect(greeting(relative.stdout)).not.toBe('trusted-ran');
  });

  it('a trusted folder does not trust a base path outside it', async () => {
    const stacksHome = workspace();
    const dir = writeWorkspace({
      'atmos.yaml': `base_path: ${JSON.stringify(stacksHome)}\nstacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n  name_template: "{{ .vars.stage }}"\n`,
    });
    const r = await run([...describeApp, '--config', join(dir, 'atmos.yaml')], dir, { [TRUSTED_FOLDERS_ENV]: dir });
    expect(r.code).toBe(0);
    expect(greeting(r.stdout)).not.toBe('trusted-ran');
  });

  it('--help documents the flag and the setting', async () => {
    const r = await run(['--help'], '/');
    expect(r.stdout).toContain('--trust');
    expect(r.stdout).toContain(TRUSTED_FOLDERS_ENV);
  });

  it('parses the setting: absolute entries and ~, split like PATH', () => {
    expect(
      trustedFolders({ [TRUSTED_FOLDERS_ENV]: `~/a${delimiter}${delimiter}rel${delimiter}/abs`, HOME: '/home/u' }),
    ).toEqual([join('/home/u', 'a'), '/abs']);
    expect(isInside('/abs', '/abs/x/y')).toBe(true);
    expect(isInside('/abs', '/abs')).toBe(true);
    expect(isInside('/abs', '/absolute')).toBe(false);
    expect(isInside('/abs/x', '/abs')).toBe(false);
  });
});
