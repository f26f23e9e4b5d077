// Runs once before the integration suite: builds the CLI bundle from the current sources so spawned-CLI
// tests exercise this checkout, not a stale build.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export default function setup(): void {
  const root = resolve(import.meta.dirname, '../..');
  const script = resolve(root, 'scripts/build-cli.mjs');
  if (existsSync(script)) execFileSync(process.execPath, [script], { cwd: root, stdio: 'inherit' });
}
