// Runs bench/config/run.ts on Node 20, bundled by bench/bundle.mjs, in a fresh node so the peak RSS it reports
// is the benchmark's own; the parse floor it compares against is floor.mjs.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, runBundleAndExit } from '../bundle.mjs';

const here = dirname(fileURLToPath(import.meta.url));
runBundleAndExit(await bundle(join(here, 'run.ts'), 'config-run'), {
  env: { ATMOS_BENCH_FLOOR: join(here, 'floor.mjs') },
});
