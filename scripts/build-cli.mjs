#!/usr/bin/env node
// Bundles the CLI (src/cli/main.ts, the core it uses and its pure-JS dependencies) into out/cli/ with esbuild:
// the entry `atmos-secret.mjs` (ESM, tiny) and the command tree (src/cli/command-tree.ts) as one CommonJS file
// under chunks/ with its V8 code cache beside it. Native and heavy packages stay in node_modules (everything but
// BUNDLED_PACKAGES), so the bin works from any folder. `npm install`/`npm ci` run this through `prepare`.
//
// Start-up is a feature: the CLI runs inside `exec`, shell hooks and CI loops. So:
//  - main.ts loads the command tree only when a command runs, and `--version` never loads it;
//  - the tree is compiled once, here: Node 20 keeps no compiled code between runs, and compiling the ~1.4 MB
//    tree was about a fifth of a `get`'s CPU. The build runs the tree once (a `--version` and a `describe`/`list`
//    of a two-file workspace, output discarded) and saves V8's code cache of it, the functions those runs
//    compiled included, as `<tree>.cache`. main.ts hands it to vm.Script; V8 checks it against its version,
//    flags and the source and compiles from source when it does not fit (another Node), never running stale code;
//  - the cloud SDKs (LAZY_PACKAGES) load on first use, not at start. Our sources use them synchronously
//    (`new KMSClient(...)`, `new STSClient(...)`), so instead of rewriting every call site the bundle swaps each
//    for a stand-in module: one export per name of the real package, each a Proxy that `require`s the real
//    package (CommonJS, from node_modules) on its first construction, call or property read. Types and
//    behaviour are the real ones; only the moment of loading moves. Without this, `--version` took 0.75 s
//    against 0.11 s for bare node (issue 8). test/cli-startup.int.test.ts holds it.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
const BUNDLED_PACKAGES = new Set(['yaml', 'js-yaml', 'zod', 'commander', 'tinyglobby', 'picomatch', 'fdir']);

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
/** The CommonJS wrapper the tree is compiled in, here for its code cache and in main.ts (given to it below). */
const TREE_WRAPPER = ['(function (exports, require, module, __filename, __dirname) {', '\n})'];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // The lazy SDK stand-ins first: they take those packages before the externals rule sees them.
  plugins: [lazySdks, zodEnglishOnly, externalUnlessBundled],
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
};

// The command tree: one CommonJS file (vm.Script compiles scripts, not ES modules, and only scripts take a code
// cache on Node 20). Its internal `import()`s (stores loading their modules) are bundled in. The hash in the name lets a
// CLI started before this build finish with the tree it began with.
const tree = await build({
  ...common,
  entryPoints: { program: join(root, 'src/cli/command-tree.ts') },
  outdir: join(outdir, 'chunks'),
  entryNames: '[name]-[hash]',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  // Package import()s become require()s, resolved from this file (the script is compiled outside any module, so
  // node's import() cannot resolve for it without an experimental flag). Every package the stores import
  // that way loads with require on Node >= 20.19 (the engines floor), the ES-module ones included.
  supported: { 'dynamic-import': false },
  // The lazy stand-ins (and any source) ask import.meta.url for createRequire: in a script it is this file's URL.
  define: { 'import.meta.url': '__cliTreeUrl' },
  banner: { js: "var __cliTreeUrl = require('node:url').pathToFileURL(__filename).href;" },
});
const treeFile = Object.keys(tree.metafile.outputs).find((o) => o.endsWith('.cjs'));
if (!treeFile) throw new Error('esbuild wrote no command tree');
writeCodeCache(join(root, treeFile));

// The entry, written last: a CLI that starts mid-build finds the previous entry and the tree it names.
const entry = await build({
  ...common,
  entryPoints: { 'atmos-secret': join(root, 'src/cli/main.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  plugins: [
    // Run unbundled, main.ts imports the tree itself; bundled, it loads the file named below.
    {
      name: 'tree-apart',
      setup(b) {
        b.onResolve({ filter: /^\.\/command-tree$/ }, (args) => ({ path: args.path, external: true }));
      },
    },
    ...common.plugins,
  ],
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
    __COMMAND_TREE__: JSON.stringify(`./chunks/${treeFile.split('/').pop()}`),
    __TREE_WRAPPER__: JSON.stringify(TREE_WRAPPER),
  },
});

