// The part of a backend's namespace a store manages: every name its `locate()` can give starts with the store's
// root (`<prefix>/`, joined as the backend joins names), so a listing keeps exactly the names under the root,
// as whole segments: the root of prefix `atmos` is `atmos/`, which `atmosx/...` does not start with.
import { atmosJoin } from './naming/common';

export type LeadingSlash = 'keep' | 'force' | 'strip';

/**
 * The root of a `/`-joined backend name: what `atmosJoin([prefix, ...])` starts with for any path. `force`: the
 * backend always starts names with `/` (SSM); `strip`: it drops leading `/` (a Vault path inside its mount).
 */
export function managedRoot(prefix: string, leading: LeadingSlash = 'keep'): string {
  const root = atmosJoin([prefix, ''], '/');
  switch (leading) {
    case 'keep':
      return root;
    case 'force':
      return root.startsWith('/') ? root : `/${root}`;
    case 'strip':
      return root.replace(/^\/+/, '');
    default: {
      const never: never = leading;
      return never;
    }
  }
}

/** The segments of `name` below `root`, or undefined when the name is not under it (or is the root itself). */
export function segmentsUnder(name: string, root: string): string[] | undefined {
  if (!name.startsWith(root) || name.length === root.length) return undefined;
  return name.slice(root.length).split('/');
}

/** The page size a caller asked for, within what the backend allows. */
export function pageSizeWithin(asked: number | undefined, max: number): number {
  if (asked === undefined || !Number.isFinite(asked)) return max;
  return Math.min(max, Math.max(1, Math.floor(asked)));
}
