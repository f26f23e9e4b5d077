// Parse one YAML file into plain data: duplicate keys refused in one pass, Atmos YAML function tags turned into
// reference objects, and the line of every mapping key remembered so later errors (secrets declarations,
// imports, config types) can name file and line.
//
// js-yaml's event parser (`parseEvents`: a flat list of events with source offsets) does the YAML syntax; the
// values are built here from the events. Loading is parsing on a large estate (1,232 files, 50,000 components)
// and the `yaml` library's Document, built for editing (it keeps every node, comment and range), cost about
// four times as much CPU, with the garbage it made, as reading these events does. `yaml` stays where a document
// is edited in place (config/edit, SOPS files, keygen).
import {
  boolCoreTag,
  EVENT_ALIAS,
  EVENT_DOCUMENT,
  EVENT_MAPPING,
  EVENT_POP,
  EVENT_SCALAR,
  EVENT_SEQUENCE,
  floatCoreTag,
  getScalarValue,
  intCoreTag,
  NOT_RESOLVED,
  nullCoreTag,
  parseEvents,
  SCALAR_STYLE_FOLDED_BLOCK,
  SCALAR_STYLE_LITERAL_BLOCK,
  SCALAR_STYLE_PLAIN,
  YAMLException,
  type AliasEvent,
  type Event,
  type MappingEvent,
  type ScalarEvent,
  type SequenceEvent,
} from 'js-yaml';
import { AppError, type SourceLocation } from '../../shared/errors';
import { checkNesting, MAX_ALIAS_EXPANSION, MAX_NESTING } from './bounded-input';
import { DeferredCall, LiteralText, OpaqueCall, parseSecretRef, parseStoreRef } from './yaml-refs';

/** Where a mapping or sequence came from, and the line of each of its keys (or items). */
export interface ContainerSource {
  readonly file: string;
  readonly line: number;
  readonly keyLines: Record<string, number>;
}

// Kept on the container itself under a non-enumerable symbol: a WeakMap entry per container made garbage
// collection the largest cost of loading a big repository.
const SOURCE = Symbol('atmos.source');

function setSource(container: object, src: ContainerSource): void {
  Object.defineProperty(container, SOURCE, { value: src, enumerable: false, writable: true, configurable: true });
}

/** The source of a parsed mapping or sequence, when it came straight from a file. */
export function sourceOf(container: object): ContainerSource | undefined {
  return (container as { [SOURCE]?: ContainerSource })[SOURCE];
}

/** File and line of `key` inside a parsed mapping (or index inside a sequence), when known. */
export function locationOfKey(container: object, key: string | number): SourceLocation | undefined {
  const src = sourceOf(container);
  if (!src) return undefined;
  const line = src.keyLines[String(key)];
  return { file: src.file, line: line ?? src.line };
}

/** A `!include`/`!include.raw` found while parsing; replaced by the included value before the file is used. */
export interface IncludeSite {
  readonly raw: boolean;
  /** The path or URL, and the optional query expression after it. */
  readonly target: string;
  readonly expression: string | undefined;
  readonly location: SourceLocation;
  /** Where to put the value: the parent container and key, or undefined for the document root. */
  readonly parent: Record<string, unknown> | unknown[] | undefined;
  readonly key: string | number;
}

export interface ParsedYaml {
  readonly value: unknown;
  readonly includes: readonly IncludeSite[];
  /** True when any deferred function, reference or `{{` template text occurs (lets the merge skip a walk). */
  readonly dynamic: boolean;
  /** Where each `!exec` is: commands run only in a trusted workspace. */
  readonly execs: readonly SourceLocation[];
}

export interface ParseOptions {
  /** Evaluate `!env` right away from this environment (atmos.yaml); otherwise it is deferred. */
  readonly envNow?: Readonly<Record<string, string | undefined>>;
  /** What `!repo-root` gives right away (atmos.yaml); otherwise it is kept as written. */
  readonly repoRootNow?: string;
}

/** Tags Atmos knows but this loader leaves as written (they need Terraform state or other machinery). */
const OPAQUE_TAGS = new Set([
  '!terraform.output',
  '!terraform.state',
  '!repo-root',
  '!cwd',
  '!random',
  '!aws.account_id',
  '!aws.caller_identity_arn',
  '!aws.caller_identity_user_id',
  '!aws.region',
]);

