// exec / shell: a child process whose environment holds each declared, initialized secret under its own
// name (missing ones skipped with a warning), optionally the component's own `env` section with its `!secret`
// values resolved. Values go only into the child's environment: never argv, never a file.
import { spawn, type StdioOptions } from 'node:child_process';
import { constants } from 'node:os';
import { isPlainObject } from '../../config/merge';
import { AppError } from '../../../shared/errors';
import { readOptional } from '../backends/backend';
import { throwIfCancelled, type OperationContext } from './operation-context';
import { resolveReferences } from '../model/references';
import { secretsInScope, type ScopeSelection } from '../model/scope-secrets';

export interface EnvironmentRequest extends ScopeSelection {
  /** The environment to layer over (the CLI's own). */
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
  /** Also inject the component's `env` section, `!secret` values resolved. */
  readonly componentEnv?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface PreparedEnvironment {
  readonly env: Record<string, string>;
  /** Secret names injected. */
  readonly injected: readonly string[];
  /** Declared but not initialized: skipped. */
  readonly skipped: readonly string[];
  /** For people (no values): one per skipped secret or env entry. */
  readonly warnings: readonly string[];
}

function envText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export async function prepareEnvironment(ctx: OperationContext, req: EnvironmentRequest): Promise<PreparedEnvironment> {
  const scope = secretsInScope(ctx, req);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.baseEnv)) if (v !== undefined) env[k] = v;
  const warnings: string[] = [];
  const values = new Map<string, string | undefined>();
  const read = async (name: string): Promise<string | undefined> => {
    if (values.has(name)) return values.get(name);
    const s = scope.secrets.get(name);
    const v = s ? await readOptional(ctx.backends, s.coordinate) : undefined;
    values.set(name, v);
    return v;
  };

  if (req.componentEnv) {
    if (!scope.component) throw new AppError('USAGE', 'the component env needs -c/--component');
    const cs = ctx.index.component(scope.stack, scope.component);
    const section = cs.config.sections['env'];
    if (isPlainObject(section)) {
      const rctx = {
        isDeclared: (n: string) => scope.secrets.has(n),
        isSecretStore: (s: string) => ctx.index.stores.config(s)?.secret,
        value: read,
        placeOf: (n: string) => {
          const s = scope.secrets.get(n);
          return s && { name: n, stack: scope.stack, component: cs.component, scope: s.declaration.scope };
        },
      };
      for (const [key, raw] of Object.entries(section)) {
        throwIfCancelled(req.signal);
        try {
          const text = envText(await resolveReferences(raw, rctx, scope.component));
          if (text !== undefined) env[key] = text;
        } catch (e) {
          if (e instanceof AppError && e.code === 'SECRET_NOT_FOUND') warnings.push(`env ${key} skipped: ${e.message}`);
          else throw e;
        }
      }
    }
  }

  const injected: string[] = [];
  const skipped: string[] = [];
  for (const name of [...scope.secrets.keys()].sort()) {
    throwIfCancelled(req.signal);
    const v = await read(name);
    if (v === undefined) {
      skipped.push(name);
      warnings.push(`secret "${name}" is not initialized; not set in the environment`);
    } else {
      env[name] = v;
      injected.push(name);
    }
  }
  return { env, injected, skipped, warnings };
}

export interface RunRequest extends EnvironmentRequest {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string | undefined;
  /** Default: inherit the caller's stdio. */
  readonly stdio?: StdioOptions | undefined;
  /** Called once per warning before the child starts. */
  readonly onWarning?: ((message: string) => void) | undefined;
  /** Called with the child's pid once it runs (tests read /proc/<pid>/cmdline). */
  readonly onSpawn?: ((pid: number) => void) | undefined;
}

export interface RunResult {
  /** The child's exit code; 128 + the signal number when a signal ended it. */
  readonly exitCode: number;
  readonly injected: readonly string[];
  readonly skipped: readonly string[];
}

export async function runWithSecrets(ctx: OperationContext, req: RunRequest): Promise<RunResult> {
  const prepared = await prepareEnvironment(ctx, req);
  for (const w of prepared.warnings) req.onWarning?.(w);
  throwIfCancelled(req.signal);
  const exitCode = await new Promise<number>((resolvePromise, reject) => {
    const child = spawn(req.command, [...req.args], {
      env: prepared.env,
      stdio: req.stdio ?? 'inherit',
      cwd: req.cwd,
      shell: false,
    });
    const onAbort = (): void => void child.kill('SIGTERM');
    req.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('spawn', () => {
      if (child.pid !== undefined) req.onSpawn?.(child.pid);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      req.signal?.removeEventListener('abort', onAbort);
      reject(
        new AppError(
          e.code === 'ENOENT' ? 'NOT_FOUND' : 'INTERNAL',
          `could not run "${req.command}": ${e.code ?? e.message}`,
        ),
      );
    });
    child.on('close', (code, signal) => {
      req.signal?.removeEventListener('abort', onAbort);
      if (code !== null) resolvePromise(code);
      else resolvePromise(128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
  return { exitCode, injected: prepared.injected, skipped: prepared.skipped };
}

/** The shell for `shell`: --shell, else $ATMOS_SHELL, else $SHELL, else bash, else sh. */
export function chooseShell(env: Readonly<Record<string, string | undefined>>, explicit?: string): string {
  return explicit || env['ATMOS_SHELL'] || env['SHELL'] || (process.platform === 'win32' ? 'cmd.exe' : 'bash');
}

/** POSIX shell quoting for a copyable command line (names and paths, never values). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The `atmos-secret exec` line for a component, for people to copy (it holds no value). */
export function execCommandLine(o: {
  readonly stack: string;
  readonly component?: string | undefined;
  readonly basePath?: string | undefined;
  readonly command?: readonly string[] | undefined;
}): string {
  const words = [
    'atmos-secret',
    'exec',
    '-s',
    o.stack,
    ...(o.component ? ['-c', o.component] : []),
    ...(o.basePath ? ['--base-path', o.basePath] : []),
    '--',
    ...(o.command ?? ['env']),
  ];
  return words.map(shellQuote).join(' ');
}
