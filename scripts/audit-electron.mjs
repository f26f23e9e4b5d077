#!/usr/bin/env node
// `npm run test:audit`: Electronegativity (Doyensec's Electron security scanner) over the built app.
// Fails on any HIGH or MEDIUM finding that electronegativity-allow.json does not justify, on an allow-list
// entry that no longer matches anything (a stale justification hides nothing), and on any file the scanner
// could not parse (a file it skips is a file it did not audit).
//
// What is scanned: exactly what electron-builder packs from the build (out/main, out/preload, out/renderer and
// package.json), built fresh by electron-vite. Electronegativity's parser predates class private fields
// (`#x`), so the JavaScript is lowered to ES2020 with esbuild first; the code is otherwise the same.
// The run never touches the network: the AVAILABLE_SECURITY_FIXES check is left out (it downloads Electron's
// release list; Electron's version is kept current by dependency updates, not by this audit), and the
// scanner's HTTP client is replaced by one that fails at once, so it skips fetching translations (it then
// uses the English it ships) instead of waiting for timeouts.
//
// Usage: node scripts/audit-electron.mjs [--no-build] [--input APP_DIR] [--allow ALLOW_JSON]
//   --input scans another app folder as it is (no build; the audit's own tests use a deliberately unsafe one).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
const INPUT = option('--input');
const ALLOW_FILE = resolve(option('--allow') ?? join(root, 'electronegativity-allow.json'));
const FAILING = new Set(['HIGH', 'MEDIUM']);
const EXCLUDED_CHECKS = ['availablesecurityfixesglobalcheck'];

function build() {
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const r = spawnSync(process.execPath, [cli, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`electron-vite build failed (exit ${r.status})`);
}

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

/** Copies `from` to `to`, its JavaScript lowered to what the scanner parses. */
function copyLowered(from, to) {
  const esbuild = require('esbuild');
  for (const file of files(from)) {
    const target = join(to, relative(from, file));
    mkdirSync(dirname(target), { recursive: true });
    if (['.js', '.cjs', '.mjs'].includes(extname(file))) {
      const format = extname(file) === '.cjs' ? 'cjs' : 'esm';
      const { code } = esbuild.transformSync(readFileSync(file, 'utf8'), { target: 'es2020', format, loader: 'js' });
      writeFileSync(target, code);
    } else {
      cpSync(file, target);
    }
  }
}

/** What electron-builder packs (or the --input folder) in a temp folder, ready to scan. */
function stage() {
  const dir = mkdtempSync(join(tmpdir(), 'atmos-audit-'));
  if (INPUT) {
    copyLowered(resolve(INPUT), dir);
    return dir;
  }
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  for (const part of ['main', 'preload', 'renderer']) copyLowered(join(root, 'out', part), join(dir, 'out', part));
  return dir;
}

/** electronegativity-allow.json: [{ id, file, reason }]; `file` is relative to the app ("N/A" for global checks). */
function readAllowList() {
  const list = JSON.parse(readFileSync(ALLOW_FILE, 'utf8'));
  if (!Array.isArray(list)) throw new Error(`${ALLOW_FILE}: expected an array of { id, file, reason }`);
  list.forEach((e, i) => {
    for (const key of ['id', 'file', 'reason']) {
      if (typeof e?.[key] !== 'string' || e[key].trim() === '') {
        throw new Error(`${ALLOW_FILE}: entry ${i} needs a non-empty "${key}" (every allowed finding says why)`);
      }
    }
  });
  return list;
}

function offlineScanner() {
  const scannerRequire = createRequire(require.resolve('@doyensec/electronegativity'));
  const gotPath = scannerRequire.resolve('got');
  const refuse = () => Promise.reject(new Error('the Electron audit runs offline'));
  refuse.default = refuse;
  Object.defineProperty(refuse, '__esModule', { value: true });
  scannerRequire.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: refuse };
  return scannerRequire('@doyensec/electronegativity');
}

async function main() {
  if (!INPUT && !args.includes('--no-build')) build();
  const allow = readAllowList();
  const input = stage();
  const run = offlineScanner();
  let result;
  // The scanner's own chatter (translations it tries to fetch) goes to the console; keep our report apart.
  const log = console.log;
  console.log = () => {};
  try {
    result = await run(
      { input, isRelative: true, customScan: [], excludeFromScan: EXCLUDED_CHECKS, parserPlugins: [], isSarif: false },
      false,
    );
  } finally {
    console.log = log;
    rmSync(input, { recursive: true, force: true });
  }

  const problems = [];
  for (const e of result.errors.filter((e) => !e.tolerable)) {
    problems.push(`could not parse ${relative(input, e.file)}: ${e.message}`);
  }
  const used = new Set();
  const findings = result.issues.filter((i) => FAILING.has(i.severity.name));
  for (const f of findings) {
    const where = `${f.file}${f.location?.line ? `:${f.location.line}` : ''}`;
    const entry = allow.findIndex((a) => a.id === f.id && a.file === f.file);
    if (entry === -1) problems.push(`${f.severity.name} ${f.id} at ${where}: ${f.description}`);
    else used.add(entry);
  }
  allow.forEach((a, i) => {
    if (!used.has(i)) problems.push(`allow-list entry ${a.id} at ${a.file} matches no finding: remove it`);
  });

  const lower = result.issues.length - findings.length;
  console.log(
    `electronegativity: ${result.globalChecks + result.atomicChecks} checks, ${findings.length} high/medium findings (${used.size} justified in ${relative(root, ALLOW_FILE)}), ${lower} low/informational`,
  );
  if (problems.length > 0) {
    for (const p of problems) console.error(`  ${p}`);
    console.error(
      `electronegativity: ${problems.length} problem(s); fix them or justify each in ${relative(root, ALLOW_FILE)}`,
    );
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(`electronegativity: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
