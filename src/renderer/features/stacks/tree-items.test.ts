import { describe, expect, it } from 'vitest';
import { stackListing } from '../../test-support/rows';
import { flattenTree, parentIndex, type TreeItem } from './tree-items';

const STACKS = [stackListing('plat-ue2-dev', ['api', 'worker'], ['base']), stackListing('plat-ue2-prod', ['api'])];
const labels = (items: readonly TreeItem[]): string[] =>
  items.map((i) =>
    i.kind === 'stack'
      ? `${i.stack.name}${i.expanded ? '' : ' +'}`
      : `  ${i.component.name} ${i.posinset}/${i.setsize}`,
  );

describe('flattenTree', () => {
  it('lists every stack, expanded, with its components and their positions', () => {
    expect(labels(flattenTree(STACKS, new Set()))).toEqual([
      'plat-ue2-dev',
      '  api 1/3',
      '  worker 2/3',
      '  base 3/3',
      'plat-ue2-prod',
      '  api 1/1',
    ]);
  });

  it('leaves out the components of a collapsed stack', () => {
    expect(labels(flattenTree(STACKS, new Set(['plat-ue2-dev'])))).toEqual([
      'plat-ue2-dev +',
      'plat-ue2-prod',
      '  api 1/1',
    ]);
  });

  it('filters by stack name (all its components) or component name (only those), ignoring case', () => {
    expect(labels(flattenTree(STACKS, new Set(), 'PROD'))).toEqual(['plat-ue2-prod', '  api 1/1']);
    expect(labels(flattenTree(STACKS, new Set(), 'work'))).toEqual(['plat-ue2-dev', '  worker 1/1']);
    expect(flattenTree(STACKS, new Set(), 'nothing')).toEqual([]);
  });

  it('shows matches inside a collapsed stack while filtering', () => {
    expect(labels(flattenTree(STACKS, new Set(['plat-ue2-dev']), 'worker'))).toEqual(['plat-ue2-dev', '  worker 1/1']);
  });

  it('numbers stacks within the shown set', () => {
    const items = flattenTree(STACKS, new Set(['plat-ue2-dev', 'plat-ue2-prod']));
    expect(items.map((i) => [i.posinset, i.setsize])).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it('finds the stack that holds an item', () => {
    const items = flattenTree(STACKS, new Set());
    expect(parentIndex(items, 3)).toBe(0);
    expect(parentIndex(items, 5)).toBe(4);
    expect(parentIndex(items, 4)).toBe(4);
  });
});
