#!/usr/bin/env node
// `npm run bench`: runs every `bench:*` script in package.json, one after another.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const names = Object.keys(pkg.scripts).filter((s) => s.startsWith('bench:'));
if (names.length === 0) {
  console.log('No benchmarks are defined yet (no bench:* scripts).');
}
let failed = 0;
for (const name of names) {
  console.log(`\n== npm run ${name}`);
  const r = spawnSync('npm', ['run', '--silent', name], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
