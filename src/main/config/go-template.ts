// A small, documented subset of Go's text/template (with a few Sprig functions), enough for Atmos
// `name_template`, templated import paths, `.tmpl` imports, `!template` and `{{ }}` in stack values.
//
// Supported:
//   text and actions `{{ ... }}`, whitespace trimming `{{-` / `-}}`, comments `{{/* ... */}}`;
//   operands: `.`, field chains `.a.b.c`, variables `$`, `$x`, `$x.a`, strings "..." and `...`, numbers,
//   true/false/nil, parenthesised pipelines `( ... )`; pipelines `a | f x` (the piped value is the last argument);
//   variable declaration `{{ $x := ... }}`; `if`/`else if`/`else`/`end`, `with`/`else`/`end`, `range` over lists
//   and maps (`range $i, $v := ...`, sorted map keys as Go does), `index`, `len`;
//   functions: and or not eq ne lt le gt ge, print printf println (verbs %s %d %v %q %t %f), default, empty,
//   coalesce, ternary, lower upper title trim trimPrefix trimSuffix trimAll replace contains hasPrefix hasSuffix,
//   quote squote, join split splitList, list dict hasKey keys, toJson toRawJson toString atoi int, b64enc b64dec,
//   env (from the injected environment), required.
// Not supported (an error names the construct): `define`/`template`/`block`, method calls, other Sprig/Gomplate
// functions.
import { inspect } from 'node:util';

/** What a missing map key renders as: an error (Atmos' default for imports), empty text, or Go's `<no value>`. */
export type MissingKeyMode = 'error' | 'empty' | 'no-value';

export interface TemplateOptions {
  readonly missingKey?: MissingKeyMode;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Thrown for template syntax and evaluation errors; callers wrap it with the file and line. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

type Tok =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'field'; v: string[] }
  | { t: 'var'; name: string; fields: string[] }
  | { t: 'ident'; v: string }
  | { t: 'op'; v: '(' | ')' | '|' | ':=' | '=' | ',' }
  | { t: 'dotfield'; v: string[] };

type Expr =
  | { k: 'lit'; v: unknown }
  | { k: 'field'; path: string[] }
  | { k: 'var'; name: string; path: string[] }
  | { k: 'call'; fn: string; args: Expr[] }
  | { k: 'pipe'; cmds: Expr[][]; decl?: string[] }
  | { k: 'sub'; pipe: Expr; path: string[] };

type TNode =
  | { k: 'text'; text: string }
  | { k: 'action'; pipe: Expr }
  | { k: 'if'; branches: { cond: Expr; body: TNode[] }[]; otherwise: TNode[] }
  | { k: 'with'; pipe: Expr; body: TNode[]; otherwise: TNode[] }
  | { k: 'range'; pipe: Expr; body: TNode[]; otherwise: TNode[] };

const MISSING: unique symbol = Symbol('missing');

const cache = new Map<string, TNode[]>();

/** Render `source` with `data`. Throws TemplateError. Parsed templates are cached by their text. */
export function renderTemplate(source: string, data: unknown, options: TemplateOptions = {}): string {
  if (!source.includes('{{')) return source;
  let nodes = cache.get(source);
  if (!nodes) {
    nodes = parseTemplate(source);
    if (cache.size > 5000) cache.clear();
    cache.set(source, nodes);
  }
  const ctx: Ctx = { vars: [new Map([['$', data]])], opts: options };
  let out = '';
  for (const n of nodes) out += execNode(n, data, ctx);
  return out;
}

/** True when the text contains a template action. */
export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

// ---- parsing ----

interface RawAction {
  readonly body: string;
}

