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
  const ctx: CliContext = {
    io: {
      stdout: (t) => void process.stdout.write(t),
      stderr: (t) => void process.stderr.write(t),
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