export const KNOWN_TAGS: readonly string[] = [
  '!include',
  '!include.raw',
  '!env',
  '!exec',
  '!template',
  '!store',
  '!store.get',
  '!secret',
  '!literal',
  ...OPAQUE_TAGS,
];

/** Parse YAML text; throws AppError 'YAML' (file, line, column) or 'CONFIG' (unknown tag, bad arguments). */
export function parseYaml(text: string, file: string, options: ParseOptions = {}): ParsedYaml {
  checkNesting(text, file);
  let events: Event[];
  try {
    // One more level than ours, so a too-deep file gets this loader's message (checkNesting refuses most first).
    events = parseEvents(text, { maxDepth: MAX_NESTING + 1 });
  } catch (e) {
    throw syntaxError(e, text, file);
  }
  const conv = new Converter(file, text, events, options);
  const value = conv.document();
  return {
    value: value === undefined ? null : value,
    includes: conv.includes,
    dynamic: conv.dynamic,
    execs: conv.execs,
  };
}

/** js-yaml's syntax error as ours, at its line and column (its docs: any exception of the parser is a failure). */
function syntaxError(e: unknown, text: string, file: string): AppError {
  const reason = e instanceof YAMLException ? e.reason : e instanceof Error ? e.message : String(e);
  const mark = e instanceof YAMLException ? e.mark : undefined;
  const at = mark ? { line: mark.line + 1, column: mark.column + 1 } : {};
  return new AppError('YAML', `invalid YAML: ${reason.split('\n')[0] ?? reason}`, {
    location: { file, ...at },
    hint: text.length === 0 ? 'Write a YAML mapping.' : 'Fix the YAML syntax at that position.',
  });
}

/** A core-schema (YAML 1.2) plain scalar's value: null, bool, int, float, else the text itself. */
function implicitScalar(source: string): unknown {
  // Only these first characters can start a non-string: most scalars (names, paths) skip the resolvers.
  const c = source.charCodeAt(0);
  const candidate =
    source.length === 0 ||
    (c >= 48 && c <= 57) || // 0-9
    c === 43 || // +
    c === 45 || // -
    c === 46 || // .
    c === 126 || // ~
    c === 110 || // n (null)
    c === 78 || // N
    c === 116 || // t (true)
    c === 84 || // T
    c === 102 || // f (false)
    c === 70; // F
  if (!candidate) return source;
  for (const tag of CORE_SCALARS) {
    const v: unknown = tag.resolve(source, false, tag.tagName);
    if (v !== NOT_RESOLVED) return v;
  }
  // YAML 1.2's float form with an exponent too large for a double is still a float (Infinity), as `yaml` reads it.
  if (EXPONENT_FLOAT.test(source)) return Number(source);
  return source;
}

const CORE_SCALARS = [nullCoreTag, boolCoreTag, intCoreTag, floatCoreTag] as const;
const EXPONENT_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;

/** The YAML 1.2 core tags a scalar may carry explicitly (`!!int "3"`), by their `!!` suffix. */
const EXPLICIT_CORE: Readonly<Record<string, (typeof CORE_SCALARS)[number]>> = {
  null: nullCoreTag,
  bool: boolCoreTag,
  int: intCoreTag,
  float: floatCoreTag,
};

/** `!!x` and `!<tag:yaml.org,2002:x>` name the standard tag x; undefined for a local tag (`!secret`). */
function standardTag(tag: string): string | undefined {
  if (tag.startsWith('!!')) return tag.slice(2);
  const verbatim = /^!<tag:yaml\.org,2002:(.*)>$/.exec(tag);
  return verbatim?.[1];
}

/** The line of each offset, moving forward through the text (events come in source order). */
class Lines {
  private line = 1;
  private lineStart = 0;
  private nextBreak: number;

  constructor(private readonly text: string) {
    this.nextBreak = text.indexOf('\n');
  }

