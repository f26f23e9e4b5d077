#!/usr/bin/env node
// The CLI benchmark (issue 8 section 3): scale and start-up, each figure printed next to its target.
//
// Scale, on the 1,000-stack estate (bench/cli/estate.ts, 151,000 `list` rows): `describe stacks` and `list`
// (no --verify) as multiples of the parse floor (read + yaml.parse every file once) measured in this same run,
// their peak RSS, the warning lines of `list` when the keychain is unreachable, and the keychain calls `list`
// makes. Start-up: `atmos-secret --version` and `get` of a keychain value against bare `node`.
//
// Every process is measured by itself: bench/cli/probe.mjs is preloaded and records its CPU (user + system)
// and peak RSS at exit. A scale figure (the floor's too) is the median CPU of three processes, with the largest
// peak RSS of the three; start-up wall times are the minimum of several runs, robust on a busy machine. Needs a
// reachable OS keychain (run it under scripts/with-keyring.mjs, as `npm run bench` does). A missed target is
// printed as MISS and does not fail the run; only a broken run (a crash, a wrong answer) exits non-zero.
// Arguments: --stacks N --components N (default 1,000 x 50), --runs N (start-up runs, default 10),
// --startup-only.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../bundle.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const cli = join(root, 'bin/atmos-secret.mjs');
const probe = join(here, 'probe.mjs');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const TARGETS = { scaleCpu: 2.5, scaleRssMb: 400, version: 2, get: 3 };

const work = mkdtempSync(join(tmpdir(), 'atmos-cli-bench-'));
const service = `atmos-secrets-bench-${randomBytes(4).toString('hex')}`;
let failed = false;

