// A secret's detail: where it is declared to live (the backend's own name for it, or its SOPS file and key) and,
// for 1Password, the `op://` reference rendered for this stack and component. Never the value: that is the
// row's Reveal.
import type { ReactNode } from 'react';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import { Dialog } from '../../ui/Dialog';

export function SecretDetail({ row, onClose }: { row: SecretRow; onClose: () => void }): ReactNode {
  const facts: [string, ReactNode][] = [
    ['Stack', <code key="s">{row.stack}</code>],
    ['Component', row.component === '*' ? <span key="c">whole stack</span> : <code key="c">{row.component}</code>],
    [
      'Scope',
      <span key="sc" className={`badge scope-${row.scope}`}>
        {row.scope}
      </span>,
    ],
    ['Provider', <code key="p">{row.provider}</code>],
    [
      'Status',
      <span key="st" className={`badge status-${row.status}`}>
        {row.status}
      </span>,
    ],
    ['Required', row.required ? 'yes' : 'no'],
  ];
  return (
    <Dialog title={row.secret} onClose={onClose} testId="secret-detail">
      {row.description ? <p className="muted">{row.description}</p> : null}
      <dl className="facts detail-facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
        {row.location ? (
          <div>
            <dt>Backend path</dt>
            <dd>
              <code className="break" data-testid="detail-location">
                {row.location}
              </code>
            </dd>
          </div>
        ) : null}
        {row.reference ? (
          <div>
            <dt>1Password reference</dt>
            <dd>
              <code className="break" data-testid="detail-reference">
                {row.reference}
              </code>
            </dd>
          </div>
        ) : null}
      </dl>
      <div className="row end">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
