// Runs bench/validate/run.ts on Node 20: esbuild bundles it (our sources use extensionless imports) into
// bench/results/.build with its emulator host (each emulator runs in a process of its own), packages left to
// node_modules; then a fresh node runs it and its exit code is ours.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '../results/.build');
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, 'validate-run.mjs');
const hostfile = join(outDir, 'validate-emulator-host.mjs');
for (const [entry, out] of [
  ['run.ts', outfile],
  ['emulator-host.ts', hostfile],
]) {
  await build({
    entryPoints: [join(here, entry)],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}
// A bound on the whole run, so the bench always stops by itself.
const r = spawnSync(process.execPath, ['--no-deprecation', outfile, ...process.argv.slice(2)], {
  stdio: 'inherit',
  timeout: 10 * 60_000,
  env: { ...process.env, ATMOS_BENCH_EMULATOR_HOST: hostfile },
});
process.exit(r.status ?? 1);
