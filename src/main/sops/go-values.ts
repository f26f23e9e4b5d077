// The plaintext bytes of each SOPS value type, exactly as Go sops writes and re-reads them: strconv number
// formats (floats never in exponent form), Python-era `True`/`False`, RFC 3339 times. The MAC hashes these
// bytes too, so they must match Go byte for byte.
import { basename } from 'node:path';
import { AppError } from '../../shared/errors';
import { SopsTime, type SopsLeaf } from './tree';

export type ValueType = 'str' | 'int' | 'float' | 'bool' | 'time' | 'comment' | 'bytes';
export const VALUE_TYPES: readonly ValueType[] = ['str', 'int', 'float', 'bool', 'time', 'comment', 'bytes'];

const utf8 = new TextEncoder();
// fatal: a non-UTF-8 payload (binary store) stays bytes; ignoreBOM: a leading BOM is data, not decoration.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest round-trip digits, never an exponent. */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  const s = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = '', expText] = m;
  const digits = lead + frac;
  const exp = Number(expText);
  // The decimal point sits after digit 1 + exp.
  const point = 1 + exp;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Go's strconv.ParseFloat for the forms sops can meet; undefined when Go would refuse it. */
export function parseGoFloat(s: string): number | undefined {
  const t = s.toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  if (/^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(e[+-]?\d+)?$/.test(t)) return Number(t.replace(/_/g, ''));
  if (/^[+-]?0x[\da-f_]*\.?[\da-f_]*(p[+-]?\d+)?$/.test(t)) {
    const m = /^([+-]?)0x([\da-f_]*)\.?([\da-f_]*)(?:p([+-]?\d+))?$/.exec(t);
    if (!m) return undefined;
    const [, sign, int, frac, exp = '0'] = m;
    const mant = parseInt((int + frac).replace(/_/g, '') || '0', 16);
    const v = mant * 2 ** (Number(exp) - 4 * frac.replace(/_/g, '').length);
    return sign === '-' ? -v : v;
  }
  return undefined;
}

/** Go's strconv.Atoi (int64 range). */
export function parseGoInt(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go's strconv.ParseBool. */
export function parseGoBool(s: string): boolean | undefined {
  if (TRUE_WORDS.has(s)) return true;
  if (FALSE_WORDS.has(s)) return false;
  return undefined;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:\d{2})$/;
const YAML_TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d*))?(?:[ \t]*(Z|[+-]\d{1,2}(?::?\d{2})?))?)?$/;

/** Whether a plain YAML scalar is a timestamp for yaml.v3 (which sops 3.10+ encrypts as `type:time`). */
export function isYamlTimestamp(s: string): boolean {
  return YAML_TIMESTAMP.test(s);
}

/**
 * The text Go's time.MarshalText gives for a time written as `s` (RFC 3339, or a YAML timestamp form):
 * fraction without trailing zeros, `Z` for a zero offset. Undefined when it is not a time.
 */
export function normalizeGoTime(s: string): string | undefined {
  const m = YAML_TIMESTAMP.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '00', sec = '00', frac = '', zone] = m;
  const p2 = (x: string): string => x.padStart(2, '0');
  const f = frac.replace(/0+$/, '');
  let z = 'Z';
  if (zone && zone !== 'Z') {
    const zm = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
    if (zm) {
      const hh = p2(zm[2]);
      const mm = zm[3] ?? '00';
      z = hh === '00' && mm === '00' ? 'Z' : `${zm[1]}${hh}:${mm}`;
    }
  }
  return `${y}-${p2(mo)}-${p2(d)}T${p2(h)}:${mi}:${sec}${f ? `.${f}` : ''}${z}`;
}

/** The MAC's AAD: `lastmodified` as Go re-renders it with time.Parse(RFC3339) then Format(RFC3339). */
export function goRfc3339(lastModified: string): string {
  const m = RFC3339.exec(lastModified.trim());
  if (!m) return lastModified;
  const [, y, mo, d, h, mi, s, , zone] = m;
  const z = zone.toUpperCase() === 'Z' || zone === '+00:00' || zone === '-00:00' ? 'Z' : zone;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${z}`;
}

/** `time.Now().UTC()` as sops writes `lastmodified`: whole seconds with a Z. */
export function nowLastModified(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The type name and plaintext bytes of a leaf (also what the MAC hashes). Null has none. */
export function leafToBytes(leaf: Exclude<SopsLeaf, null>): { type: ValueType; bytes: Uint8Array } {
  if (typeof leaf === 'string') return { type: 'str', bytes: utf8.encode(leaf) };
  if (leaf instanceof Uint8Array) return { type: 'str', bytes: leaf };
  if (typeof leaf === 'bigint') return { type: 'int', bytes: utf8.encode(leaf.toString()) };
  if (typeof leaf === 'number') return { type: 'float', bytes: utf8.encode(formatGoFloat(leaf)) };
  if (typeof leaf === 'boolean') return { type: 'bool', bytes: utf8.encode(leaf ? 'True' : 'False') };
  return { type: 'time', bytes: utf8.encode(leaf.text) };
}

/** A UTF-8 string when the bytes are UTF-8, else the bytes themselves (Go strings are byte strings). */
export function bytesToStr(bytes: Uint8Array): string | Uint8Array {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return bytes;
  }
}

/** Parses decrypted bytes by their type, as Go does; a message (no value in it) when Go would refuse. */
export function bytesToLeaf(type: Exclude<ValueType, 'comment'>, bytes: Uint8Array): SopsLeaf | { error: string } {
  if (type === 'str') return bytesToStr(bytes);
  if (type === 'bytes') return bytes;
  const text = new TextDecoder().decode(bytes);
  switch (type) {
    case 'int': {
      const v = parseGoInt(text);
      return v === undefined ? { error: 'a value of type int does not parse as an integer' } : v;
    }
    case 'float': {
      const v = parseGoFloat(text);
      return v === undefined ? { error: 'a value of type float does not parse as a number' } : v;
    }
    case 'bool': {
      const v = parseGoBool(text);
      return v === undefined ? { error: 'a value of type bool is not a boolean' } : v;
    }
    case 'time': {
      const v = normalizeGoTime(text);
      return v === undefined ? { error: 'a value of type time is not an RFC 3339 time' } : new SopsTime(v);
    }
    default: {
      const never: never = type;
      return never;
    }
  }
}

/**
 * A leaf as text people see (what `sops -d` would print for it): ints and floats in Go's form, bools lower-case.
 * A string value whose bytes are not UTF-8 is an error naming `file`, never silently replaced.
 */
export function leafToText(leaf: SopsLeaf, file?: string): string {
  if (leaf === null) return '';
  if (typeof leaf === 'string') return leaf;
  if (leaf instanceof Uint8Array) {
    try {
      return strictUtf8.decode(leaf);
    } catch {
      throw new AppError(
        'SOPS',
        `A value${file ? ` in ${basename(file)}` : ''} is not valid UTF-8 text; it was not shown.`,
        {
          ...(file ? { location: { file } } : {}),
          hint: 'The value was stored as raw bytes (for example by sops from a binary file). Read it with sops -d.',
        },
      );
    }
  }
  if (typeof leaf === 'bigint') return leaf.toString();
  if (typeof leaf === 'number') return formatGoFloat(leaf);
  if (typeof leaf === 'boolean') return leaf ? 'true' : 'false';
  return leaf.text;
}
