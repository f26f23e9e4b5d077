// The CLI run in-process over a fresh copy of the bundled demo (examples/demo): memory keychains, stdout and
// stderr caught, and an optional terminal whose confirmation answer the test gives (and may act on).
import { cpSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliContext } from '../../src/cli/context';
import { runCli } from '../../src/cli/program';
import type { CliRun } from './cli';
import { REPO_ROOT } from './paths';
import { MemoryKeychains } from './secrets-workspace';

export interface DemoCli {
  /** Runs `atmos-secret <args> --base-path <dir>`; `confirm` makes it a terminal that answers with it. */
  run(args: string[], o?: { stdin?: string; confirm?: (question: string) => Promise<boolean> }): Promise<CliRun>;
  readonly dir: string;
  readonly keychains: MemoryKeychains;
  /** Path of a file of the copy. */
  path(rel: string): string;
  cleanup(): void;
}

export function demoCli(): DemoCli {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'atmos-demo-cli-')));
  cpSync(join(REPO_ROOT, 'examples/demo'), dir, { recursive: true });
  const configHome = mkdtempSync(join(tmpdir(), 'atmos-xdg-'));
  const keychains = new MemoryKeychains();
  return {
    dir,
    keychains,
    path: (rel) => join(dir, rel),
    run: async (args, o = {}) => {
      const out: string[] = [];
      const err: string[] = [];
      const ctx: CliContext = {
        io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: o.confirm !== undefined },
        env: { XDG_CONFIG_HOME: configHome },
        cwd: dir,
        keychain: (service) => keychains.get(service),
        readStdin: async () => o.stdin ?? '',
        ...(o.confirm ? { confirm: o.confirm } : {}),
      };
      const code = await runCli([...args, '--base-path', dir], ctx, '1.0.0');
      return { code, stdout: out.join(''), stderr: err.join('') };
    },
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
      rmSync(configHome, { recursive: true, force: true });
    },
  };
}
