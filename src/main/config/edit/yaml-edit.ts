// In-place YAML edits: each operation finds its node with the `yaml` package's parsed Document (node ranges
// are byte offsets into the source) and splices the smallest text change into the original string, so every
// byte outside the edit (comments, key order, anchors, flow style, other documents, CRLF, indentation) stays as
// it was. Re-serialising a Document would not: `yaml` normalises quoting, spacing and comment placement.
// Each call parses the text afresh, so calls compose: the output of one is the input of the next.
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  stringify,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { AppError } from '../../../shared/errors';
import { checkNesting } from '../bounded-input';

/** Where a mapping entry is: a document (0-based) and the keys from its root. */
export interface YamlPath {
  readonly doc: number;
  readonly keys: readonly string[];
}

/** A value to write: scalars, and plain objects of them (nested mappings). */
export type EditValue = string | number | boolean | null | { readonly [key: string]: EditValue | undefined };

type ParsedDoc = Document.Parsed;

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** The offset just past the end of the line holding `offset - 1` (past its newline), or the text's end. */
function afterLine(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function editError(file: string, message: string, line: number | undefined, hint: string): AppError {
  return new AppError('CONFIG', message, { location: line === undefined ? { file } : { file, line }, hint });
}

/** Every document of `text`; a file that does not parse is refused (an edit could not be placed safely). */
function parseDocs(text: string, file: string): ParsedDoc[] {
  // The parser recurses per nesting level: refuse absurd depth first, as the loader does.
  checkNesting(text, file);
  const docs = parseAllDocuments(text, { uniqueKeys: false, keepSourceTokens: false, prettyErrors: false });
  if (!Array.isArray(docs)) return [];
  for (const d of docs) {
    const err = d.errors[0];
    if (err) {
      throw new AppError('YAML', `${file} does not parse: ${err.message.split('\n')[0] ?? ''}`, {
        location: { file, line: lineOf(text, err.pos[0]) },
        hint: 'Fix the YAML at that line, then try again.',
      });
    }
  }
  return docs;
}

function keyText(p: Pair): string | undefined {
  const k = p.key;
  if (isScalar(k)) return String(k.value);
  return undefined;
}

function pairOf(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  for (const item of map.items) if (isPair(item) && keyText(item) === key) return item as Pair<Node, Node | null>;
  return undefined;
}

/** The indentation step the file uses for block mappings (default 2). */
function indentStep(text: string, docs: readonly ParsedDoc[]): number {
  let step: number | undefined;
  const visit = (n: unknown, parentCol: number | undefined): void => {
    if (step !== undefined) return;
    if (isMap(n) && !n.flow && n.range) {
      const col = columnOf(text, n.range[0]);
      if (parentCol !== undefined && col > parentCol) {
        step = col - parentCol;
        return;
      }
      for (const it of n.items) if (isPair(it)) visit(it.value, col);
    }
  };
  for (const d of docs) visit(d.contents, undefined);
  return step ?? 2;
}

/** A scalar as it may stand anywhere (block or flow): one line, quoted when it must be. */
function scalarSource(v: string | number | boolean | null): string {
  return stringify(v, { lineWidth: 0, blockQuote: false }).replace(/\n$/, '').replace(/\n/g, ' ');
}

function isObject(v: EditValue | undefined): v is { readonly [key: string]: EditValue | undefined } {
  return typeof v === 'object' && v !== null;
}

function defined(v: { readonly [key: string]: EditValue | undefined }): [string, EditValue][] {
  return Object.entries(v).filter((e): e is [string, EditValue] => e[1] !== undefined);
}

function keySource(k: string): string {
  return scalarSource(k);
}

/** `key: value` as block lines at `indent` (nested objects one `step` deeper), each ending with `eol`. */
function blockEntry(key: string, value: EditValue, indent: number, step: number, eol: string): string {
  const pad = ' '.repeat(indent);
  if (!isObject(value)) return `${pad}${keySource(key)}: ${scalarSource(value)}${eol}`;
  const entries = defined(value);
  if (entries.length === 0) return `${pad}${keySource(key)}: {}${eol}`;
  return `${pad}${keySource(key)}:${eol}${entries.map(([k, v]) => blockEntry(k, v, indent + step, step, eol)).join('')}`;
}

function flowValue(value: EditValue): string {
  if (!isObject(value)) return scalarSource(value);
  return `{ ${defined(value)
    .map(([k, v]) => `${keySource(k)}: ${flowValue(v)}`)
    .join(', ')} }`;
}

/** `keys[0]: {keys[1]: {... : value}}` */
function nest(keys: readonly string[], value: EditValue): EditValue {
  let v = value;
  for (let i = keys.length - 1; i >= 0; i--) v = { [keys[i] as string]: v };
  return v;
}

interface Walk {
  /** The deepest mapping reached and how many keys it took. */
  readonly map: YAMLMap | undefined;
  readonly depth: number;
  /** The pair whose value is null/empty where the walk stopped, if that is why. */
  readonly emptyPair: Pair<Node, Node | null> | undefined;
}

function walk(doc: ParsedDoc, keys: readonly string[], text: string, file: string): Walk {
  const node: unknown = doc.contents;
  if (node === null || (isScalar(node) && node.value === null))
    return { map: undefined, depth: 0, emptyPair: undefined };
  if (!isMap(node))
    throw editError(file, `${file}: the document is not a mapping`, undefined, 'Pick a stack manifest.');
  let map: YAMLMap = node;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const p = pairOf(map, key);
    if (!p) return { map, depth: i, emptyPair: undefined };
    const v = p.value;
    if (isAlias(v) || (v && 'anchor' in v && typeof v.anchor === 'string' && i < keys.length - 1)) {
      const at = v?.range ? lineOf(text, v.range[0]) : undefined;
      throw editError(
        file,
        `${file}: ${keys.slice(0, i + 1).join('.')} is ${isAlias(v) ? 'an alias' : 'an anchored node other places share'}; an edit there would change every place that uses it`,
        at,
        'Edit the anchored node by hand, or move the entry out of it.',
      );
    }
    if (v === null || (isScalar(v) && v.value === null)) {
      return i === keys.length - 1 ? { map, depth: i + 1, emptyPair: undefined } : { map, depth: i + 1, emptyPair: p };
    }
    if (i === keys.length - 1) return { map, depth: keys.length, emptyPair: undefined };
    if (!isMap(v)) {
      throw editError(
        file,
        `${file}: ${keys.slice(0, i + 1).join('.')} is not a mapping`,
        v.range ? lineOf(text, v.range[0]) : undefined,
        'Make it a mapping, or pick another file.',
      );
    }
    map = v;
  }
  return { map, depth: keys.length, emptyPair: undefined };
}

