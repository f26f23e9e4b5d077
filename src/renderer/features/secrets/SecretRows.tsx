// The secrets table, virtualized (ui/virtual-rows.tsx): a real <table> whose body holds only the rows in view,
// so 10,000 rows cost what 20 do. Tabbing onto the last drawn row scrolls it into view, which draws the next
// ones, so keyboard users reach every row. The scope and required badges sit under the name. The columns have
// fixed widths (secrets.css, table-layout: fixed): revealing a value draws in its own reserved cell and moves no
// column, and the actions column stays in view (sticky at the right edge) even at the window's minimum width.
import { useState, type ReactNode } from 'react';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import { VirtualTable } from '../../ui/virtual-rows';
import { RotateActions } from '../rotate/ConsumersDialog';
import { HistoryButton } from '../stores/HistoryDialog';
import { RevealValue } from './RevealValue';
import { SecretDetail } from './SecretDetail';
import './secrets.css';
import { DeclarationActions } from '../declare/DeclarationActions';
import { ExplainButton } from '../explain/ExplainDialog';

const COLUMNS = 6;
/** A row's height before it is measured: one line, no description. */
const ESTIMATED_ROW_PX = 45;

export function rowKey(r: SecretRow): string {
  return `${r.component}/${r.secret}`;
}

/** The row's main action: a value there is rotated, a missing one set (both open the Set dialog). */
function setVerb(r: SecretRow): 'Rotate' | 'Set' {
  return r.status === 'initialized' ? 'Rotate' : 'Set';
}

export function SecretRows(props: {
  rows: readonly SecretRow[];
  onSet: (r: SecretRow) => void;
  onDelete: (r: SecretRow) => void;
  /** A row's value changed outside the Set dialog (the Rotate wizard): the table lists again. */
  onChanged: () => void;
}): ReactNode {
  const [detail, setDetail] = useState<SecretRow | null>(null);
  return (
    <>
      <VirtualTable
        rows={props.rows}
        rowKey={rowKey}
        estimatePx={ESTIMATED_ROW_PX}
        columns={COLUMNS}
        headers={
          <>
            <th scope="col" className="col-secret">
              Secret
            </th>
            <th scope="col" className="col-component">
              Component
            </th>
            <th scope="col" className="col-provider">
              Provider
            </th>
            <th scope="col" className="col-status">
              Status
            </th>
            <th scope="col" className="col-value">
              Value
            </th>
            <th scope="col" className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </>
        }
        tableTestId="secrets-table"
        scrollTestId="secrets-scroll"
        rowTestId="secret-row"
        rowData={(r) => ({ 'data-secret': r.secret })}
        cells={(r) => (
          <>
            <td className="col-secret">
              <button
                type="button"
                className="link secret-name"
                onClick={() => setDetail(r)}
                aria-label={`Details of ${r.secret}`}
                title={r.location ? `${r.secret} · ${r.location}` : r.secret}
              >
                <code>{r.secret}</code>
              </button>
              <div className="badges">
                <span className={`badge scope-${r.scope}`} title={`${r.scope} scope`}>
                  {r.scope}
                </span>
                {r.required ? <span className="badge required">required</span> : null}
              </div>
              {r.description ? <div className="muted small clip">{r.description}</div> : null}
            </td>
            <td className="col-component">
              {r.component === '*' ? (
                <span className="muted">whole stack</span>
              ) : (
                <span title={r.component}>{r.component}</span>
              )}
            </td>
            <td className="col-provider">
              <code title={r.provider}>{r.provider}</code>
            </td>
            <td className="col-status">
              <span className={`badge status-${r.status}`} data-testid="secret-status">
                {r.status}
              </span>
            </td>
            <td className="col-value">
              <RevealValue row={r} />
            </td>
            <td className="actions">
              {/* The accessible name starts with the visible word (WCAG 2.5.3, axe label-content-name-mismatch). */}
              <button type="button" onClick={() => props.onSet(r)} aria-label={`${setVerb(r)} ${r.secret}`}>
                {setVerb(r)}
              </button>{' '}
              <HistoryButton row={r} /> <ExplainButton row={r} /> <RotateActions row={r} onChanged={props.onChanged} />{' '}
              <DeclarationActions row={r} />{' '}
              <button
                type="button"
                className="ghost"
                // Nothing to delete: the backend holds no value (an unchecked remote one may still be deleted).
                // aria-disabled, not disabled: the button stays in the Tab order, so keyboard users moving through
                // the virtualized rows reach the next ones, and hear why it does nothing.
                onClick={() => {
                  if (r.status !== 'missing') props.onDelete(r);
                }}
                aria-label={`Delete ${r.secret}`}
                aria-disabled={r.status === 'missing' ? true : undefined}
                title={r.status === 'missing' ? 'No value to delete' : undefined}
              >
                Delete
              </button>
            </td>
          </>
        )}
      />
      {detail ? <SecretDetail row={detail} onClose={() => setDetail(null)} /> : null}
    </>
  );
}
