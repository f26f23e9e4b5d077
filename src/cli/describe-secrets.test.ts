// describe masks every `!secret` without calling a backend, but a misspelt name still fails (spec §3).
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryKeychain } from '../main/keychain/memory-keychain';
import { removeWrittenWorkspaces, writeWorkspace } from '../../test/support/secrets-workspace';
import type { CliContext } from './context';
import { runCli } from './program';

afterAll(removeWrittenWorkspaces);

const ATMOS =
  'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\nstores:\n  kc:\n    kind: keychain\n';

async function run(dir: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let keychainCalls = 0;
  const ctx: CliContext = {
    io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false },
    env: {},
    cwd: dir,
    keychain: () => (keychainCalls++, new MemoryKeychain()),
  };
  const code = await runCli([...args, '--base-path', dir], ctx, '1');
  return { code, stdout: out.join(''), stderr: err.join(''), keychainCalls };
}

describe('describe and !secret names', () => {
  const dir = writeWorkspace({
    'atmos.yaml': ATMOS,
    'stacks/dev.yaml':
      'components:\n  terraform:\n    ok:\n      secrets:\n        vars:\n          TOKEN: {store: kc}\n      env:\n        TOKEN: !secret TOKEN\n    typo:\n      secrets:\n        vars:\n          TOKEN: {store: kc}\n      env:\n        TOKEN: !secret TOKNE\n',
  });

  it('masks a declared secret without touching the keychain', async () => {
    const r = await run(dir, ['describe', 'component', 'ok', '-s', 'dev', '--format', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { env: unknown }).env).toEqual({ TOKEN: '<MASKED>' });
    expect(r.keychainCalls).toBe(0);
  });

  it('fails on a misspelt name, for one component and for describe stacks', async () => {
    const one = await run(dir, ['describe', 'component', 'typo', '-s', 'dev']);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('secret is not declared: "TOKNE" (declare it under the component\'s secrets.vars)');
    expect(one.stderr).toMatch(/stacks\/dev\.yaml:14/);
    const all = await run(dir, ['describe', 'stacks']);
    expect(all.code).toBe(2);
  });
});
