// The secrets table, virtualized: a real <table> whose body holds only the rows in view (plus a few either
// side), with spacer rows standing in for the rest, so 10,000 rows cost what 20 do. `aria-rowcount` and
// `aria-rowindex` tell assistive technology the full size. Tabbing onto the last rendered row scrolls it into
// view, which renders the next ones, so keyboard users reach every row.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode } from 'react';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import { RevealValue } from './RevealValue';

const COLUMNS = 6;
/** A row's height before it is measured: one line, no description. */
const ESTIMATED_ROW_PX = 45;

export function rowKey(r: SecretRow): string {
  return `${r.component}/${r.secret}`;
}

export function SecretRows(props: { rows: readonly SecretRow[]; onSet: (r: SecretRow) => void; onDelete: (r: SecretRow) => void }): ReactNode {
  const { rows } = props;
  const scroller = useRef<HTMLDivElement>(null);
  // The app does not run the React Compiler, whose memoization this rule guards; the virtualizer is used as documented.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    getItemKey: (i) => (rows[i] ? rowKey(rows[i]) : i),
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <div className="virtual-scroll table-scroll" ref={scroller} data-testid="secrets-scroll">
      <table className="table" data-testid="secrets-table" aria-rowcount={rows.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">Secret</th>
            <th scope="col">Component</th>
            <th scope="col">Scope</th>
            <th scope="col">Provider</th>
            <th scope="col">Status</th>
            <th scope="col" className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {before > 0 ? <Spacer height={before} /> : null}
          {items.map((item) => {
            const r = rows[item.index];
            if (!r) return null;
            return (
              <tr
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                aria-rowindex={item.index + 2}
                data-testid="secret-row"
                data-secret={r.secret}
              >
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
                  <RevealValue row={r} />{' '}
                  <button type="button" className="ghost" onClick={() => props.onDelete(r)} aria-label={`Delete ${r.secret}`}>
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
          {after > 0 ? <Spacer height={after} /> : null}
        </tbody>
      </table>
    </div>
  );
}

/** Stands in for the rows out of view, so the scrollbar reflects the whole table. Not a row to anyone. */
function Spacer({ height }: { height: number }): ReactNode {
  return (
    <tr className="spacer" aria-hidden="true" role="presentation">
      <td colSpan={COLUMNS} style={{ height }} />
    </tr>
  );
}
