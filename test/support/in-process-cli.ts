// The CLI run in-process over a copy of a secrets fixture: memory keychains, an empty XDG config folder of its
// own (so sops' default key file, <XDG_CONFIG_HOME>/sops/age/keys.txt, is the test's), stdout and stderr caught.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliContext } from '../../src/cli/context';
import type { Keychain } from '../../src/main/keychain/keychain';
import { runCli } from '../../src/cli/program';
import type { CliRun } from './cli';
import { copySecretsFixture, MemoryKeychains } from './secrets-workspace';

export interface InProcessCli {
  /** Runs `atmos-secret <args> --base-path <dir>` with `stdin` as its standard input. */
  run(args: string[], stdin?: string): Promise<CliRun>;
  /** The fixture copy's folder. */
  readonly dir: string;
  /** XDG_CONFIG_HOME of every run. */
  readonly configHome: string;
  readonly keychains: MemoryKeychains;
  /** Removes the fixture copy and the config folder (call from afterEach). */
  cleanup(): void;
}

export function inProcessCli(fixture = 'basic'): InProcessCli {
  const fx = copySecretsFixture(fixture, 'cli');
  const dir = fx.dir;
  const configHome = mkdtempSync(join(tmpdir(), 'atmos-xdg-'));
  const keychains = new MemoryKeychains();
  const run = async (args: string[], stdin = ''): Promise<CliRun> => {
    const out: string[] = [];
    const err: string[] = [];
    const ctx: CliContext = {
      io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false },
      env: { XDG_CONFIG_HOME: configHome },
      cwd: dir,
      keychain: (service) => keychains.get(service),
      readStdin: async () => stdin,
    };
    const code = await runCli([...args, '--base-path', dir], ctx, '1.0.0');
    return { code, stdout: out.join(''), stderr: err.join('') };
  };
  return {
    run,
    dir,
    configHome,
    keychains,
    cleanup: () => {
      fx.cleanup();
      rmSync(configHome, { recursive: true, force: true });
    },
  };
}

/**
 * `atmos-secret --base-path <dir> <args>` in-process over a workspace the test wrote, an empty environment and
 * `stdin` as its standard input; keychain services on `keychains` (one each), or all on one keychain.
 */
export async function runCliOn(
  dir: string,
  args: string[],
  keychains: Keychain | MemoryKeychains,
  stdin = '',
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false },
    env: {},
    cwd: dir,
    keychain: keychains instanceof MemoryKeychains ? (service) => keychains.get(service) : () => keychains,
    readStdin: async () => stdin,
  };
  const code = await runCli(['--base-path', dir, ...args], ctx, '1');
  return { code, stdout: out.join(''), stderr: err.join('') };
}
