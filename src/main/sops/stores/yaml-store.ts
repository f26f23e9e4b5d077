// The YAML store: multi-document, comments carried as tree items (so sops can encrypt them), yaml.v3 scalar
// typing (timestamps are times, `yes`/`no` stay strings), duplicate keys refused in one pass (yaml 2.9's own
// check is quadratic), and output in sops' layout (indent 4, sequences indented) unless the file had its own.
import {
  type Alias,
  Document,
  LineCounter,
  Pair,
  Scalar,
  YAMLMap,
  YAMLSeq,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Node as YamlNode,
} from 'yaml';
import { isYamlTimestamp, normalizeGoTime } from '../go-values';
import { MAX_SOPS_DEPTH, decodeSopsText, tooDeep } from '../input-bounds';
import {
  SopsComment,
  SopsTime,
  fromPlain,
  isEntry,
  isSopsList,
  isSopsMap,
  newList,
  newMap,
  type SopsMap,
  type SopsMapItem,
  type SopsNode,
} from '../tree';
import { parseError, type ParsedFile, type SopsStore, type StoreStyle } from './store';

function commentLines(text: string | null | undefined, inline = false): SopsComment[] {
  if (!text) return [];
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => new SopsComment(l, inline));
}

/** A collection being read: its items' column, and trailing comments handed to it by inner collections. */
interface Frame {
  readonly col: number;
  readonly trailing: SopsComment[];
}

class YamlReader {
  private readonly frames: Frame[] = [];

  constructor(
    private readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    private readonly text: string,
  ) {}

  private colOf(n: unknown): number {
    const range = (n as { range?: [number, number, number] | null } | null)?.range;
    return range ? this.lines.linePos(range[0]).col - 1 : 0;
  }

  /**
   * `yaml` gives every comment after a collection's last item to the innermost collection. yaml.v3 (sops)
   * gives each to the collection its column belongs to, which decides the AAD an encrypted comment uses,
   * so trailing lines are handed out by column from the source.
   */
  private trailing(n: YAMLMap | YAMLSeq, frame: Frame): void {
    if (!n.comment) return;
    const range = n.range;
    const source = range ? this.text.slice(range[1], range[2]) : '';
    const lines = source.split('\n').filter((l) => l.trimStart().startsWith('#'));
    const texts = commentLines(n.comment);
    if (lines.length !== texts.length) {
      frame.trailing.push(...texts);
      return;
    }
    texts.forEach((c, i) => {
      const col = lines[i].length - lines[i].trimStart().length;
      const owner = [...this.frames].reverse().find((f) => f.col <= col) ?? this.frames[0] ?? frame;
      owner.trailing.push(c);
    });
  }

  private lineOf(n: { range?: [number, number, number] | null }): number | undefined {
    return n.range ? this.lines.linePos(n.range[0]).line : undefined;
  }

  /** Aliases are refused: expanding them is how a 1 KB file becomes gigabytes (and sops files never need them). */
  private refuseAlias(n: Alias): never {
    throw parseError(
      this.file,
      `uses a YAML alias (*${n.source}); SOPS files may not use anchors and aliases`,
      this.lineOf(n),
    );
  }

  private enter(n: { range?: [number, number, number] | null }): void {
    if (this.frames.length >= MAX_SOPS_DEPTH) throw tooDeep(this.file, this.lineOf(n));
  }

  node(n: unknown): SopsNode {
    if (isAlias(n)) return this.refuseAlias(n as Alias);
    if (isMap(n)) return this.map(n);
    if (isSeq(n)) return this.seq(n);
    if (isScalar(n)) return this.scalar(n);
    if (n === null || n === undefined) return null;
    throw parseError(this.file, 'has a YAML node sops cannot represent');
  }

  private scalar(s: Scalar): SopsNode {
    const v = s.value;
    if (typeof v === 'string') {
      if (s.type === 'PLAIN' && isYamlTimestamp(v)) return new SopsTime(normalizeGoTime(v) ?? v);
      return v;
    }
    if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
    throw parseError(this.file, 'has a scalar of an unsupported type', this.lineOf(s));
  }

  map(m: YAMLMap): SopsMap {
    this.enter(m);
    const frame: Frame = { col: m.items.length > 0 ? this.colOf(m.items[0].key) : 0, trailing: [] };
    this.frames.push(frame);
    const items: SopsMapItem[] = [...commentLines(m.commentBefore)];
    const seen = new Set<string>();
    for (const p of m.items) {
      if (isAlias(p.key)) this.refuseAlias(p.key as Alias);
      const key = p.key;
      if (!isScalar(key) || typeof key.value !== 'string') {
        throw parseError(
          this.file,
          'has a map key that is not a string (sops only supports string keys)',
          this.lineOf(key as YamlNode),
        );
      }
      const k = key.value;
      if (seen.has(k)) throw parseError(this.file, `has a duplicate key "${k}"`, this.lineOf(key));
      seen.add(k);
      items.push(...commentLines(key.commentBefore));
      const value = p.value as YamlNode | null;
      if (value && !isMap(value) && !isSeq(value)) items.push(...commentLines(value.commentBefore));
      items.push({ key: k, value: this.node(value) });
      // Comments an inner collection handed up to this map follow the entry they came after.
      items.push(...frame.trailing.splice(0));
      items.push(...commentLines(key.comment, true));
      if (value && isScalar(value)) items.push(...commentLines(value.comment, true));
    }
    this.trailing(m, frame);
    this.frames.pop();
    items.push(...frame.trailing);
    return newMap(items);
  }

