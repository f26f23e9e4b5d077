// The consumers as a graph (secret -> stacks -> components), drawn by React Flow over dagre's layout
// (consumer-graph.ts). Read-only: nothing to drag or connect; pan and zoom for a large estate. Loaded on demand
// (React.lazy), so the graph library costs nothing until the person opens the graph.
import { Background, Controls, Handle, Position, ReactFlow, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo, type ReactNode } from 'react';
import type { ConsumersReport } from '../../../shared/ipc/rotate-contract';
import { layoutConsumers, type ConsumerNode } from './consumer-graph';
import './rotate.css';

function ConsumerNodeView({ data }: NodeProps<ConsumerNode>): ReactNode {
  return (
    <div className="graph-node-body" data-testid={`graph-${data.kind}`} data-label={data.label}>
      {data.kind !== 'secret' ? <Handle type="target" position={Position.Left} isConnectable={false} /> : null}
      <span className="graph-node-label">{data.label}</span>
      {data.where ? <span className="graph-node-where">{data.where}</span> : null}
      {data.kind !== 'component' ? <Handle type="source" position={Position.Right} isConnectable={false} /> : null}
    </div>
  );
}

const NODE_TYPES = { consumer: ConsumerNodeView };

export default function ConsumersGraph({ report }: { report: ConsumersReport }): ReactNode {
  const { nodes, edges } = useMemo(() => layoutConsumers(report), [report]);
  return (
    <div
      className="consumers-graph"
      data-testid="consumers-graph"
      role="group"
      aria-label={`${report.secret} reaches ${report.consumers.length} components in ${report.stacks.length} stacks`}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        fitView
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        minZoom={0.1}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
