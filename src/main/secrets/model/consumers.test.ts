// The consumers index: every (stack, component) on one coordinate, from config alone; a stack secret scans
// only its stack, a global one indexes every stack once per workspace load.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { memoryService, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';

afterAll(removeWrittenWorkspaces);

const ATMOS = `base_path: "."
stacks:
  base_path: stacks
  included_paths: ["deploy/*.yaml"]
stores:
  kc:
    kind: keychain
    options: {prefix: c, service: consumers-test}
  kc2:
    kind: keychain
    options: {prefix: other, service: consumers-test}
`;

function stack(): string {
  const comps = Array.from(
    { length: 5 },
    (_, j) =>
      `    c${j}:\n      secrets:\n        vars:\n          OWN: {store: kc}\n          GLOBAL: {store: ${j === 4 ? 'kc2' : 'kc'}, scope: global}\n`,
  ).join('');
  return `secrets:\n  vars:\n    STACKWIDE: {store: kc}\ncomponents:\n  terraform:\n${comps}    base:\n      metadata: {type: abstract}\n      secrets:\n        vars:\n          GLOBAL: {store: kc, scope: global}\n`;
}

async function workspace(stacks: number) {
  const files: Record<string, string> = { 'atmos.yaml': ATMOS };
  for (let i = 0; i < stacks; i++) files[`stacks/deploy/s${String(i).padStart(3, '0')}.yaml`] = stack();
  return memoryService(writeWorkspace(files));
}

describe('consumers', () => {
  it('a stack secret reaches every deployable component of its stack only', async () => {
    const { svc } = await workspace(3);
    const spy = vi.spyOn(svc.workspace, 'componentConfig');
    const s = svc.consumers({ stack: 'deploy/s001', name: 'STACKWIDE' });
    expect(s.stacks).toEqual(['deploy/s001']);
    expect(s.consumers.map((c) => c.component)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    // Only that stack's components were merged (5 deployable ones, plus the lookup's own).
    expect(new Set(spy.mock.calls.map((c) => c[0]))).toEqual(new Set(['deploy/s001']));
  });

  it("a global secret reaches the same coordinate in every stack, not another store's", async () => {
    const { svc } = await workspace(4);
    const s = svc.consumers({ stack: 'deploy/s000', component: 'c0', name: 'GLOBAL' });
    expect(s.stacks).toHaveLength(4);
    expect(s.consumers).toHaveLength(16);
    expect(s.consumers.every((c) => c.component !== 'c4' && c.component !== 'base')).toBe(true);
    const other = svc.consumers({ stack: 'deploy/s000', component: 'c4', name: 'GLOBAL' });
    expect(other.consumers).toHaveLength(4);
  });

  it('indexes every stack once per workspace load', async () => {
    const { svc } = await workspace(5);
    svc.consumers({ stack: 'deploy/s000', component: 'c0', name: 'GLOBAL' });
    const spy = vi.spyOn(svc.workspace, 'componentConfig');
    for (let i = 0; i < 5; i++) svc.consumers({ stack: `deploy/s00${i}`, component: 'c1', name: 'GLOBAL' });
    expect(spy).not.toHaveBeenCalled();
  });

  it('an instance secret has one consumer', async () => {
    const { svc } = await workspace(2);
    expect(svc.consumers({ stack: 'deploy/s000', component: 'c2', name: 'OWN' }).consumers).toEqual([
      { stack: 'deploy/s000', component: 'c2', secret: 'OWN', scope: 'instance' },
    ]);
  });
});
