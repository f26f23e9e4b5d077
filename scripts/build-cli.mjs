#!/usr/bin/env node
// Bundles the CLI (src/cli/main.ts, the core it uses and its pure-JS dependencies) into out/cli/ with esbuild:
// the entry `atmos-secret.mjs` plus chunks it imports on demand. Native and heavy packages stay in node_modules
// (everything but BUNDLED_PACKAGES), so the bin works from any folder. `npm install`/`npm ci` run this through
// `prepare`.
//
// Start-up is a feature: the CLI runs inside `exec`, shell hooks and CI loops. So:
//  - code splitting: main.ts imports the command tree with `import()`, and `--version` never loads it;
//  - the cloud SDKs (LAZY_PACKAGES) load on first use, not at start. Our sources use them synchronously
//    (`new KMSClient(...)`, `new STSClient(...)`), so instead of rewriting every call site the bundle swaps each
//    for a stand-in module: one export per name of the real package, each a Proxy that `require`s the real
//    package (CommonJS, from node_modules) on its first construction, call or property read. Types and
//    behaviour are the real ones; only the moment of loading moves. Without this, `--version` took 0.75 s
//    against 0.11 s for bare node (issue 8). test/cli-startup.int.test.ts holds it.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const requireFromRoot = createRequire(join(root, 'package.json'));

/**
 * Heavy SDKs (each 0.05-0.2 s to load) that only SOPS files, KMS keys and cloud auth identities use.
 * age-encryption is an ES module: `require` loads it on Node >= 20.19 (the engines floor) without a warning.
 */
export const LAZY_PACKAGES = ['@aws-sdk/client-kms', '@aws-sdk/client-sts', '@google-cloud/kms', 'age-encryption'];

/**
 * The pure-JS packages every command loads, bundled: resolving and loading their hundreds of files one by one
 * cost more start-up than parsing them. Every other package (native ones like keytar, the cloud SDKs and
 * clients the stores import on first use, WebAssembly ones) loads from node_modules at run time.
 */
const BUNDLED_PACKAGES = new Set(['yaml', 'zod', 'commander', 'tinyglobby', 'picomatch', 'fdir']);

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

const externalUnlessBundled = {
  name: 'external-unless-bundled',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      isAbsolute(args.path) || BUNDLED_PACKAGES.has(packageOf(args.path))
        ? undefined
        : { path: args.path, external: true },
    );
  },
};

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The stand-in module for a package: the same export names, each loading the package on first use. */
function lazyModuleSource(name) {
  const names = Object.keys(requireFromRoot(name)).filter((n) => IDENTIFIER.test(n) && n !== 'default');
  const lines = [
    `import { createRequire } from 'node:module';`,
    `const require = createRequire(import.meta.url);`,
    `let real;`,
    `const load = () => (real ??= require(${JSON.stringify(name)}));`,
    // A function target so the Proxy can be both constructed and called; `prototype` reads go to the real one.
    `const lazy = (key) => new Proxy(function () {}, {`,
    `  construct: (_t, args) => Reflect.construct(load()[key], args),`,
    `  apply: (_t, self, args) => Reflect.apply(load()[key], self, args),`,
    `  get: (_t, prop) => load()[key][prop],`,
    `});`,
    ...names.map((n) => `export const ${n} = lazy(${JSON.stringify(n)});`),
  ];
  return lines.join('\n');
}

const lazySdks = {
  name: 'lazy-sdks',
  setup(b) {
    const filter = new RegExp(`^(${LAZY_PACKAGES.map((p) => p.replace(/[/.]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'lazy-sdk' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-sdk' }, (args) => ({
      contents: lazyModuleSource(args.path),
      loader: 'js',
      resolveDir: root,
    }));
  },
};

// zod's classic API re-exports every locale's messages (`z.locales`, ~300 KB that each start-up would
// compile). This CLI speaks English (zod's default): only that locale is kept.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), '../locales/en.js'), namespace: 'zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

const outdir = join(root, 'out/cli');
const result = await build({
  entryPoints: { 'atmos-secret': join(root, 'src/cli/main.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Bundled CommonJS (yaml) requires node built-ins; an ES module has no `require` of its own.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  // The lazy SDK stand-ins first: they take those packages before the externals rule sees them.
  plugins: [lazySdks, zodEnglishOnly, externalUnlessBundled],
  sourcemap: 'linked',
  metafile: true,
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});

// The start-up test reads which packages each output file imports statically.
writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile, null, 1));

// Chunks of earlier builds: removed once they are old enough that no running CLI (a parallel test run that
// built a moment ago) can still be importing them.
const current = new Set(Object.keys(result.metafile.outputs).map((o) => join(root, o)));
const chunks = join(outdir, 'chunks');
for (const f of readdirSync(chunks)) {
  const p = join(chunks, f);
  if (!current.has(p) && !current.has(p.replace(/\.map$/, '')) && Date.now() - statSync(p).mtimeMs > 10 * 60_000)
    rmSync(p, { force: true });
}
