// Before a stack or global secret changes: everyone it reaches, and a confirmation that says so.
import type { ReactNode } from 'react';
import type { Consumer } from '../../../shared/ipc/secrets-contract';

export function ConsumersList(props: { scope: string; consumers: readonly Consumer[] }): ReactNode {
  const stacks = new Set(props.consumers.map((c) => c.stack));
  return (
    <div className="consumers" data-testid="consumers">
      <p>
        This is a <strong>{props.scope}</strong> secret: the change reaches{' '}
        <strong data-testid="consumers-count">
          {props.consumers.length} component{props.consumers.length === 1 ? '' : 's'} in {stacks.size} stack
          {stacks.size === 1 ? '' : 's'}
        </strong>
        .
      </p>
      <ul className="consumer-list">
        {props.consumers.map((c) => (
          <li key={`${c.stack}/${c.component}`}>
            <code>{c.stack}</code> / <code>{c.component}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
