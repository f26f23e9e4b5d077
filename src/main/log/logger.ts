// A small logger whose every line passes through the redactor, so a secret value that slips into a message
// (an SDK error quoting a request, say) is masked before it is written anywhere.
import { processRedactor, type Redactor } from './redactor';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, cause?: unknown): void;
}

export function createLogger(
  write: (line: string) => void,
  redactor: Redactor = processRedactor,
  minLevel: LogLevel = 'info',
): Logger {
  const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  const log = (level: LogLevel, message: () => string): void => {
    if (order[level] < order[minLevel]) return;
    let line: string;
    try {
      line = redactor.redact(`${new Date().toISOString()} ${level.toUpperCase()} ${message()}`);
    } catch {
      // Building the message failed (a hostile error object): say so without quoting anything.
      line = `${new Date().toISOString()} ${level.toUpperCase()} [unprintable log message]`;
    }
    write(line);
  };
  return {
    debug: (m) => log('debug', () => m),
    info: (m) => log('info', () => m),
    warn: (m) => log('warn', () => m),
    error: (m, cause) => log('error', () => (cause === undefined ? m : `${m}: ${describeCause(cause)}`)),
  };
}

/** An error's message, stack and cause chain (bounded), or a thrown non-error's text. */
function describeCause(cause: unknown, depth = 0): string {
  if (!(cause instanceof Error)) return String(cause);
  const stack =
    cause.stack && cause.stack.includes(cause.message)
      ? cause.stack
      : `${cause.name}: ${cause.message}\n${cause.stack ?? ''}`;
  const inner = cause.cause !== undefined && depth < 3 ? `\nCaused by: ${describeCause(cause.cause, depth + 1)}` : '';
  return `${stack}${inner}`;
}

/** Lines to stderr (the CLI, tests and the e2e bridge), redacted like every other line. */
export const stderrLogger: Logger = createLogger((line) => process.stderr.write(`${line}\n`));