function docFor(docs: readonly ParsedDoc[], doc: number, file: string): ParsedDoc {
  const d = docs[doc];
  if (!d) throw editError(file, `${file} has no document ${doc + 1}`, undefined, 'Pick another file.');
  return d;
}

/** Inserts `key: value` as the last entry of `map`, in its style (block or flow). */
function insertInto(text: string, map: YAMLMap, key: string, value: EditValue, step: number): string {
  const eol = eolOf(text);
  const range = map.range as [number, number, number];
  if (map.flow) {
    const close = text.lastIndexOf('}', range[1] - 1);
    const entry = `${keySource(key)}: ${flowValue(value)}`;
    if (map.items.length === 0) return `${text.slice(0, close)}${entry}${text.slice(close)}`;
    const last = map.items[map.items.length - 1] as Pair<Node, Node | null>;
    const end = last.value?.range?.[1] ?? (last.key as Node).range?.[1] ?? close;
    return `${text.slice(0, end)}, ${entry}${text.slice(end)}`;
  }
  const indent = columnOf(text, range[0]);
  const at = afterLine(text, range[1]);
  const lead = at === text.length && text.length > 0 && !text.endsWith('\n') ? eol : '';
  return `${text.slice(0, at)}${lead}${blockEntry(key, value, indent, step, eol)}${text.slice(at)}`;
}

