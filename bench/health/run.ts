// `npm run bench:health`: `audit` over the bench's 1,000-stack estate (bench/cli/estate.ts: 1,000 stacks x 50
// components, 151,000 declared secrets in a keychain store) with one secret in ten holding a value (some of them
// shared, so reuse is found), against its floor measured in the same run: `list --verify` over the same estate
// (every status checked in one listing per store). Both in this process over a memory keychain, each on a fresh
// service (no cache carried over), best of three by CPU time. The audit reads every present value once (the
// keychain has no batch read: one listing, then the present ones), hashes it, and lists the store once for
// orphans; the target is audit <= TARGET_RATIO x list --verify. A miss prints OVER and exits 1.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkspace, type Workspace } from '../../src/main/config';
import { MemoryKeychain } from '../../src/main/keychain/memory-keychain';
import { createSecretsService, type SecretsService } from '../../src/main/secrets';
import { DEFAULT_REPO } from '../config/generate';
import { generateSecretsEstate } from '../cli/estate';

const TARGET_RATIO = 3;
const SERVICE = 'atmos-health-bench';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function serviceOver(ws: Workspace, keychain: MemoryKeychain): SecretsService {
  return createSecretsService(ws, {
    keychain: () => keychain,
    confirm: async () => true,
    env: {},
    remember: () => undefined,
  });
}

async function cpuMs(run: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function main(): Promise<void> {
  const stacks = arg('stacks', DEFAULT_REPO.stacks);
  const dir = join(tmpdir(), 'atmos-health-bench');
  const estate = generateSecretsEstate(dir, SERVICE, { ...DEFAULT_REPO, stacks });
  const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
  const keychain = new MemoryKeychain(SERVICE);
  // One row in ten gets a value; one value in fifty is shared with the row before it (reuse to find).
  const seeding = serviceOver(ws, keychain);
  const rows = (await seeding.list({})).filter((_, i) => i % 10 === 0);
  let previous = '';
  for (const [i, r] of rows.entries()) {
    const value = i % 50 === 1 ? previous : randomBytes(24).toString('base64url');
    previous = value;
    await seeding.set({
      stack: r.stack,
      component: r.component === '*' ? undefined : r.component,
      name: r.secret,
      value,
    });
  }
  console.log(`estate: ${estate.stacks} stacks, ${estate.rows} list rows, ${rows.length} values set`);

  const floors: number[] = [];
  const audits: number[] = [];
  let findings = 0;
  for (let run = 0; run < 3; run++) {
    floors.push(await cpuMs(() => serviceOver(ws, keychain).streamList({ verify: true }, () => undefined)));
    audits.push(
      await cpuMs(async () => {
        findings = (await serviceOver(ws, keychain).audit({})).findings.length;
      }),
    );
  }
  const floor = Math.min(...floors);
  const audit = Math.min(...audits);
  const ratio = audit / floor;
  console.log(`list --verify (floor): ${floor.toFixed(0)} ms CPU (best of 3)`);
  console.log(`audit:                 ${audit.toFixed(0)} ms CPU (best of 3), ${findings} findings`);
  console.log(
    `ratio:                 ${ratio.toFixed(2)}x the floor (target <= ${TARGET_RATIO}x) ${ratio <= TARGET_RATIO ? 'OK' : 'OVER'}`,
  );
  rmSync(dir, { recursive: true, force: true });
  if (ratio > TARGET_RATIO) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
