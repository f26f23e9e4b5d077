// The config loader benchmark: generate the synthetic repository (default 1,000 stacks x 50 components, 3
// import levels, a 200-file catalog), load it, describe every component, and print files read, stacks,
// components, time and peak RSS. Arguments: --stacks N --components N --depth N --catalog N --dir PATH.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStacks, loadWorkspace } from '../../src/main/config/index';
import { DEFAULT_REPO, generateRepo, type SyntheticRepoOptions } from './generate';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

async function main(): Promise<void> {
  const opts: SyntheticRepoOptions = {
    stacks: arg('stacks', DEFAULT_REPO.stacks),
    componentsPerStack: arg('components', DEFAULT_REPO.componentsPerStack),
    importDepth: arg('depth', DEFAULT_REPO.importDepth),
    catalogSize: arg('catalog', DEFAULT_REPO.catalogSize),
  };
  const dirIdx = process.argv.indexOf('--dir');
  const dir = dirIdx >= 0 ? (process.argv[dirIdx + 1] ?? '') : join(tmpdir(), 'atmos-config-bench');
  const repo = generateRepo(dir, opts);
  console.log(`repository: ${repo.files} files, ${(repo.bytes / 1e6).toFixed(2)} MB in ${repo.root}`);
  console.log(`parameters: ${JSON.stringify(opts)}`);

  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const ws = await loadWorkspace({ configPath: dir, env: { ATMOS_GIT_ROOT_BASEPATH: 'false' } });
  const t1 = performance.now();
  const described = describeStacks(ws);
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  let components = 0;
  for (const s of Object.values(described))
    for (const byName of Object.values(s.components)) components += Object.keys(byName).length;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`files read:  ${ws.filesRead}`);
  console.log(`stacks:      ${ws.stackNames().length}`);
  console.log(`components:  ${components}`);
  console.log(`load:        ${(t1 - t0).toFixed(0)} ms`);
  console.log(`describe:    ${(t2 - t1).toFixed(0)} ms`);
  console.log(`total:       ${(t2 - t0).toFixed(0)} ms`);
  console.log(
    `CPU time:    ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (user+system, all threads; wall time above is inflated when the machine is busy)`,
  );
  console.log(`peak RSS:    ${peakRssMb.toFixed(0)} MB`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
