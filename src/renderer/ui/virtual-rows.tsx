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

/** Stands in for rows out of view. Not a row to anyone. */
export function SpacerRow({ height, columns }: { height: number; columns: number }): ReactNode {
  if (height <= 0) return null;
  return (
    <tr className="spacer" aria-hidden="true" role="presentation">
      <td colSpan={columns} style={{ height }} />
    </tr>
  );
}
