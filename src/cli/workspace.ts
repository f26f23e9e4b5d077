// Loads the Atmos workspace a command runs against, from the global --base-path/--config options. `--config`
// wins, then ATMOS_CLI_CONFIG_PATH; `--base-path DIR` alone uses DIR's own atmos.yaml (the loader finds it).
import type { Command } from 'commander';
import { loadWorkspace, type Workspace } from '../main/config';
import type { CliContext } from './context';
import { workspaceTrusted } from './trust';

export interface GlobalOptions {
  readonly basePath?: string;
  readonly config?: string;
  /** Run the workspace's `!exec` commands (see trust.ts). */
  readonly trust?: boolean;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

export async function workspaceFor(command: Command, ctx: CliContext): Promise<Workspace> {
  const g = globalOptions(command);
  const opts = { cwd: ctx.cwd, env: ctx.env, configPath: g.config, basePath: g.basePath };
  const trusted = await workspaceTrusted(g.trust === true, opts);
  // Untrusted with `!exec`, the loader records one warning naming how to trust the workspace; it is printed below.
  const ws = await loadWorkspace({ ...opts, trusted });
  for (const w of ws.warnings) ctx.io.stderr(`warning: ${formatWarning(w)}\n`);
  return ws;
}

function formatWarning(w: Workspace['warnings'][number]): string {
  const where = w.location ? `${w.location.file}${w.location.line ? `:${w.location.line}` : ''}: ` : '';
  return `${where}${w.message}`;
}