function splitSource(src: string): (string | RawAction)[] {
  const parts: (string | RawAction)[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      parts.push(src.slice(i));
      break;
    }
    let text = src.slice(i, open);
    let start = open + 2;
    if (src[start] === '-' && /\s/.test(src[start + 1] ?? '')) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    const close = findClose(src, start);
    if (close < 0) throw new TemplateError('unclosed action: missing "}}"');
    let end = close;
    let trimAfter = false;
    if (src[close - 1] === '-' && /\s/.test(src[close - 2] ?? '')) {
      end = close - 1;
      trimAfter = true;
    }
    parts.push(text, { body: src.slice(start, end).trim() });
    i = close + 2;
    if (trimAfter) while (i < src.length && /\s/.test(src[i] ?? '')) i++;
  }
  return parts;
}

function findClose(src: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '}' && src[i + 1] === '}') return i;
  }
  return -1;
}

function lex(body: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const idChar = /[A-Za-z0-9_-]/;
  const readPath = (): string[] => {
    const path: string[] = [];
    while (body[i] === '.' && /[A-Za-z_]/.test(body[i + 1] ?? '')) {
      i++;
      let name = '';
      while (i < body.length && /[A-Za-z0-9_]/.test(body[i] ?? '')) name += body[i++];
      path.push(name);
    }
    return path;
  };
  while (i < body.length) {
    const c = body[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < body.length && body[j] !== '"') {
        if (body[j] === '\\') {
          const n = body[j + 1];
          s += n === 'n' ? '\n' : n === 't' ? '\t' : (n ?? '');
          j += 2;
        } else s += body[j++];
      }
      if (j >= body.length) throw new TemplateError('unterminated string');
      toks.push({ t: 'str', v: s });
      i = j + 1;
    } else if (c === '`') {
      const j = body.indexOf('`', i + 1);
      if (j < 0) throw new TemplateError('unterminated raw string');
      toks.push({ t: 'str', v: body.slice(i + 1, j) });
      i = j + 1;
    } else if (c === '.') {
      const path = readPath();
      if (path.length === 0) {
        i++;
        toks.push({ t: 'field', v: [] });
      } else toks.push({ t: 'field', v: path });
    } else if (c === '$') {
      i++;
      let name = '$';
      while (i < body.length && /[A-Za-z0-9_]/.test(body[i] ?? '')) name += body[i++];
      toks.push({ t: 'var', name, fields: readPath() });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(body[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < body.length && /[0-9.eE]/.test(body[j] ?? '')) j++;
      toks.push({ t: 'num', v: Number(body.slice(i, j)) });
      i = j;
    } else if (c === ':' && body[i + 1] === '=') {
      toks.push({ t: 'op', v: ':=' });
      i += 2;
    } else if (c === '(' || c === ')' || c === '|' || c === '=' || c === ',') {
      toks.push({ t: 'op', v: c });
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      let name = '';
      while (i < body.length && idChar.test(body[i] ?? '')) name += body[i++];
      toks.push({ t: 'ident', v: name });
    } else {
      throw new TemplateError(`unexpected character "${c}" in action`);
    }
    // A field chain right after ")" belongs to the parenthesised value.
    if (toks.at(-1)?.t === 'op' && (toks.at(-1) as { v: string }).v === ')' && body[i] === '.') {
      toks.push({ t: 'dotfield', v: readPath() });
    }
  }
  return toks;
}

class TokStream {
  i = 0;
  constructor(readonly toks: Tok[]) {}
  peek(): Tok | undefined {
    return this.toks[this.i];
  }
  next(): Tok | undefined {
    return this.toks[this.i++];
  }
}

function parsePipeline(ts: TokStream, allowDecl = true): Expr {
  let decl: string[] | undefined;
  if (allowDecl) {
    // `$x :=` or `$i, $v :=`
    const save = ts.i;
    const names: string[] = [];
    while (ts.peek()?.t === 'var') {
      const v = ts.next() as { name: string };
      names.push(v.name);
      if (ts.peek()?.t === 'op' && (ts.peek() as { v: string }).v === ',') ts.next();
      else break;
    }
    const op = ts.peek();
    if (names.length > 0 && op?.t === 'op' && (op.v === ':=' || op.v === '=')) {
      ts.next();
      decl = names;
    } else ts.i = save;
  }
  const cmds: Expr[][] = [];
  let cur: Expr[] = [];
  for (;;) {
    const t = ts.peek();
    if (!t) break;
    if (t.t === 'op' && t.v === ')') break;
    ts.next();
    if (t.t === 'op' && t.v === '|') {
      cmds.push(cur);
      cur = [];
      continue;
    }
    cur.push(operand(t, ts));
  }
  cmds.push(cur);
  if (cmds.some((c) => c.length === 0)) throw new TemplateError('missing value in pipeline');
  return decl ? { k: 'pipe', cmds, decl } : { k: 'pipe', cmds };
}

