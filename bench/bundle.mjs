// Runs a bench's TypeScript on plain Node 20: esbuild bundles an entry (our sources use extensionless imports,
// which --experimental-strip-types cannot resolve) into bench/results/.build, packages left to node_modules;
// then a fresh node runs the bundle, so the CPU and peak RSS a bench reports are its own.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const BUILD_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results/.build');

/** Bundles `entry` (a path) to bench/results/.build/<name>.mjs and returns that path. */
export async function bundle(entry, name) {
  mkdirSync(BUILD_DIR, { recursive: true });
  const outfile = join(BUILD_DIR, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * Runs a bundle in a fresh node with this process's arguments after its own, output inherited, and exits with
 * its code. `o.env`: added to the environment; `o.timeoutMs`: a bound on the whole run; `o.nodeArgs`: before it.
 */
export function runBundleAndExit(outfile, o = {}) {
  const r = spawnSync(process.execPath, [...(o.nodeArgs ?? []), outfile, ...process.argv.slice(2)], {
    stdio: 'inherit',
    ...(o.timeoutMs ? { timeout: o.timeoutMs } : {}),
    ...(o.env ? { env: { ...process.env, ...o.env } } : {}),
  });
  process.exit(r.status ?? 1);
}
