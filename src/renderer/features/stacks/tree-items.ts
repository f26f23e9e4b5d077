// The stack tree as a flat list of visible items (stacks, then their components when expanded), which is what a
// virtualized tree draws. Pure, so tests pin the flattening, the filter and the keyboard moves.
import type { StackListing } from '../../../shared/ipc/contract';

type ComponentListing = StackListing['components'][number];

export type TreeItem =
  | {
      readonly kind: 'stack';
      readonly key: string;
      readonly stack: StackListing;
      readonly expanded: boolean;
      readonly posinset: number;
      readonly setsize: number;
    }
  | {
      readonly kind: 'component';
      readonly key: string;
      readonly stack: string;
      readonly component: ComponentListing;
      readonly posinset: number;
      readonly setsize: number;
    };

/**
 * The visible items. A stack is expanded unless it is in `collapsed`. With a filter (case-insensitive
 * substring), a stack whose name matches keeps all its components; otherwise only matching components show,
 * and stacks with none are left out.
 */
export function flattenTree(stacks: readonly StackListing[], collapsed: ReadonlySet<string>, filter = ''): TreeItem[] {
  const f = filter.trim().toLowerCase();
  const shown: { stack: StackListing; components: readonly ComponentListing[] }[] = [];
  for (const stack of stacks) {
    if (!f || stack.name.toLowerCase().includes(f)) {
      shown.push({ stack, components: stack.components });
      continue;
    }
    const components = stack.components.filter((c) => c.name.toLowerCase().includes(f));
    if (components.length > 0) shown.push({ stack, components });
  }
  const items: TreeItem[] = [];
  shown.forEach(({ stack, components }, i) => {
    // A filter shows matches even inside a stack the person collapsed: hiding them would look like no match.
    const expanded = f !== '' || !collapsed.has(stack.name);
    items.push({ kind: 'stack', key: `s:${stack.name}`, stack, expanded, posinset: i + 1, setsize: shown.length });
    if (!expanded) return;
    components.forEach((component, j) =>
      items.push({
        kind: 'component',
        key: `c:${stack.name}/${component.type}/${component.name}`,
        stack: stack.name,
        component,
        posinset: j + 1,
        setsize: components.length,
      }),
    );
  });
  return items;
}

/** The index of the stack item that holds item `index` (itself for a stack). */
export function parentIndex(items: readonly TreeItem[], index: number): number {
  for (let i = index; i >= 0; i--) if (items[i]?.kind === 'stack') return i;
  return 0;
}