/** Puts a block under a `key:` that has no value yet (`key:`, `key: ~`, `key: null`). */
function fillEmpty(text: string, pair: Pair<Node, Node | null>, value: EditValue, step: number): string {
  const eol = eolOf(text);
  const keyNode = pair.key as Node;
  const keyStart = (keyNode.range as [number, number, number])[0];
  const indent = columnOf(text, keyStart);
  const v = pair.value;
  const colon = text.indexOf(':', (keyNode.range as [number, number, number])[1]);
  // Replace whatever follows the colon up to the end of the value (`~`, `null`, nothing), keep a comment.
  const valueEnd = v?.range ? v.range[1] : colon + 1;
  const rest = text.slice(valueEnd, afterLine(text, valueEnd));
  if (!isObject(value)) return `${text.slice(0, colon + 1)} ${scalarSource(value)}${text.slice(valueEnd)}`;
  const body = defined(value)
    .map(([k, x]) => blockEntry(k, x, indent + step, step, eol))
    .join('');
  const lineEnd = afterLine(text, valueEnd);
  const tail = rest.endsWith('\n') ? rest : `${rest}${eol}`;
  return `${text.slice(0, colon + 1)}${tail}${body}${text.slice(lineEnd)}`;
}

/**
 * Sets `path.keys` to `value`. A scalar replaces the old value's text in place; an object is merged key by key
 * (an `undefined` field removes that key); missing mappings on the way are added at the end of their parent,
 * in the file's indentation. Returns the new text.
 */
export function setIn(text: string, file: string, path: YamlPath, value: EditValue): string {
  const docs = parseDocs(text, file);
  const step = indentStep(text, docs);
  if (docs.length === 0 && path.doc === 0) {
    // No document at all (an empty file, or only comments): the nest goes at the end, at column 0.
    const [first, ...more] = path.keys;
    if (first === undefined) throw editError(file, `${file}: nothing to set`, undefined, 'Name a key.');
    const eol = eolOf(text);
    const lead = text.length > 0 && !text.endsWith('\n') ? eol : '';
    return `${text}${lead}${blockEntry(first, nest(more, value), 0, step, eol)}`;
  }
  const doc = docFor(docs, path.doc, file);
  const w = walk(doc, path.keys, text, file);
  if (w.emptyPair) return fillEmpty(text, w.emptyPair, nest(path.keys.slice(w.depth), value), step);
  if (!w.map) {
    // An empty document: the whole nest goes at its end, at column 0.
    const end = doc.range[1];
    const eol = eolOf(text);
    const lead = end > 0 && !text.slice(0, end).endsWith('\n') ? eol : '';
    const [first, ...more] = path.keys;
    if (first === undefined) throw editError(file, `${file}: nothing to set`, undefined, 'Name a key.');
    return `${text.slice(0, end)}${lead}${blockEntry(first, nest(more, value), 0, step, eol)}${text.slice(end)}`;
  }
  if (w.depth < path.keys.length) {
    const [first, ...more] = path.keys.slice(w.depth);
    return insertInto(text, w.map, first as string, nest(more, value), step);
  }
  const pair = pairOf(w.map, path.keys[path.keys.length - 1] as string) as Pair<Node, Node | null>;
  const old = pair.value;
  if (old === null || (isScalar(old) && old.value === null)) return fillEmpty(text, pair, value, step);
  if (isObject(value)) {
    if (isMap(old)) {
      let out = text;
      for (const [k, v] of Object.entries(value)) {
        const sub = { doc: path.doc, keys: [...path.keys, k] };
        out = v === undefined ? deleteIn(out, file, sub).text : setIn(out, file, sub, v);
      }
      return out;
    }
    throw editError(
      file,
      `${file}: ${path.keys.join('.')} is not a mapping`,
      old.range ? lineOf(text, old.range[0]) : undefined,
      'Make it a mapping by hand, or pick another file.',
    );
  }
  if (!isScalar(old) || !old.range) {
    throw editError(
      file,
      `${file}: ${path.keys.join('.')} holds a ${isSeq(old) ? 'list' : 'mapping'}, not a single value`,
      old.range ? lineOf(text, old.range[0]) : undefined,
      'Edit it by hand.',
    );
  }
  if (old.tag) {
    throw editError(
      file,
      `${file}: ${path.keys.join('.')} is a ${old.tag} expression`,
      lineOf(text, old.range[0]),
      'Edit it by hand.',
    );
  }
  const next = scalarSource(value);
  if (old.source === String(value) && text.slice(old.range[0], old.range[1]) === next) return text;
  return `${text.slice(0, old.range[0])}${next}${text.slice(old.range[1])}`;
}

