// The in-memory SOPS tree, format-neutral, as sops models it: documents of ordered map items, lists, scalar
// leaves and comments. Ints are bigint (Go int64 without loss), floats are number, so the two never blur.

/** A comment line (text after `#`, leading space kept). In a map it is an item; in a list an element. */
export class SopsComment {
  constructor(
    readonly value: string,
    readonly inline: boolean = false,
  ) {}
}

/** A YAML timestamp, held as the RFC 3339 text Go's `time.MarshalText` would write. */
export class SopsTime {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A leaf: str (string, or raw bytes when not UTF-8), int (bigint), float (number), bool, null, time. */
export type SopsLeaf = string | Uint8Array | bigint | number | boolean | null | SopsTime;

export interface SopsEntry {
  readonly key: string;
  value: SopsNode;
}

export type SopsMapItem = SopsEntry | SopsComment;

export interface SopsMap {
  readonly kind: 'map';
  items: SopsMapItem[];
}

export interface SopsList {
  readonly kind: 'list';
  items: (SopsNode | SopsComment)[];
}

export type SopsNode = SopsLeaf | SopsMap | SopsList;

export function newMap(items: SopsMapItem[] = []): SopsMap {
  return { kind: 'map', items };
}

export function newList(items: (SopsNode | SopsComment)[] = []): SopsList {
  return { kind: 'list', items };
}

export function isSopsMap(n: unknown): n is SopsMap {
  return typeof n === 'object' && n !== null && (n as { kind?: unknown }).kind === 'map' && !(n instanceof Uint8Array);
}

export function isSopsList(n: unknown): n is SopsList {
  return typeof n === 'object' && n !== null && (n as { kind?: unknown }).kind === 'list' && !(n instanceof Uint8Array);
}

export function isEntry(i: SopsMapItem): i is SopsEntry {
  return !(i instanceof SopsComment);
}

export function isLeaf(n: SopsNode): n is SopsLeaf {
  return !isSopsMap(n) && !isSopsList(n);
}

/** The entry under `key` in a map (the first, should a tolerant store have kept duplicates). */
export function getEntry(map: SopsMap, key: string): SopsEntry | undefined {
  for (const item of map.items) if (isEntry(item) && item.key === key) return item;
  return undefined;
}

/** The node at a key path, or undefined. */
export function getPath(map: SopsMap, path: readonly string[]): SopsNode | undefined {
  let cur: SopsNode = map;
  for (const key of path) {
    if (!isSopsMap(cur)) return undefined;
    const e = getEntry(cur, key);
    if (!e) return undefined;
    cur = e.value;
  }
  return cur;
}

/** Sets the value at a key path, creating maps on the way; an existing entry keeps its place. */
export function setPath(map: SopsMap, path: readonly string[], value: SopsNode): void {
  if (path.length === 0) throw new Error('setPath needs a non-empty key path');
  let cur = map;
  for (const [i, key] of path.entries()) {
    const last = i === path.length - 1;
    const e = getEntry(cur, key);
    if (last) {
      if (e) e.value = value;
      else cur.items.push({ key, value });
      return;
    }
    if (e && isSopsMap(e.value)) cur = e.value;
    else {
      const child = newMap();
      if (e) e.value = child;
      else cur.items.push({ key, value: child });
      cur = child;
    }
  }
}

/** Removes the entry at a key path; true when something was removed. Emptied parent maps are kept. */
export function deletePath(map: SopsMap, path: readonly string[]): boolean {
  if (path.length === 0) return false;
  const parent = path.length === 1 ? map : getPath(map, path.slice(0, -1));
  if (!isSopsMap(parent)) return false;
  const key = path[path.length - 1];
  const idx = parent.items.findIndex((i) => isEntry(i) && i.key === key);
  if (idx < 0) return false;
  parent.items.splice(idx, 1);
  return true;
}

/** A deep copy, so the encrypted and plaintext trees never share mutable nodes. */
export function cloneNode<T extends SopsNode>(n: T): T {
  if (isSopsMap(n)) {
    return newMap(n.items.map((i) => (isEntry(i) ? { key: i.key, value: cloneNode(i.value) } : i))) as T;
  }
  if (isSopsList(n)) return newList(n.items.map((i) => (i instanceof SopsComment ? i : cloneNode(i)))) as T;
  return n;
}

/** Plain JS for a subtree (comments dropped, ints as number when safe else string): for metadata and display. */
export function toPlain(n: SopsNode): unknown {
  if (isSopsMap(n)) {
    const out: Record<string, unknown> = {};
    for (const i of n.items) if (isEntry(i)) out[i.key] = toPlain(i.value);
    return out;
  }
  if (isSopsList(n)) return n.items.filter((i) => !(i instanceof SopsComment)).map((i) => toPlain(i as SopsNode));
  if (typeof n === 'bigint') return Number.isSafeInteger(Number(n)) ? Number(n) : n.toString();
  if (n instanceof SopsTime) return n.text;
  return n;
}

/**
 * The tree form of plain JS (metadata, or a caller's object); objects keep their key order. A JS number
 * that is a safe integer becomes an int (as YAML `5432` would), any other number a float; a Date a time.
 */
export function fromPlain(v: unknown): SopsNode {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0)) return BigInt(v);
  if (v instanceof Date) return new SopsTime(v.toISOString().replace(/\.000Z$/, 'Z'));
  if (Array.isArray(v)) return newList(v.map(fromPlain));
  if (v instanceof Uint8Array || v instanceof SopsTime) return v;
  if (isSopsMap(v) || isSopsList(v)) return v;
  if (typeof v === 'object') {
    return newMap(
      Object.entries(v as Record<string, unknown>).map(([key, value]) => ({ key, value: fromPlain(value) })),
    );
  }
  if (typeof v === 'string' || typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new Error(`cannot put a ${typeof v} into a SOPS tree`);
}

/** Structural equality with types (an int 1 is not a float 1); comments count. */
export function sameNode(a: SopsNode | SopsComment, b: SopsNode | SopsComment): boolean {
  if (a instanceof SopsComment || b instanceof SopsComment) {
    return a instanceof SopsComment && b instanceof SopsComment && a.value === b.value && a.inline === b.inline;
  }
  if (isSopsMap(a) || isSopsMap(b)) {
    if (!isSopsMap(a) || !isSopsMap(b) || a.items.length !== b.items.length) return false;
    return a.items.every((x, i) => {
      const y = b.items[i];
      if (isEntry(x) && isEntry(y)) return x.key === y.key && sameNode(x.value, y.value);
      return !isEntry(x) && !isEntry(y) && sameNode(x, y);
    });
  }
  if (isSopsList(a) || isSopsList(b)) {
    if (!isSopsList(a) || !isSopsList(b) || a.items.length !== b.items.length) return false;
    return a.items.every((x, i) => sameNode(x, b.items[i]));
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.from(a).equals(Buffer.from(b));
  }
  if (a instanceof SopsTime || b instanceof SopsTime) {
    return a instanceof SopsTime && b instanceof SopsTime && a.text === b.text;
  }
  return typeof a === typeof b && Object.is(a, b);
}
