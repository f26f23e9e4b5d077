// The `!exec` runner's bounds: a timeout kills the command and what it started, output past the cap kills
// it, stderr is never part of a result, and invalid UTF-8 output is refused.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAll, runShellCommand } from './exec-runner';

const where = { env: { PATH: process.env['PATH'] }, cwd: tmpdir() };

/** Running (a zombie waiting for its reaper counts as dead: it was killed). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z';
  } catch {
    return true;
  }
}

describe('runShellCommand', () => {
  it('decodes JSON output, keeps other output as text without its last newline', async () => {
    expect(await runShellCommand(`echo '{"a": 1}'`, where)).toEqual({ ok: true, value: { a: 1 } });
    expect(await runShellCommand('printf "two\\nlines\\n"', where)).toEqual({ ok: true, value: 'two\nlines' });
  });

  it('a failure gives the exit code only: stderr (which may hold a secret) is never in the result', async () => {
    const r = await runShellCommand('echo CANARY-STDERR-7f3 >&2; echo CANARY-OUT-7f3; exit 4', where);
    expect(r).toEqual({ ok: false, why: 'exit code 4' });
  });

  it('on timeout the command and the processes it started are killed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exec-kill-'));
    const pidFile = join(dir, 'pid');
    const r = await runShellCommand(`sleep 30 & echo $! > ${pidFile}; wait`, {
      ...where,
      limits: { timeoutMs: 300, maxOutputBytes: 1024 },
    });
    expect(r).toEqual({ ok: false, why: 'it ran longer than 0.3 s and was killed' });
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    await new Promise((res) => setTimeout(res, 100));
    expect(alive(pid)).toBe(false);
  });

  it('output past the cap kills the command', async () => {
    const r = await runShellCommand('yes', { ...where, limits: { timeoutMs: 10_000, maxOutputBytes: 4096 } });
    expect(r).toEqual({ ok: false, why: 'its output passed 4096 bytes and it was killed' });
  });

  it('invalid UTF-8 output is refused', async () => {
    expect(await runShellCommand("printf '\\377\\376'", where)).toEqual({
      ok: false,
      why: 'its output is not valid UTF-8',
    });
  });

  it('runAll runs each distinct command once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exec-all-'));
    const cmd = `echo x >> ${join(dir, 'n')}; echo ok`;
    const out = await runAll([cmd, cmd, 'echo other'], where);
    expect([...out.keys()].sort()).toEqual(['echo other', cmd]);
    expect(readFileSync(join(dir, 'n'), 'utf8')).toBe('x\n');
  });
});
