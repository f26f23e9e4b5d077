// Virtualized table rows, shared by the secrets table and the validation report: the body holds only the rows
// in view (plus `overscan` either side) and two spacer rows stand in for the rest, so the <table> keeps its
// native semantics and the scrollbar reflects the whole list. Give the table `aria-rowcount` and each row
// `aria-rowindex` so assistive technology knows the full size.
import { useVirtualizer, type VirtualItem, type Virtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode, type RefObject } from 'react';

export interface VirtualRows {
  /** Put on the scrolling box (give it the `virtual-scroll` class). */
  readonly scroller: RefObject<HTMLDivElement | null>;
  /** The rows to draw now. */
  readonly items: readonly VirtualItem[];
  /** Heights of the spacers before and after the drawn rows. */
  readonly before: number;
  readonly after: number;
  /** Put on each drawn row (with `data-index`) so its real height is used. */
  readonly measure: Virtualizer<HTMLDivElement, Element>['measureElement'];
}

export function useVirtualRows(
  count: number,
  keyOf: (index: number) => string | number,
  estimatePx: number,
  overscan = 8,
): VirtualRows {
  const scroller = useRef<HTMLDivElement>(null);
  // The app does not run the React Compiler, whose memoization this rule guards; the virtualizer is used as documented.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => estimatePx,
    getItemKey: keyOf,
    overscan,
  });
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return { scroller, items, before, after, measure: virtualizer.measureElement };
}

/**
 * A virtualized table in its scrolling box: `headers` (the <th> cells of the one header row) over the rows
 * (`VirtualTableBody`), with `aria-rowcount` counting the header row.
 */
export function VirtualTable<T>(props: {
  rows: readonly T[];
  /** A row's stable key (`useVirtualRows`' `keyOf`). */
  rowKey: (row: T, index: number) => string | number;
  /** A row's height before it is measured. */
  estimatePx: number;
  columns: number;
  headers: ReactNode;
  tableTestId: string;
  scrollTestId?: string;
  rowTestId: string;
  rowData?: (row: T) => Readonly<Record<`data-${string}`, string>>;
  cells: (row: T) => ReactNode;
}): ReactNode {
  const { rows, rowKey } = props;
  const { scroller, ...virtual } = useVirtualRows(
    rows.length,
    (i) => {
      const row = rows[i];
      return row === undefined ? i : rowKey(row, i);
    },
    props.estimatePx,
  );
  return (
    <div className="virtual-scroll table-scroll" ref={scroller} data-testid={props.scrollTestId}>
      <table className="table" data-testid={props.tableTestId} aria-rowcount={rows.length + 1}>
        <thead>
          <tr aria-rowindex={1}>{props.headers}</tr>
        </thead>
        <VirtualTableBody
          rows={rows}
          virtual={virtual}
          columns={props.columns}
          rowTestId={props.rowTestId}
          rowData={props.rowData}
          cells={props.cells}
        />
      </table>
    </div>
  );
}

/**
 * The <tbody> of a virtualized table: the spacers and the rows in view, each carrying what `useVirtualRows` needs
 * (`ref`, `data-index`) and its `aria-rowindex` (the header row is 1). `rowData` adds `data-*` attributes to a row.
 */
function VirtualTableBody<T>(props: {
  rows: readonly T[];
  /** What `useVirtualRows` returns, but the scroller's ref (which goes on the scrolling box). */
  virtual: Omit<VirtualRows, 'scroller'>;
  columns: number;
  rowTestId: string;
  rowData?: (row: T) => Readonly<Record<`data-${string}`, string>>;
  cells: (row: T) => ReactNode;
}): ReactNode {
  const { rows, virtual, columns } = props;
  return (
    <tbody>
      <SpacerRow height={virtual.before} columns={columns} />
      {virtual.items.map((item) => {
        const row = rows[item.index];
        if (row === undefined) return null;
        return (
          <tr
            key={item.key}
            ref={virtual.measure}
            data-index={item.index}
            aria-rowindex={item.index + 2}
            data-testid={props.rowTestId}
            {...props.rowData?.(row)}
          >
            {props.cells(row)}
          </tr>
        );
      })}
      <SpacerRow height={virtual.after} columns={columns} />
    </tbody>
  );
}

/** Stands in for rows out of view. Not a row to anyone. */
export function SpacerRow({ height, columns }: { height: number; columns: number }): ReactNode {
  if (height <= 0) return null;
  return (
    <tr className="spacer" aria-hidden="true" role="presentation">
      <td colSpan={columns} style={{ height }} />
    </tr>
  );
}