/**
 * Removes the entry at `path` (its key line(s) through its value). `removed` is false when there was none.
 * `pruneEmpty`: how many enclosing entries may go too when the removal would leave them empty (undeclaring a
 * stack's only secret removes its `secrets: {vars: ...}` wrapper, not the component).
 */
export function deleteIn(
  text: string,
  file: string,
  path: YamlPath,
  opts: { readonly pruneEmpty?: number } = {},
): { text: string; removed: boolean } {
  const docs = parseDocs(text, file);
  const doc = docFor(docs, path.doc, file);
  const first = walk(doc, path.keys, text, file);
  if (!first.map || first.emptyPair || first.depth < path.keys.length) return { text, removed: false };
  let keys = path.keys;
  for (let budget = opts.pruneEmpty ?? 0; budget > 0 && keys.length > 1; budget--) {
    const parentKeys = keys.slice(0, -1);
    const pw = walk(doc, parentKeys, text, file);
    const holder = pw.map ? pairOf(pw.map, parentKeys[parentKeys.length - 1] as string)?.value : undefined;
    if (!isMap(holder) || holder.items.length !== 1) break;
    keys = parentKeys;
  }
  const w = keys === path.keys ? first : walk(doc, keys, text, file);
  const target: YamlPath = { doc: path.doc, keys };
  if (!w.map) return { text, removed: false };
  const map = w.map;
  const idx = map.items.findIndex((p) => isPair(p) && keyText(p) === target.keys[target.keys.length - 1]);
  const pair = map.items[idx] as Pair<Node, Node | null>;
  const keyRange = (pair.key as Node).range as [number, number, number];
  const valueEnd = pair.value?.range ? pair.value.range[1] : keyRange[1];
  if (map.flow) {
    // `{a: 1, b: 2}`: drop `b: 2` with the comma before it (or `a: 1, ` with the one after it).
    const next = map.items[idx + 1] as Pair<Node, Node | null> | undefined;
    if (next) {
      const nextStart = ((next.key as Node).range as [number, number, number])[0];
      return { text: `${text.slice(0, keyRange[0])}${text.slice(nextStart)}`, removed: true };
    }
    const prev = map.items[idx - 1] as Pair<Node, Node | null> | undefined;
    const from = prev
      ? (prev.value?.range?.[1] ?? ((prev.key as Node).range as [number, number, number])[1])
      : keyRange[0];
    return { text: `${text.slice(0, from)}${text.slice(valueEnd)}`, removed: true };
  }
  if (map.items.length === 1) {
    // The mapping's only entry: the parent becomes `parent: {}` rather than a null the loader reads differently.
    const start = lineStart(text, keyRange[0]);
    const end = afterLine(text, valueEnd);
    const parent = w.depth >= 2 ? { doc: target.doc, keys: target.keys.slice(0, -1) } : undefined;
    if (parent) {
      const without = `${text.slice(0, start)}${text.slice(end)}`;
      const reparsed = parseDocs(without, file);
      const pw = walk(docFor(reparsed, target.doc, file), parent.keys, without, file);
      const pp = pw.map ? pairOf(pw.map, parent.keys[parent.keys.length - 1] as string) : undefined;
      if (pp) {
        const kEnd = ((pp.key as Node).range as [number, number, number])[1];
        const colon = without.indexOf(':', kEnd);
        const vEnd = pp.value?.range ? pp.value.range[1] : colon + 1;
        return { text: `${without.slice(0, colon + 1)} {}${without.slice(vEnd)}`, removed: true };
      }
    }
    return { text: `${text.slice(0, start)}${text.slice(end)}`, removed: true };
  }
  const start = lineStart(text, keyRange[0]);
  const end = afterLine(text, valueEnd);
  return { text: `${text.slice(0, start)}${text.slice(end)}`, removed: true };
}