function operand(t: Tok, ts: TokStream): Expr {
  switch (t.t) {
    case 'str':
    case 'num':
      return { k: 'lit', v: t.v };
    case 'field':
      return { k: 'field', path: t.v };
    case 'var':
      return { k: 'var', name: t.name, path: t.fields };
    case 'ident':
      if (t.v === 'true') return { k: 'lit', v: true };
      if (t.v === 'false') return { k: 'lit', v: false };
      if (t.v === 'nil') return { k: 'lit', v: null };
      return { k: 'call', fn: t.v, args: [] };
    case 'op': {
      if (t.v !== '(') throw new TemplateError(`unexpected "${t.v}"`);
      const inner = parsePipeline(ts, false);
      const close = ts.next();
      if (close?.t !== 'op' || close.v !== ')') throw new TemplateError('missing ")"');
      const after = ts.peek();
      if (after?.t === 'dotfield') {
        ts.next();
        return { k: 'sub', pipe: inner, path: after.v };
      }
      return { k: 'sub', pipe: inner, path: [] };
    }
    case 'dotfield':
      throw new TemplateError('unexpected field');
  }
}

function parseTemplate(src: string): TNode[] {
  const parts = splitSource(src);
  let pos = 0;
  const parseList = (terminators: readonly string[]): { nodes: TNode[]; end: string } => {
    const nodes: TNode[] = [];
    while (pos < parts.length) {
      const p = parts[pos++];
      if (typeof p === 'string') {
        if (p !== '') nodes.push({ k: 'text', text: p });
        continue;
      }
      const body = p?.body ?? '';
      if (body.startsWith('/*')) continue;
      const word = /^([a-z]+)\b/.exec(body)?.[1] ?? '';
      if (terminators.includes(word) && (word === 'end' || word === 'else')) return { nodes, end: body };
      if (word === 'if' || word === 'with' || word === 'range') {
        nodes.push(parseBlock(word, body.slice(word.length)));
        continue;
      }
      if (word === 'end' || word === 'else') throw new TemplateError(`unexpected {{${word}}}`);
      if (['define', 'template', 'block', 'break', 'continue'].includes(word))
        throw new TemplateError(`{{${word}}} is not supported`);
      nodes.push({ k: 'action', pipe: parsePipeline(new TokStream(lex(body))) });
    }
    if (terminators.length > 0) throw new TemplateError('missing {{end}}');
    return { nodes, end: '' };
  };
  const parseBlock = (word: 'if' | 'with' | 'range', rest: string): TNode => {
    const pipe = parsePipeline(new TokStream(lex(rest)));
    if (word === 'if') {
      const branches = [{ cond: pipe, body: [] as TNode[] }];
      let otherwise: TNode[] = [];
      for (;;) {
        const r = parseList(['end', 'else']);
        const last = branches[branches.length - 1];
        if (last) last.body = r.nodes;
        if (r.end === 'end') break;
        const elseIf = /^else\s+if\b(.*)$/s.exec(r.end);
        if (elseIf) {
          branches.push({ cond: parsePipeline(new TokStream(lex(elseIf[1] ?? ''))), body: [] });
          continue;
        }
        const r2 = parseList(['end']);
        otherwise = r2.nodes;
        break;
      }
      return { k: 'if', branches, otherwise };
    }
    const r = parseList(['end', 'else']);
    let otherwise: TNode[] = [];
    if (r.end !== 'end') otherwise = parseList(['end']).nodes;
    return { k: word, pipe, body: r.nodes, otherwise };
  };
  return parseList([]).nodes;
}

