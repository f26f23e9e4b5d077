// Runs `!exec` commands for a trusted workspace: asynchronously (never blocking the Electron main thread),
// through the shell as Atmos does, bounded in time and output size, killed (with the processes it started) on
// timeout. stderr is never read: it may hold secrets, and a failure is reported by its exit code only.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ExecLimits {
  /** The command and everything it starts are killed after this long. */
  readonly timeoutMs: number;
  /** More stdout than this kills the command: a value is never that large. */
  readonly maxOutputBytes: number;
}

export const DEFAULT_EXEC_LIMITS: ExecLimits = { timeoutMs: 60_000, maxOutputBytes: 1024 * 1024 };

/** What a command gave: its decoded stdout, or why it failed (never its output, which may hold secrets). */
export type ExecOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly why: string };

export interface ExecEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly limits?: ExecLimits;
}

// POSIX: the shell leads its own process group, so a timeout kills what it started too (a `sleep` holding
// stdout open would otherwise outlive the kill). Windows has no process groups to signal this way.
const OWN_GROUP = process.platform !== 'win32';

function killTree(child: ChildProcess): void {
  try {
    if (OWN_GROUP && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // Already gone.
  }
  child.stdout?.destroy();
}

/** stdout without its final newline; JSON is decoded, anything else kept as text (Atmos' rule). */
function decodeOutput(bytes: Buffer): ExecOutcome {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, why: 'its output is not valid UTF-8' };
  }
  text = text.replace(/\r?\n$/, '');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: true, value: text };
  }
}

/** Run one command through the shell. Never rejects: a failure is an outcome with the reason. */
export function runShellCommand(command: string, where: ExecEnvironment): Promise<ExecOutcome> {
  const limits = where.limits ?? DEFAULT_EXEC_LIMITS;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(where.env)) if (v !== undefined) env[k] = v;
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(command, {
        shell: true,
        cwd: where.cwd,
        env,
        stdio: ['ignore', 'pipe', 'ignore'],
        detached: OWN_GROUP,
        windowsHide: true,
      });
    } catch (e) {
      resolve({ ok: false, why: `the shell could not start (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    let settled = false;
    const timer = setTimeout(() => {
      killTree(child);
      finish({ ok: false, why: `it ran longer than ${limits.timeoutMs / 1000} s and was killed` });
    }, limits.timeoutMs);
    const finish = (o: ExecOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    const chunks: Buffer[] = [];
    let size = 0;
    child.stdout?.on('data', (b: Buffer) => {
      size += b.length;
      if (size > limits.maxOutputBytes) {
        killTree(child);
        finish({ ok: false, why: `its output passed ${limits.maxOutputBytes} bytes and it was killed` });
        return;
      }
      chunks.push(b);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish({ ok: false, why: `the shell could not start (${e.code ?? 'error'})` });
    });
    child.on('close', (code, signal) => {
      if (code !== 0) finish({ ok: false, why: `exit code ${String(code ?? signal)}` });
      else finish(decodeOutput(Buffer.concat(chunks)));
    });
  });
}

/** Run distinct commands, a few at a time (each is a process; a repository may hold hundreds). */
export async function runAll(
  commands: Iterable<string>,
  where: ExecEnvironment,
  parallel = 4,
): Promise<Map<string, ExecOutcome>> {
  const queue = [...new Set(commands)];
  const out = new Map<string, ExecOutcome>();
  const worker = async (): Promise<void> => {
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) out.set(c, await runShellCommand(c, where));
  };
  await Promise.all(Array.from({ length: Math.min(parallel, queue.length) }, worker));
  return out;
}