/** The key path (within its document) of the mapping entry whose key `key` sits on 1-based `line`. */
export function findKeyAtLine(text: string, file: string, line: number, key: string): YamlPath | undefined {
  const docs = parseDocs(text, file);
  let found: YamlPath | undefined;
  const search = (n: unknown, doc: number, keys: string[]): void => {
    if (found || !isMap(n)) return;
    for (const it of n.items) {
      if (!isPair(it)) continue;
      const k = keyText(it);
      if (k === undefined) continue;
      const kr = (it.key as Node).range;
      if (k === key && kr && lineOf(text, kr[0]) === line) {
        found = { doc, keys: [...keys, k] };
        return;
      }
      search(it.value, doc, [...keys, k]);
    }
  };
  docs.forEach((d, i) => search(d.contents, i, []));
  return found;
}

/** The key path of every mapping entry whose value is a scalar tagged `tag` (e.g. `!store`) on `line`. */
export function findTaggedScalar(
  text: string,
  file: string,
  line: number,
  tags: readonly string[],
): { path: YamlPath; tag: string; source: string } | undefined {
  const docs = parseDocs(text, file);
  let found: { path: YamlPath; tag: string; source: string } | undefined;
  const search = (n: unknown, doc: number, keys: string[]): void => {
    if (found || !isMap(n)) return;
    for (const it of n.items) {
      if (!isPair(it)) continue;
      const k = keyText(it);
      if (k === undefined) continue;
      const v = it.value;
      if (isScalar(v) && v.tag && tags.includes(v.tag) && v.range && lineOf(text, v.range[0]) === line) {
        const start = text.lastIndexOf(v.tag, v.range[0]);
        found = { path: { doc, keys: [...keys, k] }, tag: v.tag, source: text.slice(start, v.range[1]) };
        return;
      }
      search(v, doc, [...keys, k]);
    }
  };
  docs.forEach((d, i) => search(d.contents, i, []));
  return found;
}

/**
 * Replaces the tagged scalar at `path` (tag and text: `!store a b c`) with `replacement` (e.g. `!secret NAME`),
 * keeping any anchor before the tag and any comment after it.
 */
export function replaceTaggedScalar(
  text: string,
  file: string,
  path: YamlPath,
  tags: readonly string[],
  replacement: string,
): string {
  const docs = parseDocs(text, file);
  const w = walk(docFor(docs, path.doc, file), path.keys, text, file);
  const pair =
    w.map && w.depth === path.keys.length ? pairOf(w.map, path.keys[path.keys.length - 1] as string) : undefined;
  const v = pair?.value;
  if (!isScalar(v) || !v.tag || !tags.includes(v.tag) || !v.range) {
    throw editError(
      file,
      `${file}: ${path.keys.join('.')} is no longer a ${tags.join('/')} expression`,
      undefined,
      'The file changed; scan again.',
    );
  }
  const start = text.lastIndexOf(v.tag, v.range[0]);
  const keyEnd = ((pair?.key as Node).range as [number, number, number])[1];
  if (start < keyEnd)
    throw editError(
      file,
      `${file}: cannot find the tag of ${path.keys.join('.')}`,
      lineOf(text, v.range[0]),
      'Edit it by hand.',
    );
  return `${text.slice(0, start)}${replacement}${text.slice(v.range[1])}`;
}

/**
 * The document of a multi-document file where `keys` go: the one holding the longest prefix of them (the first
 * such; document 0 for a file with one or none).
 */
export function documentFor(text: string, file: string, keys: readonly string[]): number {
  const docs = parseDocs(text, file);
  let best = 0;
  let bestDepth = -1;
  docs.forEach((d, i) => {
    let depth = 0;
    try {
      const w = walk(d, keys, text, file);
      depth = w.map ? w.depth : 0;
    } catch (e) {
      // A document where the path runs into an alias or a non-mapping is no better than one without it.
      if (!(e instanceof AppError)) throw e;
    }
    if (depth > bestDepth) {
      best = i;
      bestDepth = depth;
    }
  });
  return best;
}
