// The `atmos-secret` process entry: real stdio, the real OS keychain, and the exit code.
// Start-up matters (the CLI runs inside exec, shell hooks and CI loops): a bare `--version` answers before any
// module loads, and the command tree (config loader, engine, stores: src/cli/command-tree.ts) is loaded only
// when a command runs. scripts/build-cli.mjs bundles that tree into one CommonJS file with a V8 code cache made
// at build time, and defers the cloud SDKs to their first use.
import { readFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type * as CommandTreeModule from './command-tree';
import type { CliContext } from './context';
import { reusingWriter } from './stdout-writer';

declare const __APP_VERSION__: string;
/** The bundled command tree, relative to this file (set by scripts/build-cli.mjs; absent when run unbundled). */
declare const __COMMAND_TREE__: string | undefined;
/** What the tree's source is wrapped in to compile it (set by scripts/build-cli.mjs, which made the cache so). */
declare const __TREE_WRAPPER__: readonly [string, string];

type CommandTree = typeof CommandTreeModule;

/**
 * The command tree, compiled from the code cache the build made beside it. Node 20 keeps no compiled code
 * between runs (Node 22's module.enableCompileCache does not exist there), and compiling the ~1.4 MB tree was
 * about a fifth of a `get`'s CPU. V8 checks the cache against its version, flags and the source, and compiles
 * from source when it does not fit (another Node version): slower, never wrong. The cache is written by the
 * build next to the bundle, so it is exactly as trusted as the bundle itself; nothing writes it at run time.
 */
function loadCommandTree(relative: string): CommandTree {
  const file = fileURLToPath(new URL(relative, import.meta.url));
  const source = readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined; // no cache (a partial build): compile from source
  }
  // The build's wrapper exactly: V8 takes the cache only for the very source it was made from.
  const [head, tail] = __TREE_WRAPPER__;
  const script = new vm.Script(`${head}${source}${tail}`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = new nodeModule.Module(file);
  module.filename = file;
  const init = script.runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: NodeJS.Module,
    filename: string,
    dirname: string,
  ) => void;
  init(module.exports, nodeModule.createRequire(file), module, file, dirname(file));
  module.loaded = true;
  // Registered as node registers what it requires: loaded once, and visible to tools that list loaded modules.
  nodeModule.createRequire(file).cache[file] = module;
  return module.exports as CommandTree;
}

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
  const { runCli, askYesNo, promptMasked, readAllStdin, KeytarKeychain } =
    typeof __COMMAND_TREE__ === 'string' ? loadCommandTree(__COMMAND_TREE__) : await import('./command-tree');
  quietOnClosedPipe();
  const ctx: CliContext = {
    io: {
      stdout: reusingWriter(process.stdout),
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
