// Issue 11: a 1Password `reference` that does not parse is found when the workspace loads (list, validate,
// describe), and the error names the secret and the file and line that declare it, not atmos.yaml's store.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../config';
import { UnmappablePathError } from '../../stores';
import { memoryService, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { assertSecretsDeclared, workspaceStores } from './references';

afterAll(removeWrittenWorkspaces);

const ATMOS = [
  'base_path: "."',
  'stacks: {base_path: stacks, included_paths: ["**/*"]}',
  'stores:',
  '  op:',
  '    kind: onepassword',
  '    options: {vault: Shared}',
  '',
].join('\n');

function workspace(vars: readonly string[]): string {
  return writeWorkspace({
    'atmos.yaml': ATMOS,
    'stacks/dev.yaml': [
      'secrets:', //                                                             1
      '  vars:', //                                                              2
      "    SHARED: {store: op, reference: 'op://Shared/{{ .atmos_component }}/x'}", // 3: stack scope, no component
      'components:', //                                                          4
      '  terraform:', //                                                         5
      '    api:', //                                                             6
      '      secrets:', //                                                       7
      '        vars:', //                                                        8
      ...vars.map((v) => `          ${v}`), //                                  9...
      '',
    ].join('\n'),
  });
}

describe('1Password references checked at load', () => {
  it('list shows a reference that does not parse as an error row naming the declaring file and line', async () => {
    const dir = workspace([
      "GOOD: {store: op, reference: 'op://Shared/api/password'}",
      "BAD: {store: op, reference: 'op://Shared/only-two'}",
    ]);
    const { svc } = await memoryService(dir);
    const rows = await svc.list({ stack: 'dev', component: 'api' });
    const bad = rows.find((r) => r.secret === 'BAD');
    expect(bad?.status).toBe('error');
    expect(bad?.detail).toContain('secret "BAD"');
    expect(bad?.detail).toContain(`${join(dir, 'stacks/dev.yaml')}:10`);
    expect(bad?.detail).not.toContain('atmos.yaml');
    // The stack-level template that needs a component: the stack file's line 3.
    const shared = rows.find((r) => r.secret === 'SHARED');
    expect(shared?.status).toBe('error');
    expect(shared?.detail).toContain(`${join(dir, 'stacks/dev.yaml')}:3`);
    expect(rows.find((r) => r.secret === 'GOOD')?.status).toBe('unknown');
  });

  it('validate reports it at the declaration, with the error class for unmappable paths', async () => {
    const dir = workspace(["BAD: {store: op, reference: 'Item'}"]);
    const { svc } = await memoryService(dir);
    const report = await svc.validate({ stack: 'dev' });
    const issues = report.issues.filter((i) => i.secret === 'BAD');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.location).toEqual({ file: join(dir, 'stacks/dev.yaml'), line: 9 });
  });

  it('describe (assertSecretsDeclared with the stores) fails on it with the declaring file and line', async () => {
    const dir = workspace(["BAD: {store: op, reference: 'op://Shared/it em!/field'}"]);
    const ws = await loadWorkspace({ configPath: dir, env: {} });
    const config = ws.componentConfig('dev', 'api');
    let caught: unknown;
    try {
      assertSecretsDeclared(config, workspaceStores(ws));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UnmappablePathError);
    const err = caught as UnmappablePathError;
    // Declarations are checked by name: BAD (line 9) before SHARED (line 3).
    expect(err.secret).toBe('BAD');
    expect(err.location).toEqual({ file: join(dir, 'stacks/dev.yaml'), line: 9 });
  });

  it('describe passes when every reference parses', async () => {
    const dir = writeWorkspace({
      'atmos.yaml': ATMOS,
      'stacks/dev.yaml':
        "components:\n  terraform:\n    api:\n      secrets:\n        vars:\n          A: {store: op, reference: 'op://Shared/{{ .atmos_component }}/password'}\n",
    });
    const ws = await loadWorkspace({ configPath: dir, env: {} });
    expect(() => assertSecretsDeclared(ws.componentConfig('dev', 'api'), workspaceStores(ws))).not.toThrow();
  });
});
