// Dotenv and JSON files for pull/push/init: a small parser and writer that round-trip any value exactly
// (newlines, quotes, `#`, `=`, leading spaces). Parse errors name the line, never quote the value.
import { AppError } from '../../../shared/errors';

export const SECRET_FILE_FORMATS = ['env', 'json'] as const;
export type SecretFileFormat = (typeof SECRET_FILE_FORMATS)[number];

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const PLAIN = /^[A-Za-z0-9_./:@+,%^-]*$/;

function bad(line: number, message: string, source: string): never {
  throw new AppError('BAD_REQUEST', `${source}:${line}: ${message}`, {
    hint: 'Write KEY=value, KEY="value with \\n escapes" or KEY=\'literal value\', one per line; # starts a comment.',
  });
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

/** Parse dotenv text into an ordered record; a duplicate key is an error (which one would win is not obvious). */
export function parseDotenv(text: string, source = 'input'): Record<string, string> {
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    // Skip blank space and comment lines.
    const lineStart = i;
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= n) break;
    if (text[i] === '\n' || text[i] === '\r') {
      if (text[i] === '\r' && text[i + 1] === '\n') i++;
      i++;
      line++;
      continue;
    }
    if (text[i] === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const startLine = line;
    let rest = text.slice(i);
    const exp = /^export[ \t]+/.exec(rest);
    if (exp) {
      i += exp[0].length;
      rest = text.slice(i);
    }
    const m = /^([^=\s]+)[ \t]*=[ \t]*/.exec(rest);
    if (!m?.[1]) bad(startLine, 'expected KEY=value', source);
    const key = m[1];
    // The text before `=` is not echoed: on a malformed line it may be part of a value.
    if (!KEY.test(key)) bad(startLine, 'the name before "=" is not a valid variable name', source);
    i += m[0].length;
    let value = '';
    const q = text[i];
    if (q === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const ch = text[i] ?? '';
        if (ch === '\\' && i + 1 < n) {
          const next = text[i + 1] ?? '';
          value += ESCAPES[next] ?? `\\${next}`;
          if (next === '\n') line++;
          i += 2;
          continue;
        }
        if (ch === '"') {
          closed = true;
          i++;
          break;
        }
        if (ch === '\n') line++;
        value += ch;
        i++;
      }
      if (!closed) bad(startLine, `the double-quoted value of ${key} is not closed`, source);
    } else if (q === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) bad(startLine, `the single-quoted value of ${key} is not closed`, source);
      value = text.slice(i + 1, end);
      for (const ch of value) if (ch === '\n') line++;
      i = end + 1;
    } else {
      let end = i;
      while (end < n && text[end] !== '\n' && text[end] !== '\r') end++;
      let raw = text.slice(i, end);
      // An unquoted ` #` starts a comment.
      const hash = raw.search(/[ \t]#/);
      if (hash >= 0) raw = raw.slice(0, hash);
      value = raw.trim();
      i = end;
    }
    // Only a comment may follow a quoted value on its line.
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i < n && text[i] === '#') while (i < n && text[i] !== '\n') i++;
    if (i < n && text[i] !== '\n' && text[i] !== '\r') bad(line, `unexpected text after the value of ${key}`, source);
    if (seen.has(key)) bad(startLine, `${key} appears more than once`, source);
    seen.add(key);
    out[key] = value;
    if (i === lineStart) i++;
  }
  return out;
}

function quoteDotenv(value: string): string {
  if (value !== '' && PLAIN.test(value)) return value;
  if (!/['\n\r]/.test(value)) return `'${value}'`;
  return `"${value.replace(/[\\"$\n\r\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\${c}`))}"`;
}

export function formatDotenv(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${quoteDotenv(v)}\n`)
    .join('');
}

/** A JSON object of strings (other scalars are written as their JSON text; nested values are refused). */
export function parseJsonSecrets(text: string, source = 'input'): Record<string, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // JSON.parse messages can quote the input, so only the position survives.
    const pos = e instanceof Error ? /position (\d+)/.exec(e.message)?.[1] : undefined;
    throw new AppError('BAD_REQUEST', `${source} is not valid JSON${pos ? ` (at character ${pos})` : ''}`, {
      hint: 'Write one JSON object: {"NAME": "value", ...}.',
    });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new AppError('BAD_REQUEST', `${source} must be a JSON object of NAME: value`, {
      hint: 'Write {"NAME": "value", ...}.',
    });
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else
      throw new AppError('BAD_REQUEST', `${source}: the value of ${k} must be a string`, {
        hint: 'Encode structured secrets as a JSON string.',
      });
  }
  return out;
}

export function formatJsonSecrets(values: Readonly<Record<string, string>>): string {
  return `${JSON.stringify(values, null, 2)}\n`;
}

export function parseSecretFile(text: string, format: SecretFileFormat, source?: string): Record<string, string> {
  switch (format) {
    case 'env':
      return parseDotenv(text, source);
    case 'json':
      return parseJsonSecrets(text, source);
    default: {
      const never: never = format;
      throw new AppError('INTERNAL', `unexpected format ${String(never)}`);
    }
  }
}

export function formatSecretFile(values: Readonly<Record<string, string>>, format: SecretFileFormat): string {
  switch (format) {
    case 'env':
      return formatDotenv(values);
    case 'json':
      return formatJsonSecrets(values);
    default: {
      const never: never = format;
      throw new AppError('INTERNAL', `unexpected format ${String(never)}`);
    }
  }
}
