// The secrets table, virtualized (ui/virtual-rows.tsx): a real <table> whose body holds only the rows in view,
// so 10,000 rows cost what 20 do. Tabbing onto the last drawn row scrolls it into view, which draws the next
// ones, so keyboard users reach every row.
import type { ReactNode } from 'react';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import { VirtualTable } from '../../ui/virtual-rows';
import { HistoryButton } from '../stores/HistoryDialog';
import { RevealValue } from './RevealValue';

const COLUMNS = 6;
/** A row's height before it is measured: one line, no description. */
const ESTIMATED_ROW_PX = 45;

export function rowKey(r: SecretRow): string {
  return `${r.component}/${r.secret}`;
}

export function SecretRows(props: {
  rows: readonly SecretRow[];
  onSet: (r: SecretRow) => void;
  onDelete: (r: SecretRow) => void;
}): ReactNode {
  return (
    <VirtualTable
      rows={props.rows}
      rowKey={rowKey}
      estimatePx={ESTIMATED_ROW_PX}
      columns={COLUMNS}
      headers={
        <>
          <th scope="col">Secret</th>
          <th scope="col">Component</th>
          <th scope="col">Scope</th>
          <th scope="col">Provider</th>
          <th scope="col">Status</th>
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
          <td>
            <code>{r.secret}</code>
            {r.required ? <span className="badge required">required</span> : null}
            {r.description ? <div className="muted small">{r.description}</div> : null}
          </td>
          <td>{r.component === '*' ? <span className="muted">whole stack</span> : r.component}</td>
          <td>
            <span className={`badge scope-${r.scope}`}>{r.scope}</span>
          </td>
          <td>
            <code>{r.provider}</code>
          </td>
          <td>
            <span className={`badge status-${r.status}`} data-testid="secret-status">
              {r.status}
            </span>
          </td>
          <td className="actions">
            <button type="button" onClick={() => props.onSet(r)} aria-label={`Set ${r.secret}`}>
              {r.status === 'initialized' ? 'Rotate' : 'Set'}
            </button>{' '}
            <RevealValue row={r} /> <HistoryButton row={r} />{' '}
            <button type="button" className="ghost" onClick={() => props.onDelete(r)} aria-label={`Delete ${r.secret}`}>
              Delete
            </button>
          </td>
        </>
      )}
    />
  );
}
