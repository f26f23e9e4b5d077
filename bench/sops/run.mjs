#!/usr/bin/env node
// Bundles the SOPS benchmarks (TypeScript) with esbuild into temporary .mjs files and runs them on plain Node 20:
// throughput against the AES-GCM floor, then contended writers (every set succeeds, none is lost).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sops-bench-'));
try {
  for (const name of ['sops-throughput', 'contention']) {
    const out = join(dir, `${name}.mjs`);
    await build({
      entryPoints: [resolve(here, `${name}.ts`)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: out,
      logLevel: 'warning',
      // yaml is CommonJS; an ESM bundle needs a real require for its node built-ins.
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    const r = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { stdio: 'inherit' });
    if (r.status !== 0) process.exitCode = r.status ?? 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
