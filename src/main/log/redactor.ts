// The redacting logger's memory: every secret value the process reads or writes is remembered here, and
// any text on its way to a log, an error message or a terminal is masked with it. Values shorter than
// MIN_LENGTH are not remembered: masking "1" or "true" everywhere would garble output and hide nothing.
export const REDACTED = '***';
const MIN_LENGTH = 4;

export class Redactor {
  private readonly values = new Set<string>();
  private pattern: RegExp | null = null;

  remember(value: string): void {
    for (const form of [value, JSON.stringify(value).slice(1, -1)]) {
      if (form.length >= MIN_LENGTH && !this.values.has(form)) {
        this.values.add(form);
        this.pattern = null;
      }
    }
  }

  redact(text: string): string {
    if (this.values.size === 0) return text;
    this.pattern ??= new RegExp(
      // Longest first, so a value that contains another is masked whole.
      [...this.values].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'),
      'g',
    );
    return text.replace(this.pattern, REDACTED);
  }

  get size(): number {
    return this.values.size;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The process-wide redactor: backends and operations remember values here; loggers and error output use it. */
export const processRedactor = new Redactor();
