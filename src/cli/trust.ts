// Workspace trust for the CLI (issue 9): a cloned repository must not run code because a command read it. The
// loader runs `!exec` only for a trusted workspace; the CLI trusts one when `--trust` is given, or when both the
// folder holding its atmos.yaml and its base path lie inside a folder listed in ATMOS_SECRETS_TRUSTED_FOLDERS
// (path-delimiter separated, like PATH). Both must: a trusted folder's atmos.yaml may not pull stacks (and their
// `!exec`) from elsewhere, and a search that climbs out of a trusted folder to a parent's atmos.yaml is not trusted.
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { loadAtmosConfig } from '../main/config';

type ConfigOptions = Parameters<typeof loadAtmosConfig>[0];

export const TRUSTED_FOLDERS_ENV = 'ATMOS_SECRETS_TRUSTED_FOLDERS';

/** For --help: what the setting is and how it is written. */
export const TRUST_HELP = `Workspace trust:
  A workspace's !exec commands run only when it is trusted; otherwise they show as written and one warning
  says so. Trust it for one command with --trust, or for good by listing its folder (or a parent) in
  ${TRUSTED_FOLDERS_ENV}, separated by "${delimiter}" like PATH, e.g.
  ${TRUSTED_FOLDERS_ENV}=${process.platform === 'win32' ? 'C:\\src\\infra;C:\\src\\platform' : '~/src/infra:/srv/platform'}
  A folder is trusted with everything below it; entries must be absolute (or start with ~).`;

/** The real path when it exists (symlinks resolved, so a link cannot smuggle a folder in), else the path. */
function real(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return resolve(p);
  }
}

/** The listed folders, absolute and real; relative entries are ignored (they would depend on the cwd). */
export function trustedFolders(env: Readonly<Record<string, string | undefined>>): string[] {
  const home = env['HOME'] ?? homedir();
  return (env[TRUSTED_FOLDERS_ENV] ?? '')
    .split(delimiter)
    .map((e) => e.trim())
    .filter((e) => e !== '')
    .map((e) => (e === '~' ? home : e.startsWith('~/') || e.startsWith('~\\') ? join(home, e.slice(2)) : e))
    .filter((e) => isAbsolute(e))
    .map(real);
}

/** True when `path` is `folder` or below it. */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, real(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Whether to load the workspace as trusted: `--trust`, else the trusted-folders setting over the folder of the
 * atmos.yaml the loader would use and its base path (read without running anything). A workspace that does not
 * load here is not trusted; the real load reports why.
 */
export async function workspaceTrusted(
  trustFlag: boolean,
  opts: Omit<ConfigOptions, 'trusted'> & { readonly env: Readonly<Record<string, string | undefined>> },
): Promise<boolean> {
  if (trustFlag) return true;
  const folders = trustedFolders(opts.env);
  if (folders.length === 0) return false;
  let configDir: string;
  let basePath: string;
  try {
    const resolved = await loadAtmosConfig({ ...opts, trusted: false });
    configDir = dirname(resolved.configPath);
    basePath = resolved.basePath;
  } catch {
    return false;
  }
  const trusted = (p: string): boolean => folders.some((f) => isInside(f, p));
  return trusted(configDir) && trusted(basePath);
}