/** Runs `node [--import probe] args`; returns wall ms, the probe's figures, exit code and stderr. */
function run(args, { probed = true, env = {}, stdin, countKeytar = false } = {}) {
  const out = join(work, `probe-${randomBytes(4).toString('hex')}.json`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...(probed ? ['--import', probe] : []), ...args], {
    cwd: work,
    env: { ...process.env, BENCH_PROBE_OUT: out, ...(countKeytar ? { BENCH_COUNT_KEYTAR: '1' } : {}), ...env },
    input: stdin,
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 1024 * 1024 * 1024,
  });
  const wallMs = performance.now() - t0;
  const figures = probed ? JSON.parse(readFileSync(out, 'utf8')) : undefined;
  return { wallMs, figures, code: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

function check(r, what) {
  if (r.code !== 0) {
    failed = true;
    console.log(`  ! ${what} exited ${r.code}: ${r.stderr.split('\n')[0]}`);
  }
  return r;
}

/** Scale figures: each process runs this many times; CPU is the median run's, peak RSS the largest of all. */
const SCALE_RUNS = 3;

/** The run with the median CPU, carrying the largest peak RSS of all the runs. */
function medianOf(runs) {
  const sorted = [...runs].sort((a, b) => a.figures.cpuMs - b.figures.cpuMs);
  const mid = sorted[Math.floor(sorted.length / 2)];
  const peakRssMb = Math.max(...runs.map((r) => r.figures.peakRssMb));
  return { ...mid, figures: { ...mid.figures, peakRssMb } };
}

const fmtS = (ms) => `${(ms / 1000).toFixed(2)} s`;
const verdict = (ok) => (ok ? 'ok' : 'MISS');
const min = (xs) => Math.min(...xs);

async function generator() {
  const outfile = await bundle(join(here, 'generate-estate.ts'), 'generate-estate');
  return (dir, ...extra) => {
    const r = spawnSync(process.execPath, [outfile, dir, service, ...extra], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`estate generation failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
}

function scale(generate) {
  const dir = join(work, 'estate');
  const estate = generate(dir, '--stacks', String(arg('stacks', 1000)), '--components', String(arg('components', 50)));
  console.log(
    `\n== CLI at scale: ${estate.stacks} stacks, ${estate.rows.toLocaleString('en')} secret rows ` +
      `(${estate.files} files, ${(estate.bytes / 1e6).toFixed(2)} MB)`,
  );
  // The same statistic on both sides of each ratio: the median of SCALE_RUNS processes (CPU), the largest peak.
  const floors = Array.from({ length: SCALE_RUNS }, () =>
    check(run([join(here, 'parse-floor.mjs'), dir]), 'parse floor'),
  );
  const floor = medianOf(floors).figures;
  console.log(
    `parse floor (read + yaml.parse each file once): ${fmtS(floor.cpuMs)} CPU, ${floor.peakRssMb.toFixed(0)} MB`,
  );

  const measure = (label, args, extra = {}) => {
    const r = medianOf(Array.from({ length: SCALE_RUNS }, () => run([cli, ...args, '--base-path', dir], extra)));
    const ratio = r.figures.cpuMs / floor.cpuMs;
    console.log(
      `${label.padEnd(34)} ${fmtS(r.figures.cpuMs)} CPU = ${ratio.toFixed(1)}x floor (target <= ${TARGETS.scaleCpu}x) ` +
        `${verdict(ratio <= TARGETS.scaleCpu)}; peak RSS ${r.figures.peakRssMb.toFixed(0)} MB ` +
        `(target < ${TARGETS.scaleRssMb} MB) ${verdict(r.figures.peakRssMb < TARGETS.scaleRssMb)}; ` +
        `output ${(r.stdout.length / 1e6).toFixed(1)} MB`,
    );
    return r;
  };
  check(measure('describe stacks --format json', ['describe', 'stacks', '--format', 'json']), 'describe stacks');
  const list = measure('list --format json', ['list', '--format', 'json'], { countKeytar: true });
  check(list, 'list');
  const rows = JSON.parse(list.stdout.toString('utf8')).length;
  if (rows !== estate.rows) {
    failed = true;
    console.log(`  ! list printed ${rows} rows, expected ${estate.rows}`);
  }
  measure('list --format table', ['list']);
  const calls = list.figures.keychainCalls;
  const total = Object.values(calls).reduce((a, b) => a + b, 0);
  console.log(
    `keychain calls for that list: ${total} (${Object.entries(calls)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}) (target: 1 per keychain service, here 1) ${verdict(total === 1)}`,
  );

  // No Secret Service: every row's status is an error, said once per store.
  const unreachable = run([cli, 'list', '--format', 'json', '--base-path', dir], {
    env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/atmos-bench' },
  });
  const warnings = unreachable.stderr.split('\n').filter((l) => l.startsWith('warning:')).length;
  console.log(
    `list, keychain unreachable: ${warnings} warning line(s) for ${estate.rows.toLocaleString('en')} rows ` +
      `(target: 1 per store, here 1) ${verdict(warnings === 1)}; exit ${unreachable.code} (expected 1); ` +
      `${fmtS(unreachable.figures.cpuMs)} CPU`,
  );
}

function startup(generate) {
  const runs = arg('runs', 10);
  const dir = join(work, 'small');
  generate(dir, '--stacks', '1', '--components', '5', '--catalog', '1');
  const stack = 'tenant0-ue0-s0';
  const component = 'comp-0';
  check(
    run([cli, 'set', 'DB_PASSWORD', '-s', stack, '-c', component, '--stdin', '--base-path', dir], {
      stdin: 'bench-value',
    }),
    'set',
  );
  const series = { node: [], version: [], get: [] };
  const cpu = { node: [], version: [], get: [] };
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of [
      ['node', ['-e', '0']],
      ['version', [cli, '--version']],
      ['get', [cli, 'get', 'DB_PASSWORD', '-s', stack, '-c', component, '--base-path', dir]],
    ]) {
      const wall = run(args, { probed: false });
      check(wall, name);
      series[name].push(wall.wallMs);
      cpu[name].push(run(args).figures.cpuMs);
      if (name === 'get' && wall.stdout.toString('utf8') !== 'bench-value\n') {
        failed = true;
        console.log(`  ! get printed ${JSON.stringify(wall.stdout.toString('utf8'))}`);
      }
    }
  }
  console.log(`\n== CLI start-up (min of ${runs} runs; wall, and CPU of the process)`);
  const base = { wall: min(series.node), cpu: min(cpu.node) };
  console.log(`bare node:                  ${fmtS(base.wall)} wall, ${fmtS(base.cpu)} CPU`);
  for (const [name, label, target] of [
    ['version', 'atmos-secret --version', TARGETS.version],
    ['get', 'atmos-secret get (keychain)', TARGETS.get],
  ]) {
    const wall = min(series[name]) / base.wall;
    const c = min(cpu[name]) / base.cpu;
    console.log(
      `${label.padEnd(27)} ${fmtS(min(series[name]))} wall = ${wall.toFixed(1)}x node (target <= ${target}x) ` +
        `${verdict(wall <= target)}; CPU ${c.toFixed(1)}x`,
    );
  }
  check(run([cli, 'delete', 'DB_PASSWORD', '-s', stack, '-c', component, '--yes', '--base-path', dir]), 'delete');
}

try {
  const r = spawnSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the CLI failed');
  const generate = await generator();
  if (!process.argv.includes('--startup-only')) scale(generate);
  startup(generate);
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
