// Parse one YAML file into plain data: duplicate keys refused in one pass (yaml's own check is quadratic),
// Atmos YAML function tags turned into reference objects, and the line of every mapping key remembered so
// later errors (secrets declarations, imports, config types) can name file and line.
import {
  LineCounter,
  parseDocument,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node as YamlNode,
  type Document,
} from 'yaml';
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

const KNOWN_TAGS = [
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: false,
    merge: false,
    prettyErrors: false,
    strict: false,
    keepSourceTokens: false,
  });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    throw new AppError('YAML', `invalid YAML: ${first.message.split('\n')[0] ?? first.message}`, {
      location: { file, ...(pos ? { line: pos.line, column: pos.col } : {}) },
      hint: 'Fix the YAML syntax at that position.',
    });
  }
  const conv = new Converter(file, lineCounter, doc, options);
  const value = conv.convert(doc.contents, undefined, '');
  return {
    value: value === undefined ? null : value,
    includes: conv.includes,
    dynamic: conv.dynamic,
    execs: conv.execs,
  };
}

class Converter {
  readonly includes: IncludeSite[] = [];
  readonly execs: SourceLocation[] = [];
  dynamic = false;
  private readonly aliasCache = new Map<YamlNode, unknown>();
  /** Nodes an alias is being converted for (an alias inside its own anchor would recurse forever). */
  private readonly resolving = new Set<YamlNode>();
  /** Expanded size (values) of each node an alias targets, capped at MAX_ALIAS_EXPANSION + 1. */
  private readonly sizes = new Map<unknown, number>();
  /** Values aliases have added so far: every use counts, since later walks expand shared data. */
  private aliasValues = 0;
  private depth = 0;

  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
    private readonly doc: Document,
    private readonly options: ParseOptions,
  ) {}

  private loc(node: { range?: [number, number, number] | null } | null | undefined): SourceLocation {
    const offset = node?.range?.[0];
    if (offset === undefined) return { file: this.file };
    const p = this.lines.linePos(offset);
    return { file: this.file, line: p.line, column: p.col };
  }

  /**
   * The 1-based line of a node (0 when unknown): `loc` without the object, for the per-key lines every mapping
   * records (a large estate has hundreds of thousands of keys; LineCounter.linePos allocates per call).
   */
  private lineOf(node: { range?: [number, number, number] | null } | null | undefined): number {
    const offset = node?.range?.[0];
    if (offset === undefined) return 0;
    const starts = this.lines.lineStarts;
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((starts[mid] as number) < offset) low = mid + 1;
      else high = mid;
    }
    // As linePos: an offset at a line start is on that line, else on the line started before it.
    return starts[low] === offset ? low + 1 : low;
  }

  convert(node: unknown, parent: Record<string, unknown> | unknown[] | undefined, key: string | number): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) throw new AppError('YAML', `unknown alias *${node.source}`, { location: this.loc(node) });
      if (this.resolving.has(target)) throw this.selfAlias(node.source, node);
      this.aliasValues += this.sizeOf(target, node.source, new Set());
      if (this.aliasValues > MAX_ALIAS_EXPANSION) {
        throw new AppError(
          'YAML',
          `YAML aliases in ${this.file} expand to more than ${MAX_ALIAS_EXPANSION} values (a "billion laughs" document?)`,
          { location: this.loc(node), hint: 'Write the repeated data out, or use fewer nested aliases.' },
        );
      }
      if (this.aliasCache.has(target)) return this.aliasCache.get(target);
      this.resolving.add(target);
      const v = this.convert(target, parent, key);
      this.resolving.delete(target);
      this.aliasCache.set(target, v);
      return v;
    }
    if (isMap(node) || isSeq(node)) {
      if (++this.depth > MAX_NESTING) {
        throw new AppError('YAML', `${this.file}: YAML nested more than ${MAX_NESTING} levels`, {
          location: this.loc(node),
          hint: 'Flatten the structure; configuration this deep is not supported.',
        });
      }
      try {
        return this.container(node, parent, key);
      } finally {
        this.depth--;
      }
    }
    return this.container(node, parent, key);
  }

  private selfAlias(name: string, node: YamlNode): AppError {
    return new AppError('YAML', `alias *${name} refers to a mapping or list that contains it`, {
      location: this.loc(node),
      hint: 'An alias must refer to an anchor defined before, outside the aliased node.',
    });
  }

  /** How many values `node` stands for once its aliases are expanded (memoised, so linear in the file). */
  private sizeOf(node: unknown, alias: string, visiting: Set<unknown>): number {
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    if (visiting.has(node)) throw this.selfAlias(alias, node as YamlNode);
    visiting.add(node);
    let n = 1;
    if (isAlias(node)) {
      const t = node.resolve(this.doc);
      n = t ? this.sizeOf(t, node.source, visiting) : 1;
    } else if (isMap(node)) {
      for (const p of node.items) if (isPair(p)) n += this.sizeOf(p.value, alias, visiting);
    } else if (isSeq(node)) {
      for (const item of node.items) n += this.sizeOf(item, alias, visiting);
    }
    visiting.delete(node);
    n = Math.min(n, MAX_ALIAS_EXPANSION + 1);
    this.sizes.set(node, n);
    return n;
  }

  private container(
    node: unknown,
    parent: Record<string, unknown> | unknown[] | undefined,
    key: string | number,
  ): unknown {
    const tag = (node as { tag?: string }).tag;
    if (tag !== undefined && tag.startsWith('!')) return this.tagged(node as YamlNode, tag, parent, key);
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v === 'string' && v.includes('{{')) this.dynamic = true;
      return v;
    }
    if (isMap(node)) return this.map(node.items, node);
    if (isSeq(node)) {
      const out: unknown[] = [];
      const keyLines: Record<string, number> = {};
      node.items.forEach((item, i) => {
        const l = this.lineOf(item as { range?: [number, number, number] | null });
        if (l) keyLines[String(i)] = l;
        out.push(this.convert(item, out, i));
      });
      setSource(out, { file: this.file, line: this.lineOf(node), keyLines });
      return out;
    }
    throw new AppError('YAML', 'unsupported YAML node', { location: this.loc(node as YamlNode) });
  }

  private map(items: readonly unknown[], node: YamlNode): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keyLines: Record<string, number> = {};
    const seen = new Set<string>();
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key;
      const k = isScalar(keyNode) ? String(keyNode.value) : keyNode === null ? '' : String(keyNode);
      const line = this.lineOf(keyNode as YamlNode | null);
      if (k === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
        this.mergeKey(pair.value, out, keyLines);
        continue;
      }
      if (seen.has(k)) {
        throw new AppError('YAML', `duplicate key "${k}"`, {
          location: this.loc(keyNode as YamlNode | null),
          hint: `Remove one of the "${k}" entries; YAML mappings may not repeat a key.`,
        });
      }
      seen.add(k);
      if (line) keyLines[k] = line;
      out[k] = this.convert(pair.value, out, k);
    }
    setSource(out, { file: this.file, line: this.lineOf(node), keyLines });
    return out;
  }

  /** `<<: *anchor` (or a list of anchors): earlier keys of this mapping win, as YAML 1.1 merge keys do. */
  private mergeKey(value: unknown, out: Record<string, unknown>, keyLines: Record<string, number>): void {
    const sources = isSeq(value) ? value.items : [value];
    for (const s of sources) {
      const v = this.convert(s, undefined, '');
      if (v === null || typeof v !== 'object' || Array.isArray(v)) {
        throw new AppError('YAML', 'a merge key (<<) needs a mapping or a list of mappings', {
          location: this.loc(s as YamlNode),
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
    }
  }

  private tagged(
    node: YamlNode,
    tag: string,
    parent: Record<string, unknown> | unknown[] | undefined,
    key: string | number,
  ): unknown {
    const loc = this.loc(node);
    if (!isScalar(node)) {
      throw new AppError(
        'CONFIG',
        KNOWN_TAGS.includes(tag)
          ? `${tag} takes a string argument, not a mapping or list`
          : `unknown YAML function ${tag}`,
        {
          location: loc,
          hint: `Supported functions: ${KNOWN_TAGS.join(', ')}.`,
        },
      );
    }
    const arg = String(node.value ?? '').trim();
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
        return new LiteralText(String(node.value ?? ''));
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