// ---- execution ----

interface Ctx {
  readonly vars: Map<string, unknown>[];
  readonly opts: TemplateOptions;
}

function lookupVar(ctx: Ctx, name: string): unknown {
  for (let i = ctx.vars.length - 1; i >= 0; i--) {
    const scope = ctx.vars[i];
    if (scope?.has(name)) return scope.get(name);
  }
  throw new TemplateError(`undefined variable ${name}`);
}

function walk(value: unknown, path: readonly string[], ctx: Ctx, label: string): unknown {
  let cur = value;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] ?? '';
    if (cur === MISSING || cur === null || cur === undefined || typeof cur !== 'object' || Array.isArray(cur)) {
      return missing(
        ctx,
        label +
          path
            .slice(0, i + 1)
            .map((p) => `.${p}`)
            .join(''),
      );
    }
    const rec = cur as Record<string, unknown>;
    if (!Object.prototype.hasOwnProperty.call(rec, key))
      return missing(
        ctx,
        label +
          path
            .slice(0, i + 1)
            .map((p) => `.${p}`)
            .join(''),
      );
    cur = rec[key];
  }
  return cur;
}

function missing(ctx: Ctx, what: string): unknown {
  if ((ctx.opts.missingKey ?? 'error') === 'error')
    throw new TemplateError(`map has no entry for key "${what.replace(/^\$?\./, '')}"`);
  return MISSING;
}

function evalExpr(e: Expr, dot: unknown, ctx: Ctx, piped?: { v: unknown }): unknown {
  switch (e.k) {
    case 'lit':
      return e.v;
    case 'field':
      return walk(dot, e.path, ctx, '');
    case 'var':
      return walk(lookupVar(ctx, e.name), e.path, ctx, e.name === '$' ? '' : e.name);
    case 'sub':
      return walk(evalExpr(e.pipe, dot, ctx), e.path, ctx, '');
    case 'call': {
      const args = e.args.map((a) => evalExpr(a, dot, ctx));
      if (piped) args.push(piped.v);
      return callFn(e.fn, args, ctx);
    }
    case 'pipe': {
      let acc: { v: unknown } | undefined;
      for (const cmd of e.cmds) {
        const [head, ...rest] = cmd;
        if (!head) throw new TemplateError('empty command');
        if (head.k === 'call') {
          const args = rest.map((a) => evalExpr(a, dot, ctx));
          if (acc) args.push(acc.v);
          acc = { v: callFn(head.fn, args, ctx) };
        } else {
          if (rest.length > 0 || acc) throw new TemplateError('can only pipe into a function');
          acc = { v: evalExpr(head, dot, ctx) };
        }
      }
      return acc?.v;
    }
  }
}

