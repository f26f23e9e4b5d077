// How weak a value is, measured without keeping it: empty, short (fewer than MIN_LENGTH characters) or of low
// entropy. Entropy is Shannon's over the value's own characters (bits per character times length): machine
// secrets are weak by repetition and length, which this catches in one pass over the string. We do not use a
// password-strength library (zxcvbn and kin): they score human passwords against dictionaries of several hundred
// kilobytes and cost milliseconds a value, too much for 150,000 values, and API keys are not words.
import { finding, type Finding } from './findings';
import type { AuditedSecret } from './estate';

export const MIN_LENGTH = 12;
/** Below this many bits per character the value is mostly repetition (`aaaaaaaaaaaaaaab`, `abababababab`). */
export const MIN_BITS_PER_CHAR = 2.5;
/** Below this many bits in all, the value is guessable however it is spread. */
export const MIN_TOTAL_BITS = 36;

export type Weakness = 'empty' | 'short' | 'low-entropy';

export interface Strength {
  readonly length: number;
  readonly bitsPerChar: number;
  readonly totalBits: number;
}

/** Length in code points and Shannon entropy over them. */
export function strengthOf(value: string): Strength {
  const counts = new Map<string, number>();
  let length = 0;
  for (const ch of value) {
    counts.set(ch, (counts.get(ch) ?? 0) + 1);
    length++;
  }
  let bitsPerChar = 0;
  for (const n of counts.values()) {
    const p = n / length;
    bitsPerChar -= p * Math.log2(p);
  }
  return { length, bitsPerChar, totalBits: bitsPerChar * length };
}

/** The value's weakness, if any: the worst one (empty before short before low entropy). */
export function weaknessOf(value: string): Weakness | undefined {
  if (value.length === 0) return 'empty';
  const s = strengthOf(value);
  if (s.length < MIN_LENGTH) return 'short';
  if (s.bitsPerChar < MIN_BITS_PER_CHAR || s.totalBits < MIN_TOTAL_BITS) return 'low-entropy';
  return undefined;
}

function what(w: Weakness): string {
  switch (w) {
    case 'empty':
      return 'is empty';
    case 'short':
      return `is shorter than ${MIN_LENGTH} characters`;
    case 'low-entropy':
      return 'has low entropy (repetitive or guessable)';
    default: {
      const never: never = w;
      return never;
    }
  }
}

/** One finding per weak coordinate, naming the secret and where it is declared. */
export function weaknessFinding(s: AuditedSecret, w: Weakness): Finding {
  const first = s.places[0];
  const name = first?.secret ?? s.coordinate.path.name;
  const where = first?.stack
    ? ` in ${first.stack}${first.component && first.component !== '*' ? `/${first.component}` : ''}`
    : '';
  const more = s.places.length > 1 ? ` (and ${s.places.length - 1} more place(s) sharing it)` : '';
  return finding(
    w,
    `${name}${where}${more}: the value ${what(w)}`,
    { kind: 'rotate', text: `Set a new, generated value of at least 32 random characters for ${name}.` },
    s.places,
  );
}