  private seq(s: YAMLSeq): SopsNode {
    this.enter(s);
    // Items start after "- ", so the sequence's own column is two to the left.
    const frame: Frame = { col: s.items.length > 0 ? Math.max(0, this.colOf(s.items[0]) - 2) : 0, trailing: [] };
    this.frames.push(frame);
    const items: (SopsNode | SopsComment)[] = [...commentLines(s.commentBefore)];
    for (const it of s.items) {
      const n = it as YamlNode | null;
      if (n && !isMap(n) && !isSeq(n)) items.push(...commentLines(n.commentBefore));
      items.push(this.node(n));
      items.push(...frame.trailing.splice(0));
      if (n && isScalar(n)) items.push(...commentLines(n.comment, true));
    }
    this.trailing(s, frame);
    this.frames.pop();
    items.push(...frame.trailing);
    return newList(items);
  }
}

/** Guesses the indent and sequence style of a file, so a rewrite does not re-indent every line. */
function detectStyle(text: string): StoreStyle {
  const lines = text.split('\n');
  let indent: number | undefined;
  let indentSeq: boolean | undefined;
  for (let i = 1; i < lines.length && (indent === undefined || indentSeq === undefined); i++) {
    const prev = lines[i - 1];
    const cur = lines[i];
    const pm = /^( *)[^ #-][^:]*:\s*$/.exec(prev);
    const cm = /^( *)(- )?\S/.exec(cur);
    if (!pm || !cm) continue;
    const delta = cm[1].length - pm[1].length;
    if (cm[2]) indentSeq ??= delta > 0;
    else if (delta > 0) indent ??= delta;
  }
  return { indent: indent ?? 4, indentSeq: indentSeq ?? true, leadingDocMarker: /^(?:#.*\n|\s*\n)*---/.test(text) };
}

// Strings yaml.v3 would read back as something else (times, ints with `_`, 0b/0o forms): keep them strings.
const V3_NON_STRING =
  /^[-+]?(0b[01_]+|0o?[0-7_]+|0x[\da-fA-F_]+|\d[\d_]*(\.[\d_]*)?([eE][-+]?\d+)?|\.(inf|Inf|INF|nan|NaN|NAN))$/;

function needsQuotes(s: string): boolean {
  return isYamlTimestamp(s) || V3_NON_STRING.test(s) || /^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$/.test(s);
}

function scalarNode(v: SopsNode, file: string): Scalar {
  if (typeof v === 'string') {
    const s = new Scalar(v);
    if (v.includes('\n')) s.type = 'BLOCK_LITERAL';
    else if (needsQuotes(v)) s.type = 'QUOTE_DOUBLE';
    return s;
  }
  if (v instanceof SopsTime) {
    const s = new Scalar(v.text);
    s.type = 'PLAIN';
    return s;
  }
  if (typeof v === 'number') {
    const s = new Scalar(v);
    if (Number.isInteger(v)) s.minFractionDigits = 1;
    return s;
  }
  if (v instanceof Uint8Array)
    throw parseError(file, 'cannot hold raw (non-UTF-8) bytes in a YAML value; use the binary store');
  return new Scalar(v as bigint | boolean | null);
}

function join(cs: readonly SopsComment[]): string | undefined {
  return cs.length ? cs.map((c) => c.value).join('\n') : undefined;
}

function yamlNode(n: SopsNode, file: string): YamlNode {
  if (isSopsMap(n)) return yamlMap(n, file);
  if (isSopsList(n)) {
    const seq = new YAMLSeq();
    let pending: SopsComment[] = [];
    let last: YamlNode | undefined;
    for (const it of n.items) {
      if (it instanceof SopsComment) {
        if (it.inline && last && isScalar(last) && last.comment === undefined) last.comment = it.value;
        else pending.push(it);
        continue;
      }
      const child = yamlNode(it, file);
      child.commentBefore = join(pending);
      pending = [];
      seq.items.push(child);
      last = child;
    }
    seq.comment = join(pending);
    return seq;
  }
  return scalarNode(n, file);
}

function yamlMap(m: SopsMap, file: string): YAMLMap {
  const map = new YAMLMap();
  let pending: SopsComment[] = [];
  let last: Pair<Scalar, YamlNode> | undefined;
  for (const it of m.items) {
    if (!isEntry(it)) {
      if (it.inline && last && isScalar(last.value) && last.value.comment === undefined) last.value.comment = it.value;
      else pending.push(it);
      continue;
    }
    const key = new Scalar(it.key);
    if (needsQuotes(it.key)) key.type = 'QUOTE_DOUBLE';
    key.commentBefore = join(pending);
    pending = [];
    last = new Pair(key, yamlNode(it.value, file));
    map.items.push(last);
  }
  map.comment = join(pending);
  return map;
}

const BLOCK_KEY = /^( *)(- )?(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s#'"-][^:#]*?|-[^\s:#][^:#]*?):\s[|>][-+]?\d*$/;

/**
 * yaml.v3 (sops) indents the text of a block scalar that belongs to a map inside a sequence item by 2 from
 * its key whatever the indent (`enc: |` at column 10, text at 12, with indent 4: checked against sops 3.7-3.13
 * files at indent 2 and 4); `yaml` uses key + indent. This shifts such text back, so a rewritten sops file
 * matches what sops itself writes and its diff stays small.
 */
export function goBlockScalarIndent(text: string, indent: number): string {
  const shift = Math.max(0, indent - 2);
  // Cheap exits: nothing to shift, or no block scalar inside a sequence at all.
  if (shift === 0 || !/^ *- /m.test(text) || !/: [|>][-+]?\d*$/m.test(text)) return text;
  const lines = text.split('\n');
  // The key columns of the sequence-item maps we are inside.
  const items: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const col = indentOf(line);
    if (col === line.length) continue;
    const dash = line.startsWith('- ', col);
    const keyCol = dash ? col + 2 : col;
    while (items.length > 0 && (items[items.length - 1] > keyCol || (dash && items[items.length - 1] >= keyCol))) {
      items.pop();
    }
    if (dash) items.push(keyCol);
    if (
      items[items.length - 1] !== keyCol ||
      !'|>-+0123456789'.includes(line[line.length - 1]) ||
      !BLOCK_KEY.test(line)
    ) {
      continue;
    }
    const from = keyCol + indent;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j];
      const c = indentOf(l);
      if (c === l.length) continue;
      if (c < from) break;
      lines[j] = l.slice(shift);
    }
    i = j - 1;
  }
  return lines.join('\n');
}

/** Leading spaces of a line (its length when the line is blank). */
function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === 32) i++;
  return i;
}

