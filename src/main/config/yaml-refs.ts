// The values that YAML functions leave in a parsed manifest: `!secret` and `!store`/`!store.get` references
// (resolved later by the secrets engine and the store registry), and deferred calls (`!env`, `!exec`,
// `!template`) evaluated per component after the merge. Classes, so callers can find them with `instanceof`.
import { AppError, type SourceLocation } from '../../shared/errors';

/** `!secret NAME [| path q] [| default v] [| raw]`: a declared secret, resolved by the secrets engine. */
export class SecretRef {
  constructor(
    readonly name: string,
    readonly location: SourceLocation,
    readonly path?: string,
    readonly defaultValue?: string,
    readonly raw: boolean = false,
  ) {}

  toString(): string {
    return `!secret ${this.name}`;
  }
}

/** `!store <store> [<stack>] <component> <key>` or `!store.get <store> <key>`, with `| default` and `| query`. */
export class StoreRef {
  constructor(
    readonly kind: 'store' | 'store.get',
    readonly store: string,
    /** The key for `!store.get`; the output key for `!store`. */
    readonly key: string,
    readonly location: SourceLocation,
    readonly stack?: string,
    readonly component?: string,
    readonly defaultValue?: string,
    readonly query?: string,
  ) {}

  toString(): string {
    const parts =
      this.kind === 'store.get' ? [this.store, this.key] : [this.store, this.stack, this.component, this.key];
    return `!${this.kind} ${parts.filter((p) => p !== undefined).join(' ')}`;
  }
}

/** Functions evaluated per component after the merge (they depend on the component's env and context). */
export type DeferredTag = '!env' | '!exec' | '!template';

/** A YAML function whose value depends on the component it ends up in; evaluated after the merge. */
export class DeferredCall {
  constructor(
    readonly tag: DeferredTag,
    readonly arg: string,
    readonly location: SourceLocation,
  ) {}

  toString(): string {
    return `${this.tag} ${this.arg}`;
  }
}

/** A known Atmos function this loader does not evaluate (e.g. `!terraform.output`): kept as written. */
export class OpaqueCall {
  constructor(
    readonly tag: string,
    readonly arg: string,
    readonly location: SourceLocation,
  ) {}

  toString(): string {
    return `${this.tag} ${this.arg}`;
  }
}

/** `!literal text`: kept exactly as written, never template-rendered; unwrapped to a string after the merge. */
export class LiteralText {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** Split on `sep` outside double or single quotes (Atmos' `|` modifiers and space-separated arguments). */
export function splitOutsideQuotes(text: string, sep: ' ' | '|'): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
    } else if (sep === ' ' ? /\s/.test(ch) : ch === sep) {
      if (sep === '|' || cur !== '') out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (sep === '|' || cur !== '') out.push(cur);
  return sep === '|' ? out.map((s) => s.trim()) : out;
}

/** Remove one level of matching quotes; `"..."` also unescapes `\"` and `\\`. */
export function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/\\(["\\])/g, '$1');
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'")) return t.slice(1, -1);
  return t;
}

interface Modifiers {
  readonly path?: string;
  readonly defaultValue?: string;
  readonly query?: string;
  readonly raw: boolean;
}

function parseModifiers(
  parts: readonly string[],
  allowed: readonly string[],
  tag: string,
  loc: SourceLocation,
): Modifiers {
  let path: string | undefined;
  let defaultValue: string | undefined;
  let query: string | undefined;
  let raw = false;
  for (const part of parts) {
    const m = /^(\S+)\s*(.*)$/s.exec(part);
    const word = m?.[1] ?? '';
    const rest = m?.[2] ?? '';
    if (!allowed.includes(word)) {
      throw new AppError('CONFIG', `${tag}: unknown modifier "| ${word}"`, {
        location: loc,
        hint: `Allowed modifiers: ${allowed.map((a) => `| ${a}`).join(', ')}.`,
      });
    }
    if (word === 'raw') {
      raw = true;
      continue;
    }
    if (rest === '') {
      throw new AppError('CONFIG', `${tag}: "| ${word}" needs a value`, {
        location: loc,
        hint: `Write "| ${word} <value>".`,
      });
    }
    if (word === 'path') path = unquote(rest);
    else if (word === 'default') defaultValue = unquote(rest);
    else if (word === 'query') query = unquote(rest);
  }
  return {
    raw,
    ...(path !== undefined ? { path } : {}),
    ...(defaultValue !== undefined ? { defaultValue } : {}),
    ...(query !== undefined ? { query } : {}),
  };
}

/** Parse the text after `!secret`. */
export function parseSecretRef(arg: string, loc: SourceLocation): SecretRef {
  const [head = '', ...mods] = splitOutsideQuotes(arg, '|');
  const words = splitOutsideQuotes(head, ' ');
  if (words.length !== 1 || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(words[0] ?? '')) {
    throw new AppError('CONFIG', `!secret needs exactly one secret name, got "${head}"`, {
      location: loc,
      hint: 'Write !secret NAME [| path ".field"] [| default "value"] [| raw].',
    });
  }
  const m = parseModifiers(mods, ['path', 'default', 'raw'], '!secret', loc);
  return new SecretRef(words[0] ?? '', loc, m.path, m.defaultValue, m.raw);
}

/** Parse the text after `!store` or `!store.get`. */
export function parseStoreRef(kind: 'store' | 'store.get', arg: string, loc: SourceLocation): StoreRef {
  const [head = '', ...mods] = splitOutsideQuotes(arg, '|');
  const words = splitOutsideQuotes(head, ' ').map(unquote);
  const m = parseModifiers(mods, ['default', 'query'], `!${kind}`, loc);
  if (kind === 'store.get') {
    if (words.length !== 2) {
      throw new AppError('CONFIG', `!store.get needs 2 arguments (store, key), got ${words.length}`, {
        location: loc,
        hint: 'Write !store.get <store> <key> [| default v] [| query q].',
      });
    }
    return new StoreRef(
      'store.get',
      words[0] ?? '',
      words[1] ?? '',
      loc,
      undefined,
      undefined,
      m.defaultValue,
      m.query,
    );
  }
  if (words.length === 3) {
    return new StoreRef('store', words[0] ?? '', words[2] ?? '', loc, undefined, words[1], m.defaultValue, m.query);
  }
  if (words.length === 4) {
    return new StoreRef('store', words[0] ?? '', words[3] ?? '', loc, words[1], words[2], m.defaultValue, m.query);
  }
  throw new AppError('CONFIG', `!store needs 3 or 4 arguments (store [stack] component key), got ${words.length}`, {
    location: loc,
    hint: 'Write !store <store> [<stack>] <component> <key> [| default v] [| query q].',
  });
}