function truthy(v: unknown): boolean {
  if (v === MISSING || v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** Go's `fmt` default formatting of a value (maps as `map[k:v]`, lists as `[a b]`, nil as `<no value>`). */
export function goString(v: unknown, ctx?: Ctx): string {
  if (v === MISSING) return ctx?.opts.missingKey === 'empty' ? '' : '<no value>';
  if (v === null || v === undefined) return '<no value>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => goString(x, ctx)).join(' ')}]`;
  if (typeof v === 'object') {
    const rec = v as Record<string, unknown>;
    return `map[${Object.keys(rec)
      .sort()
      .map((k) => `${k}:${goString(rec[k], ctx)}`)
      .join(' ')}]`;
  }
  return inspect(v);
}

function plain(v: unknown): unknown {
  return v === MISSING ? null : v;
}

function sprintf(format: string, args: unknown[]): string {
  let i = 0;
  return format.replace(/%([-+ 0#]*\d*(?:\.\d+)?)([sdvqtfx%])/g, (_m, _flags: string, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    switch (verb) {
      case 'd':
        return String(Math.trunc(Number(plain(a))));
      case 'f':
        return Number(plain(a)).toFixed(6);
      case 'q':
        return JSON.stringify(goString(a));
      case 'x':
        return Buffer.from(goString(a)).toString('hex');
      default:
        return goString(a);
    }
  });
}

function cmp(a: unknown, b: unknown): number {
  const x = plain(a);
  const y = plain(b);
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
}

function callFn(fn: string, args: unknown[], ctx: Ctx): unknown {
  const s = (i: number): string => goStringOrEmpty(args[i]);
  switch (fn) {
    case 'and':
      return args.reduce((acc, a) => (truthy(acc) ? a : acc), true);
    case 'or':
      return args.find((a) => truthy(a)) ?? args.at(-1);
    case 'not':
      return !truthy(args[0]);
    case 'eq':
      return args.slice(1).some((a) => plain(a) === plain(args[0]));
    case 'ne':
      return plain(args[0]) !== plain(args[1]);
    case 'lt':
      return cmp(args[0], args[1]) < 0;
    case 'le':
      return cmp(args[0], args[1]) <= 0;
    case 'gt':
      return cmp(args[0], args[1]) > 0;
    case 'ge':
      return cmp(args[0], args[1]) >= 0;
    case 'print':
      return args.map((a) => goString(a, ctx)).join('');
    case 'println':
      return `${args.map((a) => goString(a, ctx)).join(' ')}\n`;
    case 'printf':
      return sprintf(s(0), args.slice(1));
    case 'default':
      return truthy(args[1]) ? args[1] : args[0];
    case 'empty':
      return !truthy(args[0]);
    case 'coalesce':
      return args.find((a) => truthy(a)) ?? null;
    case 'ternary':
      return truthy(args[2]) ? args[0] : args[1];
    case 'required':
      if (!truthy(args[1])) throw new TemplateError(s(0));
      return args[1];
    case 'lower':
      return s(0).toLowerCase();
    case 'upper':
      return s(0).toUpperCase();
    case 'title':
      return s(0).replace(/\b\w/g, (c) => c.toUpperCase());
    case 'trim':
      return s(0).trim();
    case 'trimAll':
      return trimChars(s(1), s(0));
    case 'trimPrefix':
      return s(1).startsWith(s(0)) ? s(1).slice(s(0).length) : s(1);
    case 'trimSuffix':
      return s(0) !== '' && s(1).endsWith(s(0)) ? s(1).slice(0, -s(0).length) : s(1);
    case 'replace':
      return s(2).split(s(0)).join(s(1));
    case 'contains':
      return s(1).includes(s(0));
    case 'hasPrefix':
      return s(1).startsWith(s(0));
    case 'hasSuffix':
      return s(1).endsWith(s(0));
    case 'quote':
      return args.map((a) => JSON.stringify(goStringOrEmpty(a))).join(' ');
    case 'squote':
      return args.map((a) => `'${goStringOrEmpty(a)}'`).join(' ');
    case 'join':
      return (Array.isArray(args[1]) ? args[1] : []).map((a: unknown) => goStringOrEmpty(a)).join(s(0));
    case 'split': {
      const out: Record<string, string> = {};
      s(1)
        .split(s(0))
        .forEach((p, i) => (out[`_${i}`] = p));
      return out;
    }
    case 'splitList':
      return s(1).split(s(0));
    case 'list':
      return args.map(plain);
    case 'dict': {
      const out: Record<string, unknown> = {};
      for (let i = 0; i + 1 < args.length; i += 2) out[s(i)] = plain(args[i + 1]);
      return out;
    }
    case 'hasKey': {
      const m = args[0];
      return m !== null && typeof m === 'object' && Object.prototype.hasOwnProperty.call(m, s(1));
    }
    case 'keys':
      return args.flatMap((m) => (m && typeof m === 'object' ? Object.keys(m).sort() : []));
    case 'index': {
      let cur = args[0];
      for (const k of args.slice(1)) {
        if (cur === null || typeof cur !== 'object') return missing(ctx, `index ${goString(k)}`);
        const next: unknown = Array.isArray(cur) ? cur[Number(k)] : (cur as Record<string, unknown>)[String(plain(k))];
        cur = next === undefined ? missing(ctx, `index ${goString(k)}`) : next;
      }
      return cur;
    }
    case 'len': {
      const v = plain(args[0]);
      if (typeof v === 'string' || Array.isArray(v)) return v.length;
      if (v && typeof v === 'object') return Object.keys(v).length;
      return 0;
    }
    case 'toJson':
    case 'toRawJson':
      return JSON.stringify(plain(args[0]) ?? null);
    case 'toString':
      return goStringOrEmpty(args[0]);
    case 'atoi':
    case 'int':
      return Number.parseInt(s(0), 10) || 0;
    case 'b64enc':
      return Buffer.from(s(0)).toString('base64');
    case 'b64dec':
      return Buffer.from(s(0), 'base64').toString('utf8');
    case 'env':
      return ctx.opts.env?.[s(0)] ?? '';
    default:
      throw new TemplateError(`function "${fn}" not defined`);
  }
}

function goStringOrEmpty(v: unknown): string {
  return v === MISSING || v === null || v === undefined ? '' : goString(v);
}

function trimChars(s: string, chars: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a] ?? '')) a++;
  while (b > a && chars.includes(s[b - 1] ?? '')) b--;
  return s.slice(a, b);
}

