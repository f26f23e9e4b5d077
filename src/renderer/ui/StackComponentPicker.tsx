// The stack and component selects the secrets and validate pages share. A stack of '' means "all stacks"
// when `allStacks` is offered; a component of '' always means "all components".
import type { ReactNode } from 'react';
import type { StackListing } from '../../shared/ipc/contract';

export interface Picked {
  readonly stack: string;
  readonly component: string;
}

export function StackComponentPicker(props: {
  stacks: readonly StackListing[];
  value: Picked;
  onChange: (p: Picked) => void;
  allStacks?: boolean;
  testIds: { stack: string; component: string };
}): ReactNode {
  const { stack, component } = props.value;
  const components = props.stacks.find((s) => s.name === stack)?.components.filter((c) => !c.abstract) ?? [];
  return (
    <>
      <label>
        Stack{' '}
        <select
          value={stack}
          onChange={(e) => props.onChange({ stack: e.target.value, component: '' })}
          data-testid={props.testIds.stack}
        >
          {props.allStacks ? <option value="">All stacks</option> : null}
          {props.stacks.map((s) => (
            <option key={s.name}>{s.name}</option>
          ))}
        </select>
      </label>
      <label>
        Component{' '}
        <select
          value={component}
          onChange={(e) => props.onChange({ stack, component: e.target.value })}
          disabled={!stack}
          data-testid={props.testIds.component}
        >
          <option value="">All components</option>
          {components.map((c) => (
            <option key={`${c.type}/${c.name}`} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
