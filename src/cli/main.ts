// The `atmos-secret` process entry: real stdio, the real OS keychain, and the exit code.
// Start-up matters (the CLI runs inside exec, shell hooks and CI loops): a bare `--version` answers before any
// module loads, and the command tree (config loader, engine, stores) is imported only when a command runs;
// scripts/build-cli.mjs splits the bundle there and defers the cloud SDKs to their first use.
import nodeModule from 'node:module';
import type { CliContext } from './context';

declare const __APP_VERSION__: string;

const version = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev';
const argv = process.argv.slice(2);

/** `atmos-secret --version` / `-v` alone: what commander would print, without loading it. */
function isBareVersion(args: readonly string[]): boolean {
  return args.length === 1 && (args[0] === '--version' || args[0] === '-v');
}

/**
 * A reader that stops early (`atmos-secret describe stacks | head`) closes the pipe, and the next write fails
 * with EPIPE: without a listener Node throws it as an unhandled 'error' with a stack trace. Node ignores SIGPIPE,
 * so this is where `head`'s contract is kept: stop quietly, exit 0. Not 141 (a death by SIGPIPE, as C tools
 * show it): the project's non-zero codes mean a usage problem (2) or a failed operation (1), and the reader
 * choosing to stop is neither; a `set -o pipefail` script piping into `head` must not fail because of it.
 * Other stream errors stay errors. stderr closed early is ignored the same way (nothing is left to tell).
 */
function quietOnClosedPipe(): void {
  const isEpipe = (e: unknown): boolean => (e as NodeJS.ErrnoException | null)?.code === 'EPIPE';
  process.stdout.on('error', (e) => {
    if (!isEpipe(e)) throw e;
    process.exit(0);
  });
  process.stderr.on('error', (e) => {
    if (!isEpipe(e)) throw e;
  });
}

async function main(): Promise<number> {
  if (isBareVersion(argv)) {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  // Node >= 22.1 keeps V8's compiled code between runs (a no-op on Node 20, which lacks it).
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  const [{ runCli }, { askYesNo, promptMasked, readAllStdin }, { KeytarKeychain }] = await Promise.all([
    import('./program'),
    import('./terminal'),
    import('../main/keychain/keytar-keychain'),
  ]);
  quietOnClosedPipe();
  const ctx: CliContext = {
    io: {
      stdout: (t) => void process.stdout.write(t),
      stderr: (t) => void process.stderr.write(t),
      drain: () =>
        new Promise<void>((resolve) => {
          if (process.stdout.writableNeedDrain) process.stdout.once('drain', resolve);
          else resolve();
        }),
      interactive: Boolean(process.stdin.isTTY),
    },
    env: process.env,
    cwd: process.cwd(),
    keychain: (service) => new KeytarKeychain(service),
    readStdin: () => readAllStdin(),
    promptSecret: (label) => promptMasked(label),
    confirm: (question) => askYesNo(question),
  };
  return runCli(argv, ctx, version);
}

process.exitCode = await main();
