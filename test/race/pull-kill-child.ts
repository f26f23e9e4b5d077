// Child process of pull-kill.int.test.ts (bundled with esbuild, run by plain node): `atmos-secret pull` of the
// basic fixture's api component into one output file, through runCli in-process with memory keychains.
//   node child.mjs DIR OUTPUT loop   -> prints "ready", then pulls value set A, B, A, B, ... until killed
//   node child.mjs DIR OUTPUT A|B    -> pulls that value set once and exits 0
// Values are large (so a write is many syscalls, and a kill can land inside one) and carry PULL_CANARY, so the
// parent can find any plaintext left behind. Any failure exits non-zero with the CLI's own message on stderr.
import { runCli } from '../../src/cli/program';
import type { CliContext } from '../../src/cli/context';
import { MemoryKeychain } from '../../src/main/keychain/memory-keychain';
import { pullValue, PULLED_SECRETS } from './pull-kill-values';

const [dir, output, mode] = process.argv.slice(2);
if (!dir || !output || !(mode === 'loop' || mode === 'A' || mode === 'B')) {
  process.stderr.write('usage: child DIR OUTPUT loop|A|B\n');
  process.exit(2);
}

/** One memory keychain per service (test/support has one too, but its module reads fixtures at load). */
class MemoryKeychains {
  private readonly byService = new Map<string, MemoryKeychain>();

  get(service = 'atmos-secrets'): MemoryKeychain {
    const k = this.byService.get(service) ?? new MemoryKeychain(service);
    this.byService.set(service, k);
    return k;
  }
}

function context(keychains: MemoryKeychains, stdin = ''): CliContext {
  return {
    io: { stdout: () => undefined, stderr: (t) => void process.stderr.write(t), interactive: false },
    env: {},
    cwd: dir as string,
    keychain: (service) => keychains.get(service),
    readStdin: async () => stdin,
  };
}

async function valueSet(tag: 'A' | 'B'): Promise<MemoryKeychains> {
  const keychains = new MemoryKeychains();
  for (const name of PULLED_SECRETS) {
    const args = ['--base-path', dir as string, 'set', name, '-s', 'dev', '-c', 'api', '--stdin'];
    if ((await runCli(args, context(keychains, pullValue(tag, name)), 'child')) !== 0) process.exit(3);
  }
  return keychains;
}

async function pull(keychains: MemoryKeychains): Promise<void> {
  const args = ['--base-path', dir as string, 'pull', '-s', 'dev', '-c', 'api', '-o', output as string];
  if ((await runCli(args, context(keychains), 'child')) !== 0) process.exit(4);
}

if (mode === 'loop') {
  const sets = [await valueSet('A'), await valueSet('B')] as const;
  process.stdout.write('ready\n');
  for (let i = 0; ; i++) await pull(sets[i % 2] as MemoryKeychains);
} else {
  await pull(await valueSet(mode));
}
