// Deep merge with Atmos' list strategies, copy-on-write: a merge never mutates its inputs and copies only the
// maps and lists on the path it changes, so imported documents (parsed once, shared by every stack) stay intact.
import { AppError } from '../../shared/errors';

export type ListMergeStrategy = 'replace' | 'append' | 'merge';

export const LIST_MERGE_STRATEGIES: readonly ListMergeStrategy[] = ['replace', 'append', 'merge'];

/** A plain mapping from parsed YAML (reference objects such as SecretRef are values, not mappings). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Check a `list_merge_strategy` value; throws CONFIG for anything else. */
export function toListMergeStrategy(v: unknown, where: string): ListMergeStrategy | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string' && (LIST_MERGE_STRATEGIES as readonly string[]).includes(v)) return v as ListMergeStrategy;
  throw new AppError('CONFIG', `invalid list_merge_strategy ${JSON.stringify(v)} in ${where}`, {
    hint: 'Use one of: replace, append, merge.',
  });
}

/**
 * One merge session. Objects it creates are "owned" and may be updated in place; anything else is copied
 * (shallowly, once) before it changes. Use a fresh Merger for each result you hand out.
 */
export class Merger {
  // A plain Set: a Merger lives for one result, and weak collections cost far more in garbage collection.
  private owned: Set<object> | undefined;

  constructor(readonly strategy: ListMergeStrategy = 'replace') {}

  /** Merge `src` over `dst` (later wins) and return the result. */
  merge(dst: unknown, src: unknown): unknown {
    if (src === undefined || src === null) return dst === undefined ? src : dst;
    if (isPlainObject(src)) {
      if (!isPlainObject(dst)) return src;
      const out = this.own(dst);
      for (const k of Object.keys(src)) {
        const s = src[k];
        const d = out[k];
        out[k] = d === undefined ? s : this.merge(d, s);
      }
      return out;
    }
    if (Array.isArray(src) && Array.isArray(dst)) {
      switch (this.strategy) {
        case 'replace':
          return src;
        case 'append': {
          const out = [...(dst as unknown[]), ...(src as unknown[])];
          (this.owned ??= new Set()).add(out);
          return out;
        }
        case 'merge': {
          // By index: maps deep-merge, and for scalars the earlier (destination) element is kept, as Atmos does.
          const out = [...(dst as unknown[])];
          (this.owned ??= new Set()).add(out);
          (src as unknown[]).forEach((s, i) => {
            if (i >= out.length) out.push(s);
            else if (isPlainObject(out[i]) && isPlainObject(s)) out[i] = this.merge(out[i], s);
          });
          return out;
        }
        default: {
          const never: never = this.strategy;
          return never;
        }
      }
    }
    return src;
  }

  /** Merge several layers in order. */
  mergeAll(layers: readonly unknown[]): unknown {
    let acc: unknown = undefined;
    for (const l of layers) acc = this.merge(acc, l);
    return acc;
  }

  /** A mapping this session may change: `v` itself when it made it, else a shallow copy. */
  own(v: Record<string, unknown>): Record<string, unknown> {
    if (this.owned?.has(v)) return v;
    const copy = { ...v };
    (this.owned ??= new Set()).add(copy);
    return copy;
  }
}

/** A fresh, fully independent copy of plain data (reference objects are kept as they are). */
export function deepClone<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x: unknown) => deepClone(x)) as T;
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = deepClone(v[k]);
    return out as T;
  }
  return v;
}
