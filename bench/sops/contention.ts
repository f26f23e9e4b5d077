// Contended SOPS writers (issue 9, proof 2 in figures): P processes each set W different keys of one SOPS file
// at once. Every set should report success (writers queue behind the file lock instead of failing) and every
// reported success should be in the file afterwards. Prints counts, wall time and per-set latency (waiting
// included); exits 1 if any set failed or was lost. Times are for people, never asserted.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { AgeKeySource, createSopsFile, openSopsFile, setSopsValue, toPlain } from '../../src/main/sops/index';

const PROCESSES = Number(process.env.SOPS_BENCH_WRITERS ?? 16);
const WRITES = Number(process.env.SOPS_BENCH_WRITES ?? 6);

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

/** One writer process: W sets, each timed; prints JSON { ok, failed, ms[] }. */
async function child(file: string, identity: string, writer: number): Promise<void> {
  const keySources = { age: new AgeKeySource({ identities: [identity] }) };
  const ms: number[] = [];
  let ok = 0;
  let failed = 0;
  for (let j = 0; j < WRITES; j++) {
    const t0 = performance.now();
    try {
      await setSopsValue(file, [`W${writer}_${j}`], `value-${writer}-${j}`, { keySources });
      ok++;
    } catch {
      failed++;
    }
    ms.push(performance.now() - t0);
  }
  process.stdout.write(JSON.stringify({ ok, failed, ms }));
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [process.argv[1] ?? '', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.on('error', reject);
    p.on('close', () => resolve(out));
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sops-contention-'));
  try {
    const identity = await generateIdentity();
    const keyFile = join(dir, 'key.txt');
    writeFileSync(keyFile, identity, { mode: 0o600 });
    const keySources = { age: new AgeKeySource({ identities: [identity] }) };
    const file = join(dir, 'secrets.enc.yaml');
    await createSopsFile(
      file,
      { SEED: 'x' },
      { keySources, keyGroups: [[{ type: 'age', recipient: await identityToRecipient(identity) }]] },
    );
    const t0 = performance.now();
    const outs = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) => run(['--child', file, keyFile, String(i)])),
    );
    const wall = performance.now() - t0;
    const results = outs.map((o) => JSON.parse(o) as { ok: number; failed: number; ms: number[] });
    const ok = results.reduce((n, r) => n + r.ok, 0);
    const failed = results.reduce((n, r) => n + r.failed, 0);
    const plain = toPlain((await openSopsFile(file, { keySources })).documents[0]!) as Record<string, string>;
    const present = Array.from({ length: PROCESSES }, (_, i) =>
      Array.from({ length: WRITES }, (_, j) => plain[`W${i}_${j}`] === `value-${i}-${j}`),
    )
      .flat()
      .filter(Boolean).length;
    const ms = results.flatMap((r) => r.ms);
    const total = PROCESSES * WRITES;
    console.log(`SOPS contended writers: ${PROCESSES} processes x ${WRITES} sets of different keys of one file`);
    console.log(`  reported success: ${ok}/${total} (failed: ${failed})`);
    console.log(`  present afterwards: ${present}/${total} (lost: ${total - present})`);
    console.log(
      `  wall ${(wall / 1000).toFixed(2)} s; per set (lock wait included) p50 ${percentile(ms, 50).toFixed(0)} ms, p95 ${percentile(ms, 95).toFixed(0)} ms`,
    );
    if (failed > 0 || present !== total) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [flag, file, keyFile, writer] = process.argv.slice(2);
if (flag === '--child' && file && keyFile && writer) {
  const { readFileSync } = await import('node:fs');
  await child(file, readFileSync(keyFile, 'utf8').trim(), Number(writer));
} else {
  await main();
}
