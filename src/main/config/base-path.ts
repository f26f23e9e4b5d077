// `base_path` resolution as Atmos defines it (docs/prd/base-path-resolution-semantics.md in cloudposse/atmos):
// the value's form says how to resolve it, its source says where "here" is.
//   empty ("", "~", null, unset)  -> the git root, else the config folder
//   dot   (".", "..", "./x", "../x") -> relative to "here": the config folder for atmos.yaml, the current folder
//                                      for --base-path and ATMOS_BASE_PATH
//   bare  ("x", "x/y", ".hidden")   -> a search, whatever the source: <git root>/x if it exists, else <cwd>/x if
//                                      it exists, else <git root>/x; without a git root, <config folder>/x
//   absolute                        -> itself
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/** atmos.yaml's `base_path`, or a runtime value (`--base-path`, ATMOS_BASE_PATH). */
export type BasePathSource = 'config' | 'runtime';

export interface BasePathContext {
  readonly cwd: string;
  /** The folder holding atmos.yaml, when one was found. */
  readonly configDir: string | undefined;
  /** The git root, or undefined when there is none or ATMOS_GIT_ROOT_BASEPATH=false. */
  readonly gitRoot: string | undefined;
}

/** True for a value that means "no opinion": the smart default applies. */
export function isEmptyBasePath(value: string | null | undefined): boolean {
  return value === undefined || value === null || value.trim() === '' || value.trim() === '~';
}

function isDotPath(v: string): boolean {
  return v === '.' || v === '..' || /^\.\.?[/\\]/.test(v);
}

/** Resolve a base path value to an absolute folder. */
export function resolveBasePath(
  value: string | null | undefined,
  source: BasePathSource,
  ctx: BasePathContext,
): string {
  if (isEmptyBasePath(value)) return ctx.gitRoot ?? ctx.configDir ?? ctx.cwd;
  const v = (value as string).trim();
  if (isAbsolute(v)) return resolve(v);
  if (isDotPath(v)) return resolve(source === 'runtime' ? ctx.cwd : (ctx.configDir ?? ctx.cwd), v);
  if (ctx.gitRoot !== undefined) {
    const atRoot = join(ctx.gitRoot, v);
    if (existsSync(atRoot)) return atRoot;
    const atCwd = resolve(ctx.cwd, v);
    if (existsSync(atCwd)) return atCwd;
    return atRoot;
  }
  return resolve(ctx.configDir ?? ctx.cwd, v);
}

/** `--base-path` (first) or ATMOS_BASE_PATH, with the name to show in messages; empty values do not count. */
export function runtimeBasePath(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { readonly value: string; readonly from: string } | undefined {
  if (flag !== undefined && !isEmptyBasePath(flag)) return { value: flag, from: '--base-path' };
  const e = env['ATMOS_BASE_PATH'];
  if (e !== undefined && !isEmptyBasePath(e)) return { value: e, from: 'ATMOS_BASE_PATH' };
  return undefined;
}
