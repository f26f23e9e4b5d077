// `atmos-secret describe stacks | head`: the reader closes the pipe early and the CLI stops quietly (exit 0,
// nothing on stderr) instead of dying on an unhandled EPIPE with a stack trace. See quietOnClosedPipe in main.ts.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRepo } from '../../bench/config/generate';
import { CLI_BIN } from '../../test/support/cli';

const dir = mkdtempSync(join(tmpdir(), 'atmos-closed-pipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI, reads its first chunk of stdout, then closes the pipe as `head` does. */
function runAndCloseEarly(
  args: readonly string[],
  cwd: string,
): Promise<{ code: number | null; signal: string | null; first: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let first = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').once('data', (d: string) => {
      first = d;
      child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, first, stderr }));
  });
}

describe('a reader that closes the pipe early (spawned)', () => {
  const root = join(dir, 'repo');
  // Several MB of output: far more than a pipe holds, so the CLI is still writing when the reader goes.
  generateRepo(root, { stacks: 40, componentsPerStack: 20, importDepth: 2, catalogSize: 10 });

  it.each(['json', 'yaml'])('describe stacks --format %s exits 0 with nothing on stderr', async (format) => {
    const run = await runAndCloseEarly(['describe', 'stacks', '--format', format], root);
    expect(run.first.length).toBeGreaterThan(0);
    expect(run.stderr).toBe('');
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
  });
});
