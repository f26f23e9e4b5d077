// The redacting logger's memory: every secret value the process reads or writes is remembered here, and
// any text on its way to a log, an error message or a terminal is masked with it. Values shorter than
// MIN_LENGTH are not remembered: masking "1" or "true" everywhere would garble output and hide nothing.
//
// Redaction is a plain string search, never a regular expression built from the values: such a pattern grows
// with every value read, and past about 32 KB V8 throws "Regular expression too large" with the whole
// pattern (every secret) in the error text. No well-kept library does "replace any of many literal strings,
// leftmost then longest" without a regex, and the search below is a few lines, so it is written here.
export const REDACTED = '***';
/** What redact() returns when masking itself failed: never the input, which may hold a value. */
export const REDACTION_FAILED = '[redaction failed]';
const MIN_LENGTH = 4;

export class Redactor {
  private readonly values = new Set<string>();
  /** Values by their first MIN_LENGTH characters, longest first; rebuilt lazily after remember(). */
  private index: Map<string, string[]> | null = null;

  remember(value: string): void {
    for (const form of forms(value)) {
      if (form.length >= MIN_LENGTH && !this.values.has(form)) {
        this.values.add(form);
        this.index = null;
      }
    }
  }

  /**
   * The text with every remembered value replaced by REDACTED. Where two values start at the same place the
   * longer wins, so a value that contains another is masked whole. It never throws: on any internal failure
   * it returns REDACTION_FAILED, so no error (whose text could quote a value) escapes from here.
   */
  redact(text: string): string {
    try {
      const input = String(text);
      if (this.values.size === 0) return input;
      const index = (this.index ??= buildIndex(this.values));
      let out = '';
      let copied = 0;
      let i = 0;
      const last = input.length - MIN_LENGTH;
      while (i <= last) {
        const match = index.get(input.slice(i, i + MIN_LENGTH))?.find((v) => input.startsWith(v, i));
        if (match === undefined) {
          i++;
          continue;
        }
        out += input.slice(copied, i) + REDACTED;
        i += match.length;
        copied = i;
      }
      return out + input.slice(copied);
    } catch {
      return REDACTION_FAILED;
    }
  }

  get size(): number {
    return this.values.size;
  }
}

/** The value as given, and as it appears JSON-escaped (SDK errors quote request bodies). */
function forms(value: string): string[] {
  try {
    return [value, JSON.stringify(value).slice(1, -1)];
  } catch {
    return [value];
  }
}

function buildIndex(values: ReadonlySet<string>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const v of [...values].sort((a, b) => b.length - a.length)) {
    const key = v.slice(0, MIN_LENGTH);
    const bucket = index.get(key);
    if (bucket) bucket.push(v);
    else index.set(key, [v]);
  }
  return index;
}

/** The process-wide redactor: backends and operations remember values here; loggers and error output use it. */
export const processRedactor = new Redactor();