// The start-up test reads which packages each output file imports statically.
const result = {
  metafile: {
    inputs: { ...tree.metafile.inputs, ...entry.metafile.inputs },
    outputs: { ...asWritten(tree.metafile), ...entry.metafile.outputs },
  },
};
writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile, null, 1));

/**
 * The outputs with each package import of the kind the sources wrote. In the script, esbuild lowers a package
 * `import()` to a `require()` inside a promise callback and reports it as a require-call: it still loads on
 * first use, as a dynamic import does, so it is reported as one. A package that any source imports statically
 * keeps the kind esbuild gave it.
 */
function asWritten(metafile) {
  const kinds = new Map();
  for (const input of Object.values(metafile.inputs))
    for (const i of input.imports)
      if (i.external) kinds.set(i.path, kinds.get(i.path) === 'static' || i.kind !== 'dynamic-import' ? 'static' : 'dynamic');
  return Object.fromEntries(
    Object.entries(metafile.outputs).map(([file, o]) => [
      file,
      {
        ...o,
        imports: o.imports.map((i) =>
          i.kind === 'require-call' && kinds.get(i.path) === 'dynamic' ? { ...i, kind: 'dynamic-import' } : i,
        ),
      },
    ]),
  );
}

/**
 * Compiles and runs the tree in a fresh node (the same wrapper main.ts compiles: V8 matches the cache to the
 * source), runs a few commands on a two-file workspace so the functions every command uses are compiled too,
 * and writes V8's code cache beside the tree, atomically (a CLI starting meanwhile reads no half-written cache).
 */
function writeCodeCache(file) {
  const work = mkdtempSync(join(tmpdir(), 'atmos-cli-cache-'));
  try {
    mkdirSync(join(work, 'stacks'));
    writeFileSync(
      join(work, 'atmos.yaml'),
      'base_path: ./\nstacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n',
    );
    writeFileSync(
      join(work, 'stacks/dev.yaml'),
      'vars:\n  stage: dev\ncomponents:\n  terraform:\n    api:\n      vars:\n        size: 1\n',
    );
    const script = [
      "const { readFileSync, writeFileSync, renameSync } = require('node:fs');",
      "const { createRequire } = require('node:module');",
      "const { dirname } = require('node:path');",
      "const vm = require('node:vm');",
      'const [file, base] = process.argv.slice(1);',
      `const [head, tail] = ${JSON.stringify(TREE_WRAPPER)};`,
      "const source = readFileSync(file, 'utf8');",
      'const s = new vm.Script(`${head}${source}${tail}`, {',
      '  filename: file });',
      'const module = { exports: {} };',
      's.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));',
      "const io = { stdout: () => {}, stderr: () => {}, interactive: false };",
      "const ctx = { io, env: {}, cwd: base, keychain: () => { throw new Error('no keychain while building'); } };",
      '(async () => {',
      "  for (const argv of [['--version'], ['describe', 'stacks', '--format', 'json'], ['list', '--format', 'json']])",
      "    await module.exports.runCli(argv[0] === '--version' ? argv : [...argv, '--base-path', base], ctx, '0');",
      // A temporary name of this process's own: two builds at once each write theirs, and either rename wins.
      "  const tmp = `${file}.cache.${process.pid}.tmp`;",
      '  writeFileSync(tmp, s.createCachedData());',
      "  renameSync(tmp, file + '.cache');",
      '})();',
    ].join('\n');
    const r = spawnSync(process.execPath, ['-e', script, file, work], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`building the code cache of ${file} failed`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// Chunks of earlier builds: removed once they are old enough that no running CLI (a parallel test run that
// built a moment ago) can still be importing them.
const current = new Set(Object.keys(result.metafile.outputs).map((o) => join(root, o)));
const chunks = join(outdir, 'chunks');
for (const f of readdirSync(chunks)) {
  const p = join(chunks, f);
  const output = p.replace(/\.(map|cache)$/, '');
  if (!current.has(p) && !current.has(output) && Date.now() - statSync(p).mtimeMs > 10 * 60_000)
    rmSync(p, { force: true });
}
