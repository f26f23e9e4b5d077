import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileLineWriter, logFilePath } from './log-file';

const made: string[] = [];
afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'atmos-log-'));
  made.push(d);
  return d;
}

describe('fileLineWriter', () => {
  it('appends lines to logs/main.log, readable only by the person', () => {
    const logs = join(tmp(), 'logs');
    const write = fileLineWriter(logs);
    write('one');
    write('two');
    expect(readFileSync(logFilePath(logs), 'utf8')).toBe('one\ntwo\n');
    expect(statSync(logFilePath(logs)).mode & 0o777).toBe(0o600);
  });

  it('rotates the file to main.log.1 once it passes its cap', () => {
    const logs = join(tmp(), 'logs');
    const write = fileLineWriter(logs, 10);
    write('first line, long');
    write('second');
    expect(readFileSync(`${logFilePath(logs)}.1`, 'utf8')).toBe('first line, long\n');
    expect(readFileSync(logFilePath(logs), 'utf8')).toBe('second\n');
  });

  it('never throws when the folder cannot be created', () => {
    const file = join(tmp(), 'not-a-folder');
    fileLineWriter(file)('x');
    expect(() => fileLineWriter(join(file, 'logs'))('y')).not.toThrow();
  });
});
