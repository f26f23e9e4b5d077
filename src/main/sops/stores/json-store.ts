// The JSON store. A small token parser (JSON.parse would reorder integer-like keys, merge duplicates and
// round int64s), numbers typed as sops 3.13.2 does (an integer in int64 range is an int, else a float), and
// output as sops writes it: tab indent, `"k": v`, trailing newline. The binary store reuses it for its envelope.
import { formatGoFloat } from '../go-values';
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
import { parseError, type ParsedFile, type SopsStore } from './store';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

class JsonParser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly s: string,
    private readonly file: string,
  ) {}

  private fail(what: string): never {
    const line = this.s.slice(0, this.i).split('\n').length;
    throw parseError(this.file, `is not valid JSON (${what})`, line);
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i])) this.i++;
  }

  document(): SopsNode {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.i !== this.s.length) this.fail('unexpected text after the top-level value');
    return v;
  }

  private value(): SopsNode {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.fail(c === undefined ? 'unexpected end of input' : 'unexpected character');
  }

  private nest(): void {
    if (++this.depth > MAX_SOPS_DEPTH) throw tooDeep(this.file, this.s.slice(0, this.i).split('\n').length);
  }

  private object(): SopsMap {
    this.nest();
    this.i++;
    const items: SopsMapItem[] = [];
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      this.depth--;
      return newMap(items);
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected a string key');
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail('expected ":"');
      this.i++;
      items.push({ key, value: this.value() });
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') {
        this.depth--;
        return newMap(items);
      }
      if (c !== ',') this.fail('expected "," or "}"');
    }
  }

  private array(): SopsNode {
    this.nest();
    this.i++;
    const items: SopsNode[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      this.depth--;
      return newList(items);
    }
    for (;;) {
      items.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') {
        this.depth--;
        return newList(items);
      }
      if (c !== ',') this.fail('expected "," or "]"');
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\') this.i += 2;
      else if (c === '"') {
        this.i++;
        try {
          return JSON.parse(this.s.slice(start, this.i)) as string;
        } catch {
          this.i = start;
          return this.fail('bad string escape');
        }
      } else this.i++;
    }
    return this.fail('unterminated string');
  }

  private number(): bigint | number {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) return this.fail('bad number');
    this.i += m[0].length;
    if (!m[2] && !m[3]) {
      const v = BigInt(m[0]);
      if (v >= INT64_MIN && v <= INT64_MAX) return v;
    }
    return Number(m[0]);
  }
}

export function parseJsonTree(text: string, file: string): SopsNode {
  return new JsonParser(text, file).document();
}

function jsonScalar(v: SopsNode): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? formatGoFloat(v) : JSON.stringify(formatGoFloat(v));
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return 'null';
  if (v instanceof SopsTime) return JSON.stringify(v.text);
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v).toString('latin1'));
  return 'null';
}

/** sops' JSON layout: tab indent, `"k": v`. Comments cannot live in JSON and are dropped. */
export function stringifyJsonTree(n: SopsNode, depth = 0, unit = '\t'): string {
  const pad = unit.repeat(depth + 1);
  const end = unit.repeat(depth);
  if (isSopsMap(n)) {
    const entries = n.items.filter(isEntry);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map((e) => `${pad}${JSON.stringify(e.key)}: ${stringifyJsonTree(e.value, depth + 1, unit)}`).join(',\n')}\n${end}}`;
  }
  if (isSopsList(n)) {
    const items = n.items.filter((i): i is SopsNode => !(i instanceof SopsComment));
    if (items.length === 0) return '[]';
    return `[\n${items.map((i) => `${pad}${stringifyJsonTree(i, depth + 1, unit)}`).join(',\n')}\n${end}]`;
  }
  return jsonScalar(n);
}

function splitMetadata(root: SopsNode, file: string): { doc: SopsMap; metadata: Record<string, unknown> | undefined } {
  if (!isSopsMap(root)) throw parseError(file, 'is JSON whose top level is not an object');
  const at = root.items.findIndex((i) => isEntry(i) && i.key === 'sops');
  if (at < 0) return { doc: root, metadata: undefined };
  const entry = root.items[at];
  root.items.splice(at, 1);
  const raw = isEntry(entry) ? entry.value : null;
  if (!isSopsMap(raw)) throw parseError(file, 'has a "sops" key that is not an object');
  return { doc: root, metadata: jsonMetadata(raw) };
}

/** Metadata as plain JS (ints as numbers), the form zod and buildMetadata use. */
function jsonMetadata(n: SopsNode): Record<string, unknown> {
  const plain = (v: SopsNode): unknown => {
    if (isSopsMap(v)) return Object.fromEntries(v.items.filter(isEntry).map((e) => [e.key, plain(e.value)]));
    if (isSopsList(v)) return v.items.map((i) => plain(i as SopsNode));
    if (typeof v === 'bigint') return Number(v);
    return v;
  };
  return plain(n) as Record<string, unknown>;
}

export const jsonStore: SopsStore = {
  format: 'json',
  parse(data, file): ParsedFile {
    const text = decodeSopsText(data, file);
    const { doc, metadata } = splitMetadata(parseJsonTree(text, file), file);
    // Keep a file's own indent so a rewrite does not touch every line.
    const indent = /\n([ \t]+)"/.exec(text)?.[1];
    return { documents: [doc], metadata, style: indent ? { jsonIndent: indent } : {} };
  },
  serialize(documents, metadata, style): Uint8Array {
    const doc = documents[0] ?? newMap();
    const body = metadata ? newMap([...doc.items, { key: 'sops', value: fromPlain(metadata) }]) : doc;
    return new TextEncoder().encode(`${stringifyJsonTree(body, 0, style.jsonIndent ?? '\t')}\n`);
  },
};

export { splitMetadata as splitJsonMetadata };
