// Stacks and their components as an ARIA tree, virtualized: only the items in view are in the DOM, so a
// 1,000-stack x 50-component estate (51,000 items) scrolls like a short list. Keyboard as the WAI-ARIA tree
// pattern: one Tab stop, Up/Down/Home/End move, Right expands or enters, Left collapses or leaves, Enter or
// Space selects. Moving the focus scrolls the item into view first, so it is rendered when focused.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { StackListing } from '../../../shared/ipc/contract';
import { flattenTree, parentIndex, type TreeItem } from './tree-items';

export interface Selection {
  readonly stack: string;
  readonly component: string;
}

const ITEM_PX = 30;

export function StackTree(props: {
  stacks: readonly StackListing[];
  selected: Selection | null;
  onSelect: (s: Selection) => void;
}): ReactNode {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState('');
  const items = useMemo(() => flattenTree(props.stacks, collapsed, filter), [props.stacks, collapsed, filter]);
  const [active, setActive] = useState(0);
  const current = Math.min(active, Math.max(items.length - 1, 0));
  const scroller = useRef<HTMLDivElement>(null);
  /** Set when the keyboard moved the focus, so the effect below focuses the new item once it is drawn. */
  const moved = useRef(false);
  // The app does not run the React Compiler, whose memoization this rule guards; the virtualizer is used as documented.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ITEM_PX,
    getItemKey: (i) => items[i]?.key ?? i,
    overscan: 10,
  });

  useEffect(() => {
    if (!moved.current) return;
    const el = scroller.current?.querySelector<HTMLElement>(`[data-index="${current}"]`);
    // Far moves (End, PageDown) draw the item only after the scroll they caused: try again on that render.
    if (!el) return;
    moved.current = false;
    el.focus();
  });

  const toggle = (stack: string): void =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (!next.delete(stack)) next.add(stack);
      return next;
    });

  function focusItem(index: number): void {
    const i = Math.max(0, Math.min(index, items.length - 1));
    moved.current = true;
    virtualizer.scrollToIndex(i);
    setActive(i);
  }

  /** A new filter shows a new list: start it from the top. */
  function changeFilter(next: string): void {
    setFilter(next);
    setActive(0);
    virtualizer.scrollToOffset(0);
  }

  function activate(item: TreeItem): void {
    if (item.kind === 'stack') toggle(item.stack.name);
    else props.onSelect({ stack: item.stack, component: item.component.name });
  }

  function onKeyDown(e: KeyboardEvent): void {
    const item = items[current];
    if (!item) return;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 0) / ITEM_PX) - 1);
    switch (e.key) {
      case 'ArrowDown':
        focusItem(current + 1);
        break;
      case 'ArrowUp':
        focusItem(current - 1);
        break;
      case 'PageDown':
        focusItem(current + page);
        break;
      case 'PageUp':
        focusItem(current - page);
        break;
      case 'Home':
        focusItem(0);
        break;
      case 'End':
        focusItem(items.length - 1);
        break;
      case 'ArrowRight':
        if (item.kind === 'stack' && !item.expanded) toggle(item.stack.name);
        else if (item.kind === 'stack') focusItem(current + 1);
        break;
      case 'ArrowLeft':
        if (item.kind === 'stack' && item.expanded) toggle(item.stack.name);
        else focusItem(parentIndex(items, current));
        break;
      case 'Enter':
      case ' ':
        activate(item);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  const visible = virtualizer.getVirtualItems();
  const before = visible[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (visible.at(-1)?.end ?? 0);

  return (
    <div className="tree-panel">
      {/* type="search": the shell's Ctrl+F focuses the page's search field (App.tsx), not the palette. */}
      <input
        type="search"
        placeholder="Filter stacks and components"
        aria-label="Filter stacks and components"
        value={filter}
        onChange={(e) => changeFilter(e.target.value)}
        data-testid="tree-filter"
      />
      <div
        className="tree virtual-scroll"
        ref={scroller}
        role="tree"
        aria-label="Stacks and components"
        data-testid="stack-tree"
        onKeyDown={onKeyDown}
      >
        {items.length === 0 ? <div className="muted tree-empty">Nothing matches the filter.</div> : null}
        {before > 0 ? <div aria-hidden="true" style={{ height: before }} /> : null}
        {visible.map((v) => {
          const item = items[v.index];
          if (!item) return null;
          const isActive = v.index === current;
          const common = {
            role: 'treeitem',
            'data-index': v.index,
            tabIndex: isActive ? 0 : -1,
            'aria-setsize': item.setsize,
            'aria-posinset': item.posinset,
            onClick: () => {
              setActive(v.index);
              activate(item);
            },
            onFocus: () => setActive(v.index),
          } as const;
          if (item.kind === 'stack') {
            return (
              <div
                key={v.key}
                {...common}
                aria-level={1}
                aria-expanded={item.expanded}
                className="tree-stack-name"
                title={item.stack.manifest}
                data-stack={item.stack.name}
              >
                <span className="twisty" aria-hidden="true">
                  {item.expanded ? '▾' : '▸'}
                </span>
                {item.stack.name}
              </div>
            );
          }
          const selected = props.selected?.stack === item.stack && props.selected.component === item.component.name;
          return (
            <div
              key={v.key}
              {...common}
              aria-level={2}
              aria-selected={selected}
              className={selected ? 'tree-item active' : 'tree-item'}
              data-stack={item.stack}
              data-component={item.component.name}
            >
              {item.component.name}
              {item.component.abstract ? <span className="badge">abstract</span> : null}
            </div>
          );
        })}
        {after > 0 ? <div aria-hidden="true" style={{ height: after }} /> : null}
      </div>
    </div>
  );
}
