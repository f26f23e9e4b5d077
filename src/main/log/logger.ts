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

export function createLogger(write: (line: string) => void, redactor: Redactor = processRedactor, minLevel: LogLevel = 'info'): Logger {
  const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  const log = (level: LogLevel, message: string): void => {
    if (order[level] < order[minLevel]) return;
    write(redactor.redact(`${new Date().toISOString()} ${level.toUpperCase()} ${message}`));
  };
  return {
    debug: (m) => log('debug', m),
    info: (m) => log('info', m),
    warn: (m) => log('warn', m),
    error: (m, cause) => log('error', cause instanceof Error ? `${m}: ${cause.message}${cause.stack ? `\n${cause.stack}` : ''}` : m),
  };
}
