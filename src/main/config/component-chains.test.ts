// Base chains (merge order of a component's bases): the components of a stack that inherit just one base share
// one chain array (and so one chain info); several direct bases keep each base's own bases first, each once;
// a cycle is found whichever component reaches it first.
import { afterAll, describe, expect, it } from 'vitest';
import { removeWrittenWorkspaces, writeWorkspace } from '../../../test/support/secrets-workspace';
import { loadWorkspace, type Workspace } from './index';
import { thrown as failure } from '../../../test/support/rejection';

afterAll(() => removeWrittenWorkspaces());

const ATMOS_YAML = 'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n';

async function load(stack: string): Promise<Workspace> {
  const dir = writeWorkspace({ 'atmos.yaml': ATMOS_YAML, 'stacks/dev.yaml': stack });
  return loadWorkspace({ cwd: dir, configPath: dir, env: {} });
}

describe('base chains', () => {
  it('share one array between the components of one base, and merge each base once, its bases first', async () => {
    const ws = await load(
      [
        'components:',
        '  terraform:',
        '    root: { metadata: { type: abstract }, vars: { from: [root] } }',
        '    left: { metadata: { type: abstract, inherits: [root] }, vars: { left: true } }',
        '    right: { metadata: { type: abstract, inherits: [root] }, vars: { right: true } }',
        '    one: { metadata: { inherits: [left] } }',
        '    two: { metadata: { inherits: [left] }, vars: { two: true } }',
        '    both: { metadata: { inherits: [left, right, root] } }',
        '    folder: { metadata: { component: right, inherits: [left] } }',
        '    plain: { vars: { plain: true } }',
        '',
      ].join('\n'),
    );
    const one = ws.componentConfig('dev', 'one');
    const two = ws.componentConfig('dev', 'two');
    expect(one.inheritance).toEqual(['root', 'left']);
    expect(two.inheritance).toBe(one.inheritance);
    expect(two.sections['vars']).toEqual({ from: ['root'], left: true, two: true });
    expect(ws.componentConfig('dev', 'both').inheritance).toEqual(['root', 'left', 'right']);
    // metadata.component names a base first, then inherits: each base's own bases before it, once.
    expect(ws.componentConfig('dev', 'folder').inheritance).toEqual(['root', 'right', 'left']);
    expect(ws.componentConfig('dev', 'plain').inheritance).toEqual([]);
  });

  it('finds a cycle from any component that reaches it, also once a base chain is cached', async () => {
    const ws = await load(
      [
        'components:',
        '  terraform:',
        '    base: { metadata: { type: abstract } }',
        '    ok: { metadata: { inherits: [base] } }',
        '    a: { metadata: { inherits: [b] } }',
        '    b: { metadata: { inherits: [a] } }',
        '    c: { metadata: { inherits: [b] } }',
        '    d: { metadata: { inherits: [base, c] } }',
        '',
      ].join('\n'),
    );
    expect(ws.componentConfig('dev', 'ok').inheritance).toEqual(['base']);
    expect(failure(() => ws.componentConfig('dev', 'c')).message).toBe(
      'inheritance cycle: c -> b -> a -> b in stack dev',
    );
    expect(failure(() => ws.componentConfig('dev', 'a')).message).toBe('inheritance cycle: a -> b -> a in stack dev');
    expect(failure(() => ws.componentConfig('dev', 'd')).message).toBe(
      'inheritance cycle: d -> c -> b -> a -> b in stack dev',
    );
    // Asked again: the same error (nothing half-computed was kept).
    expect(failure(() => ws.componentConfig('dev', 'c')).message).toBe(
      'inheritance cycle: c -> b -> a -> b in stack dev',
    );
  });
});
