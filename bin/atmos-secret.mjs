#!/usr/bin/env node
// The `atmos-secret` command: loads the CLI bundle that `npm install` built (scripts/build-cli.mjs).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = join(dirname(fileURLToPath(import.meta.url)), '../out/cli/atmos-secret.mjs');
if (!existsSync(bundle)) {
  process.stderr.write('atmos-secret: the CLI is not built yet.\n  hint: run `npm run build:cli` in the project folder.\n');
  process.exit(2);
}
await import(pathToFileURL(bundle).href);
