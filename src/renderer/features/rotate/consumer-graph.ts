// The consumers graph's layout: secret -> stacks -> components, placed left to right by dagre (a well-kept
// layered-graph layout), as React Flow nodes and edges. Pure, so it is tested without a browser.
import { Graph, layout } from '@dagrejs/dagre';
import type { Edge, Node } from '@xyflow/react';
import type { ConsumersReport } from '../../../shared/ipc/rotate-contract';

export type GraphNodeKind = 'secret' | 'stack' | 'component';

export interface GraphNodeData extends Record<string, unknown> {
  readonly label: string;
  readonly kind: GraphNodeKind;
  /** The secret's backend path, on its own node. */
  readonly where?: string;
}

export type ConsumerNode = Node<GraphNodeData>;

/** Node sizes given to the layout; the CSS draws nodes at these sizes (rotate.css). */
export const NODE_SIZE: Readonly<Record<GraphNodeKind, { width: number; height: number }>> = {
  secret: { width: 240, height: 64 },
  stack: { width: 200, height: 40 },
  component: { width: 160, height: 36 },
};

export function layoutConsumers(r: Pick<ConsumersReport, 'secret' | 'scope' | 'where' | 'stacks'>): {
  nodes: ConsumerNode[];
  edges: Edge[];
} {
  const g = new Graph<
    { rankdir: string; nodesep: number; ranksep: number },
    { width: number; height: number; x?: number; y?: number }
  >();
  g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 72 });
  g.setDefaultEdgeLabel(() => ({}));
  const data = new Map<string, GraphNodeData>();
  const edges: Edge[] = [];
  const add = (id: string, d: GraphNodeData): void => {
    data.set(id, d);
    g.setNode(id, { ...NODE_SIZE[d.kind] });
  };
  const link = (source: string, target: string): void => {
    g.setEdge(source, target);
    edges.push({ id: `${source}->${target}`, source, target });
  };
  const secretId = 'secret';
  add(secretId, { label: `${r.secret} (${r.scope})`, kind: 'secret', where: r.where });
  for (const s of r.stacks) {
    const stackId = `stack:${s.stack}`;
    add(stackId, { label: s.stack, kind: 'stack' });
    link(secretId, stackId);
    for (const c of s.components) {
      const componentId = `component:${s.stack}/${c}`;
      add(componentId, { label: c, kind: 'component' });
      link(stackId, componentId);
    }
  }
  layout(g);
  const nodes = [...data].map(([id, d]): ConsumerNode => {
    const p = g.node(id);
    if (p.x === undefined || p.y === undefined) throw new Error(`the layout placed no node ${id}`);
    const size = NODE_SIZE[d.kind];
    // dagre gives centres; React Flow places nodes by their top-left corner.
    return {
      id,
      type: 'consumer',
      position: { x: p.x - size.width / 2, y: p.y - size.height / 2 },
      data: d,
      className: `graph-node graph-${d.kind}`,
      width: size.width,
      height: size.height,
      draggable: false,
      connectable: false,
    };
  });
  return { nodes, edges };
}
