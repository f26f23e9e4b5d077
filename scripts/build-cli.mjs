#!/usr/bin/env node
// Bundles the CLI (src/cli/main.ts and the core it uses) into out/cli/atmos-secret.mjs with esbuild.
// Dependencies stay external and load from node_modules, so the bundle is small and the bin works from any
// folder. `npm install`/`npm ci` run this through the `prepare` script.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

await build({
  entryPoints: [join(root, 'src/cli/main.ts')],
  outfile: join(root, 'out/cli/atmos-secret.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
