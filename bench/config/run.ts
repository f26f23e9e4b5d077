// The config loader benchmark: generate the 1,000-stack estate of issue 8 (bench/cli/estate.ts: 1,000 stacks x 50
// components, 3 import levels, a 200-file catalog, secrets declared on the bases and per stack), load it,
// describe every stack (`describe stacks` without output), and print files read, stacks, components, CPU time
// and peak RSS, with the CPU as a ratio to the parse floor: a fresh process that reads and parses every YAML
// file once with `yaml` (bench/config/floor.mjs). Target: at most 2.5x the floor, under 400 MB peak RSS.
// Both sides are measured in fresh processes, best of three (the machine may be shared by other work).
// Arguments: --stacks N --components N --depth N --catalog N --dir PATH --no-secrets.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStacks, loadWorkspace } from '../../src/main/config/index';
import { generateSecretsEstate } from '../cli/estate';
import { DEFAULT_REPO, generateRepo, type SyntheticRepoOptions } from './generate';

const TARGET_RATIO = 2.5;
const TARGET_RSS_MB = 400;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** The floor's CPU in a fresh process (best of three: the machine may be shared). */
function floorCpuMs(dir: string): number {
  const script = process.env['ATMOS_BENCH_FLOOR'];
  if (!script) throw new Error('ATMOS_BENCH_FLOOR is not set (run through bench/config/launch.mjs)');
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const r = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`parse floor failed: ${r.stderr}`);
    best = Math.min(best, (JSON.parse(r.stdout) as { cpuMs: number }).cpuMs);
  }
  return best;
}

interface Measured {
  readonly filesRead: number;
  readonly stacks: number;
  readonly components: number;
  readonly loadMs: number;
  readonly totalMs: number;
  readonly peakRssMb: number;
}

/** One fresh-process measurement of load + describe stacks (this script with --measure DIR). */
async function measure(dir: string): Promise<Measured> {
  const c0 = process.cpuUsage();
  const ws = await loadWorkspace({ configPath: dir, env: { ATMOS_GIT_ROOT_BASEPATH: 'false' } });
  const c1 = process.cpuUsage(c0);
  const described = describeStacks(ws);
  const cpu = process.cpuUsage(c0);
  let components = 0;
  for (const s of Object.values(described))
    for (const byName of Object.values(s.components)) components += Object.keys(byName).length;
  const ms = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
  return {
    filesRead: ws.filesRead,
    stacks: ws.stackNames().length,
    components,
    loadMs: ms(c1),
    totalMs: ms(cpu),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

function measureFresh(dir: string): Measured {
  const r = spawnSync(process.execPath, [process.argv[1] ?? '', '--measure', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`measurement failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Measured;
}

async function main(): Promise<void> {
  const m = process.argv.indexOf('--measure');
  if (m >= 0) {
    process.stdout.write(`${JSON.stringify(await measure(process.argv[m + 1] ?? ''))}\n`);
    return;
  }
  const opts: SyntheticRepoOptions = {
    stacks: arg('stacks', DEFAULT_REPO.stacks),
    componentsPerStack: arg('components', DEFAULT_REPO.componentsPerStack),
    importDepth: arg('depth', DEFAULT_REPO.importDepth),
    catalogSize: arg('catalog', DEFAULT_REPO.catalogSize),
  };
  const dirIdx = process.argv.indexOf('--dir');
  const dir = dirIdx >= 0 ? (process.argv[dirIdx + 1] ?? '') : join(tmpdir(), 'atmos-config-bench');
  const withSecrets = !process.argv.includes('--no-secrets');
  const repo = withSecrets ? generateSecretsEstate(dir, 'atmos-config-bench', opts) : generateRepo(dir, opts);
  console.log(`repository: ${repo.files} files, ${(repo.bytes / 1e6).toFixed(2)} MB in ${repo.root}`);
  console.log(`parameters: ${JSON.stringify({ ...opts, declaredSecrets: withSecrets })}`);
  const floor = floorCpuMs(dir);
  const runs = [measureFresh(dir), measureFresh(dir), measureFresh(dir)];
  const best = runs.reduce((a, b) => (b.totalMs < a.totalMs ? b : a));
  const peakRssMb = Math.max(...runs.map((r) => r.peakRssMb));
  const ratio = best.totalMs / floor;
  console.log(`files read:  ${best.filesRead}`);
  console.log(`stacks:      ${best.stacks}`);
  console.log(`components:  ${best.components}`);
  console.log(
    `CPU time:    load ${best.loadMs.toFixed(0)} ms, load + describe stacks ${best.totalMs.toFixed(0)} ms (best of 3 fresh processes)`,
  );
  console.log(
    `parse floor: ${floor.toFixed(0)} ms CPU (a fresh node reading and parsing every file once with yaml, best of 3)`,
  );
  console.log(
    `ratio:       ${ratio.toFixed(2)}x the floor (target <= ${TARGET_RATIO}x) ${ratio <= TARGET_RATIO ? 'OK' : 'OVER'}`,
  );
  console.log(
    `peak RSS:    ${peakRssMb.toFixed(0)} MB (target < ${TARGET_RSS_MB} MB) ${peakRssMb < TARGET_RSS_MB ? 'OK' : 'OVER'}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
