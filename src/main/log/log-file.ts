// The application log: one file in the app's data folder (userData/logs/main.log), where "see the application
// log" points. Lines arrive already redacted (createLogger masks them). Writes are synchronous appends: error
// lines are rare, they land in order, and a crash right after still leaves the line on disk. The file is the
// person's own (0600 in a 0700 folder); past MAX_BYTES it is rotated to main.log.1 so it cannot grow forever.
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const LOG_FILE_NAME = 'main.log';
const MAX_BYTES = 5 * 1024 * 1024;

export function logFilePath(logsDir: string): string {
  return join(logsDir, LOG_FILE_NAME);
}

/** A line writer for createLogger that appends to logsDir/main.log. It never throws: logging must not fail a request. */
export function fileLineWriter(logsDir: string, maxBytes = MAX_BYTES): (line: string) => void {
  const file = logFilePath(logsDir);
  return (line) => {
    try {
      mkdirSync(logsDir, { recursive: true, mode: 0o700 });
      if (sizeOf(file) > maxBytes) renameSync(file, `${file}.1`);
      appendFileSync(file, `${line}\n`, { mode: 0o600 });
    } catch {
      // Nowhere better to report it: stderr may be closed in a packaged app, and the line is only diagnostics.
    }
  };
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