  /** 1-based line and column of `offset`. */
  at(offset: number): { line: number; column: number } {
    if (offset < this.lineStart) {
      // Not expected (events are in order); start over rather than answer wrong.
      this.line = 1;
      this.lineStart = 0;
      this.nextBreak = this.text.indexOf('\n');
    }
    while (this.nextBreak !== -1 && this.nextBreak < offset) {
      this.line++;
      this.lineStart = this.nextBreak + 1;
      this.nextBreak = this.text.indexOf('\n', this.lineStart);
    }
    return { line: this.line, column: offset - this.lineStart + 1 };
  }

  lineOf(offset: number): number {
    return offset < 0 ? 0 : this.at(offset).line;
  }
}

/** Where an event's node starts in the source; -1 when it has no text (an empty scalar with nothing on it). */
function startOf(e: Event, text: string): number {
  switch (e.type) {
    case EVENT_SCALAR:
      return scalarStart(e, text);
    case EVENT_MAPPING:
    case EVENT_SEQUENCE:
      return e.start;
    case EVENT_ALIAS:
      // The `*` before the name.
      return e.anchorStart - 1;
    default:
      return -1;
  }
}

/**
 * A scalar's start: its text, or for a block scalar (`|`, `>`) its indicator (the event's text starts on the line
 * after it), or for an empty one its tag or anchor.
 */
function scalarStart(e: ScalarEvent, text: string): number {
  if (e.style === SCALAR_STYLE_LITERAL_BLOCK || e.style === SCALAR_STYLE_FOLDED_BLOCK) {
    const headerEnd = e.valueStart - 1; // the line break that ends the header line
    const headerStart = text.lastIndexOf('\n', headerEnd - 1) + 1;
    const header = BLOCK_HEADER.exec(text.slice(headerStart, headerEnd));
    return header ? headerStart + header.index : headerStart;
  }
  // A quoted scalar's text starts after its quote; the node starts at the quote.
  if (e.valueStart >= 0) return e.style === SCALAR_STYLE_PLAIN ? e.valueStart : e.valueStart - 1;
  if (e.tagStart >= 0) return e.tagEnd;
  return e.anchorStart >= 0 ? e.anchorEnd : -1;
}