function execList(nodes: readonly TNode[], dot: unknown, ctx: Ctx): string {
  let out = '';
  for (const n of nodes) out += execNode(n, dot, ctx);
  return out;
}

function execPipe(pipe: Expr, dot: unknown, ctx: Ctx): unknown {
  const v = evalExpr(pipe, dot, ctx);
  if (pipe.k === 'pipe' && pipe.decl) {
    const scope = ctx.vars[ctx.vars.length - 1];
    for (const name of pipe.decl) scope?.set(name, v);
  }
  return v;
}

function execNode(n: TNode, dot: unknown, ctx: Ctx): string {
  switch (n.k) {
    case 'text':
      return n.text;
    case 'action': {
      const v = execPipe(n.pipe, dot, ctx);
      return n.pipe.k === 'pipe' && n.pipe.decl ? '' : goString(v, ctx);
    }
    case 'if':
      for (const b of n.branches) {
        if (truthy(evalExpr(b.cond, dot, ctx))) return scoped(ctx, () => execList(b.body, dot, ctx));
      }
      return scoped(ctx, () => execList(n.otherwise, dot, ctx));
    case 'with': {
      const v = evalExpr(n.pipe, dot, ctx);
      return truthy(v)
        ? scoped(ctx, () => execList(n.body, v, ctx))
        : scoped(ctx, () => execList(n.otherwise, dot, ctx));
    }
    case 'range': {
      const v = plain(evalExpr(n.pipe, dot, ctx));
      const decl = n.pipe.k === 'pipe' ? n.pipe.decl : undefined;
      const entries: [unknown, unknown][] = Array.isArray(v)
        ? v.map((x, i) => [i, x])
        : v && typeof v === 'object'
          ? Object.keys(v)
              .sort()
              .map((k) => [k, (v as Record<string, unknown>)[k]])
          : [];
      if (entries.length === 0) return scoped(ctx, () => execList(n.otherwise, dot, ctx));
      let out = '';
      for (const [k, x] of entries) {
        out += scoped(ctx, () => {
          const scope = ctx.vars[ctx.vars.length - 1];
          if (decl?.length === 1) scope?.set(decl[0] ?? '', x);
          if (decl?.length === 2) {
            scope?.set(decl[0] ?? '', k);
            scope?.set(decl[1] ?? '', x);
          }
          return execList(n.body, x, ctx);
        });
      }
      return out;
    }
  }
}

function scoped(ctx: Ctx, f: () => string): string {
  ctx.vars.push(new Map());
  try {
    return f();
  } finally {
    ctx.vars.pop();
  }
}
