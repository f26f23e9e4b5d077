// The consumers graph's layout: one node per secret, stack and component, edges secret -> stack -> component,
// laid out left to right without overlaps.
import { describe, expect, it } from 'vitest';
import { layoutConsumers, NODE_SIZE } from './consumer-graph';

const REPORT = {
  secret: 'DATADOG_API_KEY',
  scope: 'global' as const,
  where: 'store "keychain" (keychain) at atmos-demo/DATADOG_API_KEY',
  stacks: [
    { stack: 'plat-ue2-dev', components: ['api', 'worker'] },
    { stack: 'plat-ue2-prod', components: ['api'] },
  ],
};

describe('layoutConsumers', () => {
  it('makes secret -> stacks -> components with the path on the secret', () => {
    const { nodes, edges } = layoutConsumers(REPORT);
    expect(nodes.map((n) => n.id).sort()).toEqual([
      'component:plat-ue2-dev/api',
      'component:plat-ue2-dev/worker',
      'component:plat-ue2-prod/api',
      'secret',
      'stack:plat-ue2-dev',
      'stack:plat-ue2-prod',
    ]);
    expect(edges.map((e) => `${e.source}->${e.target}`).sort()).toEqual([
      'secret->stack:plat-ue2-dev',
      'secret->stack:plat-ue2-prod',
      'stack:plat-ue2-dev->component:plat-ue2-dev/api',
      'stack:plat-ue2-dev->component:plat-ue2-dev/worker',
      'stack:plat-ue2-prod->component:plat-ue2-prod/api',
    ]);
    expect(nodes.find((n) => n.id === 'secret')?.data).toEqual({
      label: 'DATADOG_API_KEY (global)',
      kind: 'secret',
      where: REPORT.where,
    });
  });

  it('places each rank to the right of the one before, and no two nodes overlap', () => {
    const { nodes } = layoutConsumers(REPORT);
    const x = (kind: string): number[] => nodes.filter((n) => n.data.kind === kind).map((n) => n.position.x);
    const right = (kind: 'secret' | 'stack'): number => Math.max(...x(kind)) + NODE_SIZE[kind].width;
    expect(Math.min(...x('stack'))).toBeGreaterThan(right('secret'));
    expect(Math.min(...x('component'))).toBeGreaterThan(right('stack'));
    for (const a of nodes) {
      for (const b of nodes) {
        if (a === b) continue;
        const apart =
          a.position.x + (a.width ?? 0) <= b.position.x ||
          b.position.x + (b.width ?? 0) <= a.position.x ||
          a.position.y + (a.height ?? 0) <= b.position.y ||
          b.position.y + (b.height ?? 0) <= a.position.y;
        expect({ a: a.id, b: b.id, apart }).toEqual({ a: a.id, b: b.id, apart: true });
      }
    }
  });
});