/** A block scalar's indicator at the end of its header line: `|` or `>`, its indicators, then a comment. */
const BLOCK_HEADER = /[|>][-+0-9]*[ \t]*(?:#.*)?\r?$/;

interface Anchored {
  readonly value: unknown;
  /** How many values it stands for once its aliases are expanded, capped at MAX_ALIAS_EXPANSION + 1. */
  readonly size: number;
}

class Converter {
  readonly includes: IncludeSite[] = [];
  readonly execs: SourceLocation[] = [];
  dynamic = false;
  private i = 0;
  private readonly lines: Lines;
  private readonly anchors = new Map<string, Anchored>();
  /** Anchors whose node is being built: an alias to one of them is inside it and would recurse forever. */
  private readonly open = new Set<string>();
  /** Values aliases have added so far: every use counts, since later walks expand shared data. */
  private aliasValues = 0;
  /** The expanded size of the node built last (see Anchored.size). */
  private lastSize = 0;
  private depth = 0;

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly events: readonly Event[],
    private readonly options: ParseOptions,
  ) {
    this.lines = new Lines(text);
  }

  private loc(offset: number): SourceLocation {
    if (offset < 0) return { file: this.file };
    return { file: this.file, ...this.lines.at(offset) };
  }

  private next(): Event {
    const e = this.events[this.i++];
    if (!e)
      throw new AppError('YAML', `invalid YAML: the parser's events of ${this.file} ended early`, {
        location: { file: this.file },
      });
    return e;
  }

  /** The first document's value; a file of several documents is refused, as one manifest is one document. */
  document(): unknown {
    let value: unknown = null;
    let documents = 0;
    while (this.i < this.events.length) {
      const e = this.next();
      if (e.type !== EVENT_DOCUMENT) throw this.unexpected(e);
      if (++documents > 1) {
        throw new AppError('YAML', 'invalid YAML: the file holds several documents (---); a manifest is one document', {
          location: this.loc(this.documentMarker()),
          hint: 'Keep one document per file: remove the extra --- and what follows, or move it to a file of its own.',
        });
      }
      const first = this.events[this.i];
      value = first && first.type !== EVENT_POP ? this.node(undefined, '') : null;
      const end = this.next();
      if (end.type !== EVENT_POP) throw this.unexpected(end);
    }
    return value;
  }

  /** The `---` that starts the document whose events come next (for the several-documents error). */
  private documentMarker(): number {
    const next = this.events[this.i];
    const at = next ? startOf(next, this.text) : -1;
    const before = at >= 0 ? at : this.text.length;
    const marker = this.text.lastIndexOf('\n---', before);
    return marker >= 0 ? marker + 1 : before;
  }

  private unexpected(e: Event): AppError {
    return new AppError('INTERNAL', `unexpected YAML parser event ${e.type} in ${this.file}`);
  }

  /** One node and everything in it; sets lastSize. */
  private node(parent: Record<string, unknown> | unknown[] | undefined, key: string | number): unknown {
    const e = this.next();
    switch (e.type) {
      case EVENT_SCALAR: {
        const v = this.scalar(e, parent, key);
        this.lastSize = 1;
        this.anchor(e, v, 1);
        return v;
      }
      case EVENT_MAPPING:
      case EVENT_SEQUENCE:
        return this.collection(e);
      case EVENT_ALIAS:
        return this.alias(e);
      default:
        throw this.unexpected(e);
    }
  }

  private anchor(e: ScalarEvent | MappingEvent | SequenceEvent, value: unknown, size: number): void {
    if (e.anchorStart < 0) return;
    this.anchors.set(this.text.slice(e.anchorStart, e.anchorEnd), { value, size });
  }

  private alias(e: AliasEvent): unknown {
    const name = this.text.slice(e.anchorStart, e.anchorEnd);
    const at = this.loc(e.anchorStart - 1);
    if (this.open.has(name)) {
      throw new AppError('YAML', `alias *${name} refers to a mapping or list that contains it`, {
        location: at,
        hint: 'An alias must refer to an anchor defined before, outside the aliased node.',
      });
    }
    const target = this.anchors.get(name);
    if (!target) throw new AppError('YAML', `unknown alias *${name}`, { location: at });
    this.aliasValues += target.size;
    if (this.aliasValues > MAX_ALIAS_EXPANSION) {
      throw new AppError(
        'YAML',
        `YAML aliases in ${this.file} expand to more than ${MAX_ALIAS_EXPANSION} values (a "billion laughs" document?)`,
        { location: at, hint: 'Write the repeated data out, or use fewer nested aliases.' },
      );
    }
    this.lastSize = target.size;
    return target.value;
  }

  private collection(e: MappingEvent | SequenceEvent): unknown {
    const start = e.start;
    if (e.tagStart >= 0) {
      const tag = this.text.slice(e.tagStart, e.tagEnd);
      const standard = standardTag(tag);
      if (standard !== (e.type === EVENT_MAPPING ? 'map' : 'seq')) this.refuseTaggedCollection(tag, start);
    }
    if (++this.depth > MAX_NESTING) {
      throw new AppError('YAML', `${this.file}: YAML nested more than ${MAX_NESTING} levels`, {
        location: this.loc(start),
        hint: 'Flatten the structure; configuration this deep is not supported.',
      });
    }
    const name = e.anchorStart >= 0 ? this.text.slice(e.anchorStart, e.anchorEnd) : undefined;
    if (name !== undefined) this.open.add(name);
    try {
      const built = e.type === EVENT_MAPPING ? this.mapping(start) : this.sequence(start);
      if (name !== undefined) {
        this.open.delete(name);
        this.anchors.set(name, { value: built.value, size: built.size });
      }
      this.lastSize = built.size;
      return built.value;
    } finally {
      this.depth--;
    }
  }

  private refuseTaggedCollection(tag: string, offset: number): never {
    throw new AppError(
      'CONFIG',
      KNOWN_TAGS.includes(tag)
        ? `${tag} takes a string argument, not a mapping or list`
        : `unknown YAML function ${tag}`,
      { location: this.loc(offset), hint: `Supported functions: ${KNOWN_TAGS.join(', ')}.` },
    );
  }

  private sequence(start: number): { value: unknown[]; size: number } {
    const out: unknown[] = [];
    const keyLines: Record<string, number> = {};
    const line = this.lines.lineOf(start);
    let size = 1;
    for (let e = this.events[this.i]; e && e.type !== EVENT_POP; e = this.events[this.i]) {
      const l = this.lines.lineOf(startOf(e, this.text));
      if (l) keyLines[String(out.length)] = l;
      out.push(this.node(out, out.length));
      size = Math.min(size + this.lastSize, MAX_ALIAS_EXPANSION + 1);
    }
    this.i++; // the sequence's POP
    setSource(out, { file: this.file, line, keyLines });
    return { value: out, size };
  }

  private mapping(start: number): { value: Record<string, unknown>; size: number } {
    const out: Record<string, unknown> = {};
    const keyLines: Record<string, number> = {};
    const line = this.lines.lineOf(start);
    const seen = new Set<string>();
    let size = 1;
    for (let e = this.events[this.i]; e && e.type !== EVENT_POP; e = this.events[this.i]) {
      const keyStart = startOf(e, this.text);
      const k = this.key();
      if (k.merge) {
        size = Math.min(size + this.mergeKey(out, keyLines), MAX_ALIAS_EXPANSION + 1);
        continue;
      }
      if (seen.has(k.text)) {
        throw new AppError('YAML', `duplicate key "${k.text}"`, {
          location: this.loc(keyStart),
          hint: `Remove one of the "${k.text}" entries; YAML mappings may not repeat a key.`,
        });
      }
      seen.add(k.text);
      const l = this.lines.lineOf(keyStart);
      if (l) keyLines[k.text] = l;
      out[k.text] = this.node(out, k.text);
      size = Math.min(size + this.lastSize, MAX_ALIAS_EXPANSION + 1);
    }
    this.i++; // the mapping's POP
    setSource(out, { file: this.file, line, keyLines });
    return { value: out, size };
  }

  /**
   * A mapping key as text: a scalar's value (`1` and `true` as written by String), an alias's value, a
   * collection's JSON. A plain `<<` is a merge key. YAML functions in keys are not evaluated.
   */
  private key(): { text: string; merge: boolean } {
    const e = this.events[this.i];
    if (e?.type === EVENT_SCALAR) {
      this.i++;
      const source = getScalarValue(this.text, e);
      if (e.style === SCALAR_STYLE_PLAIN && e.tagStart < 0 && source === '<<') return { text: source, merge: true };
      const value = e.style === SCALAR_STYLE_PLAIN && e.tagStart < 0 ? implicitScalar(source) : source;
      this.anchor(e, value, 1);
      return { text: String(value), merge: false };
    }
    // A collection as a key (nonsense in Atmos configuration, but valid YAML): its JSON, as the loader always gave.
    const v = this.node(undefined, '');
    return { text: v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v), merge: false };
  }

  /**
   * `<<: *anchor` (or a list of anchors): earlier keys of this mapping win, as YAML 1.1 merge keys do. Returns the
   * values it added (for the alias budget, counted by the aliases themselves).
   */
  private mergeKey(out: Record<string, unknown>, keyLines: Record<string, number>): number {
    const first = this.events[this.i];
    const sources: unknown[] = [];
    const offsets: number[] = [];
    let size = 0;
    if (first?.type === EVENT_SEQUENCE && first.tagStart < 0 && first.anchorStart < 0) {
      this.i++;
      for (let e = this.events[this.i]; e && e.type !== EVENT_POP; e = this.events[this.i]) {
        offsets.push(startOf(e, this.text));
        sources.push(this.node(undefined, ''));
        size += this.lastSize;
      }
      this.i++;
    } else {
      offsets.push(first ? startOf(first, this.text) : -1);
      sources.push(this.node(undefined, ''));
      size += this.lastSize;
    }
    sources.forEach((v, n) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) {
        throw new AppError('YAML', 'a merge key (<<) needs a mapping or a list of mappings', {
          location: this.loc(offsets[n] ?? -1),
        });
      }
      const src = sourceOf(v);
      for (const [k, val] of Object.entries(v)) {
        if (!(k in out)) {
          out[k] = val;
          const l = src?.keyLines[k];
          if (l) keyLines[k] = l;
        }
      }
    });
    return size;
  }

  private scalar(
    e: ScalarEvent,
    parent: Record<string, unknown> | unknown[] | undefined,
    key: string | number,
  ): unknown {
    const source = getScalarValue(this.text, e);
    if (e.tagStart >= 0) {
      const tag = this.text.slice(e.tagStart, e.tagEnd);
      const standard = standardTag(tag);
      if (standard === undefined) return this.tagged(tag, source, this.loc(scalarStart(e, this.text)), parent, key);
      const core = EXPLICIT_CORE[standard];
      const v: unknown = core ? core.resolve(source, true, core.tagName) : NOT_RESOLVED;
      if (v !== NOT_RESOLVED) return v;
      if (source.includes('{{')) this.dynamic = true;
      return source;
    }
    const v = e.style === SCALAR_STYLE_PLAIN ? implicitScalar(source) : source;
    if (typeof v === 'string' && v.includes('{{')) this.dynamic = true;
    return v;
  }

  private tagged(
    tag: string,
    source: string,
    loc: SourceLocation,
    parent: Record<string, unknown> | unknown[] | undefined,
    key: string | number,
  ): unknown {
    const arg = source.trim();
    switch (tag) {
      case '!include':
      case '!include.raw': {
        const [target = '', ...rest] = arg.split(/\s+/);
        if (target === '')
          throw new AppError('CONFIG', `${tag} needs a file path or URL`, {
            location: loc,
            hint: `Write ${tag} <path> [<expression>].`,
          });
        const expression = rest.length > 0 ? rest.join(' ') : undefined;
        this.includes.push({ raw: tag === '!include.raw', target, expression, location: loc, parent, key });
        return null;
      }
      case '!secret':
        this.dynamic = true;
        return parseSecretRef(arg, loc);
      case '!store':
      case '!store.get':
        this.dynamic = true;
        return parseStoreRef(tag === '!store' ? 'store' : 'store.get', arg, loc);
      case '!env':
        if (this.options.envNow) return evalEnvArg(arg, this.options.envNow, {}, loc);
        this.dynamic = true;
        return new DeferredCall('!env', arg, loc);
      case '!exec':
      case '!template':
        if (arg === '') {
          throw new AppError('CONFIG', `${tag} needs an argument`, {
            location: loc,
            hint: tag === '!exec' ? 'Write !exec <shell command>.' : 'Write !template "<Go template>".',
          });
        }
        if (tag === '!exec') this.execs.push(loc);
        this.dynamic = true;
        return new DeferredCall(tag, arg, loc);
      case '!literal':
        this.dynamic = true;
        return new LiteralText(source);
      default:
        if (tag === '!repo-root' && this.options.repoRootNow !== undefined) return this.options.repoRootNow;
        if (OPAQUE_TAGS.has(tag)) return new OpaqueCall(tag, arg, loc);
        throw new AppError('CONFIG', `unknown YAML function ${tag}`, {
          location: loc,
          hint: `Supported functions: ${KNOWN_TAGS.join(', ')}.`,
        });
    }
  }
}

/** `!env NAME [default]`: the stack's own env section first, then the process environment, then the default. */
export function evalEnvArg(
  arg: string,
  processEnv: Readonly<Record<string, string | undefined>>,
  sectionEnv: Readonly<Record<string, unknown>>,
  loc: SourceLocation,
): string {
  const m = /^(\S+)(?:\s+(.*))?$/s.exec(arg.trim());
  if (!m?.[1])
    throw new AppError('CONFIG', '!env needs a variable name', { location: loc, hint: 'Write !env NAME [default].' });
  const name = m[1];
  const fromSection = sectionEnv[name];
  if (typeof fromSection === 'string' || typeof fromSection === 'number' || typeof fromSection === 'boolean')
    return String(fromSection);
  const fromProcess = processEnv[name];
  if (fromProcess !== undefined) return fromProcess;
  if (m[2] !== undefined) return unquoteDefault(m[2]);
  return '';
}

function unquoteDefault(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))))
    return t.slice(1, -1);
  return t;
}
