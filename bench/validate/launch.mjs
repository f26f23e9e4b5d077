// Runs bench/validate/run.ts on Node 20: bench/bundle.mjs bundles it with its emulator host (each emulator runs
// in a process of its own); then a fresh node runs it and its exit code is ours.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, runBundleAndExit } from '../bundle.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = await bundle(join(here, 'run.ts'), 'validate-run');
const hostfile = await bundle(join(here, 'emulator-host.ts'), 'validate-emulator-host');
// A bound on the whole run, so the bench always stops by itself.
runBundleAndExit(outfile, {
  nodeArgs: ['--no-deprecation'],
  timeoutMs: 10 * 60_000,
  env: { ATMOS_BENCH_EMULATOR_HOST: hostfile },
});
