// Test helper: bundles a TypeScript child-process entry with esbuild into one .mjs that plain `node` runs in
// a few tens of milliseconds (the crash and concurrency proofs start hundreds of children).
import { build } from 'esbuild';
import { join } from 'node:path';

export async function bundleChild(entry: string, outDir: string, name: string): Promise<string> {
  const outfile = join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    // Smaller to parse: the proofs start hundreds of these.
    minify: true,
    // keytar is native: a child that needs the keychain loads it from node_modules.
    external: ['keytar'],
    // yaml is CommonJS; an ESM bundle needs a real require for its node built-ins.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return outfile;
}
