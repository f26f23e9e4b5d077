// The spawned CLI's large output (written through reusingWriter's buffers) is byte for byte what the command
// produces, to a file and through a pipe whose reader falls behind (the stream then holds buffers while more are
// written). A reader that closes early is closed-pipe.int.test.ts.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRepo } from '../../bench/config/generate';
import { CLI_BIN } from '../../test/support/cli';
import { MemoryKeychain } from '../main/keychain/memory-keychain';
import type { CliContext } from './context';
import { runCli } from './program';

const dir = mkdtempSync(join(tmpdir(), 'atmos-stdout-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const root = join(dir, 'repo');
generateRepo(root, { stacks: 40, componentsPerStack: 20, importDepth: 2, catalogSize: 10 });
// Characters of 2, 3 and 4 bytes in UTF-8 in every component (every stack's import chain ends in the bases).
const bases = join(root, 'stacks/catalog/bases.yaml');
writeFileSync(bases, `${readFileSync(bases, 'utf8')}vars:\n  greeting: "héllo 日本 😀"\n  note: "ünïcödé ✓"\n`);

/** The command's output, in-process (captured strings, no stream). */
async function expected(args: readonly string[]): Promise<Buffer> {
  const out: string[] = [];
  const ctx: CliContext = {
    io: { stdout: (t) => out.push(t), stderr: () => undefined, interactive: false },
    env: {},
    cwd: root,
    keychain: () => new MemoryKeychain(),
  };
  expect(await runCli([...args], ctx, '1')).toBe(0);
  return Buffer.from(out.join(''), 'utf8');
}

/** The spawned CLI's stdout, read through a pipe that is left unread for `pauseMs` first. */
function throughPipe(args: readonly string[], pauseMs: number): Promise<{ code: number | null; out: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.pause();
    setTimeout(() => {
      child.stdout.on('data', (d: Buffer) => chunks.push(d));
      child.stdout.resume();
    }, pauseMs);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: Buffer.concat(chunks) }));
  });
}

/** The spawned CLI's stdout, written to a file. */
function toFile(args: readonly string[]): Promise<{ code: number | null; out: Buffer }> {
  const file = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const fd = openSync(file, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: root, stdio: ['ignore', fd, 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => {
      closeSync(fd);
      resolve({ code, out: readFileSync(file) });
    });
  });
}

describe('the CLI writes large output exactly (spawned)', () => {
  it.each(['json', 'yaml'])('describe stacks --format %s: to a file and through a slow pipe', async (format) => {
    const args = ['describe', 'stacks', '--format', format];
    const want = await expected(args);
    expect(want.length).toBeGreaterThan(1024 * 1024); // far more than a pipe holds (64 KiB on Linux)
    expect(want.includes(Buffer.from('héllo 日本 😀'))).toBe(true);

    const file = await toFile(args);
    expect(file.code).toBe(0);
    expect(file.out.equals(want)).toBe(true);

    const pipe = await throughPipe(args, 300);
    expect(pipe.code).toBe(0);
    expect(pipe.out.length).toBe(want.length);
    expect(pipe.out.equals(want)).toBe(true);
  });
});
