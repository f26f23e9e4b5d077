#!/usr/bin/env node
// Runs bench/renderer/filter-bench.ts on plain Node 20, bundled by bench/bundle.mjs, in a fresh node.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, runBundleAndExit } from '../bundle.mjs';

const here = dirname(fileURLToPath(import.meta.url));
runBundleAndExit(await bundle(join(here, 'filter-bench.ts'), 'renderer-filter'));
