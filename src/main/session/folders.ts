// Opening a workspace (a folder with atmos.yaml) and copying the bundled demo to a folder the person chose.
import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { WorkspaceInfo } from '../../shared/ipc/contract';

const CONFIG_NAMES = ['atmos.yaml', 'atmos.yml', '.atmos.yaml', '.atmos.yml'];

export async function describeWorkspaceFolder(folder: string): Promise<WorkspaceInfo> {
  const path = resolve(folder);
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new AppError('NOT_FOUND', `The folder ${path} does not exist.`, { hint: 'Choose an existing folder.' });
  }
  if (!info.isDirectory()) {
    throw new AppError('NOT_FOUND', `${path} is a file, not a folder.`, {
      hint: 'Choose the folder that holds atmos.yaml.',
    });
  }
  const entries = new Set(await readdir(path));
  const config = CONFIG_NAMES.find((n) => entries.has(n));
  if (!config) {
    throw new AppError('CONFIG', `${path} has no atmos.yaml.`, {
      hint: 'Open the root of an Atmos repository (the folder with atmos.yaml), or open the demo.',
    });
  }
  return { path, name: basename(path), configFile: join(path, config) };
}

/**
 * Copies the demo repository into `target` (or a fresh subfolder of it when it is not empty) and returns it.
 * The installed copy is never edited, and nothing that exists is overwritten.
 */
export async function copyDemo(demoSource: string, target: string): Promise<WorkspaceInfo> {
  const dest = await freeDestination(resolve(target));
  await mkdir(dest, { recursive: true });
  await cp(demoSource, dest, { recursive: true, errorOnExist: true, force: false });
  return describeWorkspaceFolder(dest);
}

async function freeDestination(target: string): Promise<string> {
  if (await isEmptyOrMissing(target)) return target;
  for (let i = 1; i < 100; i++) {
    const candidate = join(target, i === 1 ? 'atmos-demo' : `atmos-demo-${i}`);
    if (await isEmptyOrMissing(candidate)) return candidate;
  }
  throw new AppError('USAGE', `${target} already holds many demo copies.`, { hint: 'Choose another folder.' });
}

async function isEmptyOrMissing(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    return info.isDirectory() && (await readdir(path)).length === 0;
  } catch {
    return true;
  }
}