export const yamlStore: SopsStore = {
  format: 'yaml',

  parse(data, file): ParsedFile {
    const text = decodeSopsText(data, file);
    const lines = new LineCounter();
    const docs = parseAllDocuments(text, {
      uniqueKeys: false,
      intAsBigInt: true,
      lineCounter: lines,
      prettyErrors: false,
    });
    if (!Array.isArray(docs)) throw parseError(file, 'is not a YAML stream');
    let metadata: Record<string, unknown> | undefined;
    const documents: SopsMap[] = [];
    for (const [i, doc] of docs.entries()) {
      const err = doc.errors[0];
      // No `cause`: the parser's message may quote the offending (possibly plaintext) line.
      if (err) throw parseError(file, `is not valid YAML (${err.code})`, lines.linePos(err.pos[0]).line);
      const reader = new YamlReader(file, doc, lines, text);
      const root = doc.contents;
      if (root === null && docs.length > 1) continue;
      if (root !== null && !isMap(root)) throw parseError(file, 'has a document whose top level is not a mapping');
      const map = root ? reader.map(root) : newMap();
      map.items.unshift(...commentLines(doc.commentBefore));
      map.items.push(...commentLines(doc.comment));
      const at = map.items.findIndex((it) => isEntry(it) && it.key === 'sops');
      if (at >= 0) {
        const entry = map.items[at];
        if (i === 0 && isEntry(entry) && root) {
          const raw = root.get('sops', false);
          metadata = (raw as { toJS?: (d: Document) => unknown })?.toJS?.(doc) as Record<string, unknown> | undefined;
          if (metadata && (typeof metadata !== 'object' || Array.isArray(metadata))) {
            throw parseError(file, 'has a "sops" key that is not a mapping');
          }
        }
        map.items.splice(at, 1);
      }
      documents.push(map);
    }
    if (documents.length === 0) documents.push(newMap());
    return { documents, metadata, style: detectStyle(text) };
  },

  serialize(documents, metadata, style): Uint8Array {
    const out = documents.map((d) => {
      const doc = new Document();
      const body: SopsMap = metadata ? newMap([...d.items, { key: 'sops', value: fromPlain(metadata) }]) : d;
      doc.contents = yamlMap(body, 'document');
      const indent = style.indent ?? 4;
      const text = doc.toString({
        indent,
        indentSeq: style.indentSeq ?? true,
        lineWidth: 0,
        minContentWidth: 0,
      });
      return goBlockScalarIndent(text, indent);
    });
    return new TextEncoder().encode(`${style.leadingDocMarker ? '---\n' : ''}${out.join('---\n')}`);
  },
};
