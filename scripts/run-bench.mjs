#!/usr/bin/env node
// `npm run bench`: runs every `bench:*` script in package.json, then the CLI benchmark (bench/cli/run.mjs: scale
// and start-up figures against their targets) inside a private keyring session (scripts/with-keyring.mjs), since
// it measures `list` and `get` against a real OS keychain. One after another: figures are CPU ratios, and
// parallel runs would skew them.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const names = Object.keys(pkg.scripts).filter((s) => s.startsWith('bench:'));

const runs = names.map((name) => ({ title: `npm run ${name}`, command: 'npm', args: ['run', '--silent', name] }));
if (!names.includes('bench:cli')) {
  runs.push({
    title: 'bench/cli (scale and start-up)',
    command: process.execPath,
    args: [
      fileURLToPath(new URL('./with-keyring.mjs', import.meta.url)),
      process.execPath,
      fileURLToPath(new URL('../bench/cli/run.mjs', import.meta.url)),
    ],
  });
}

let failed = 0;
for (const r of runs) {
  console.log(`\n== ${r.title}`);
  const result = spawnSync(r.command, r.args, { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
