// `npm run bench:validate`: `validate` over 1,000 declared, required secrets per backend, each backend's
// emulator answering every call after 20 ms. Prints the API calls and the wall time next to the floor: the
// fewest calls the API allows (SSM: ceil(1000/10) GetParameters; Secrets Manager: ceil(1000/20)
// BatchGetSecretValue; Vault, Key Vault, Secret Manager: 1000 reads) times the latency, divided by the
// concurrency the adapter uses. Targets: calls = floor on SSM and Secrets Manager; wall <= 1.5x the floor
// everywhere. Every server is a loopback emulator (127.0.0.1); the host's cloud credentials and instance metadata
// are kept out; the process exits when the last backend is done, with 1 if a target is missed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadWorkspace } from '../../src/main/config';
import { MemoryKeychain } from '../../src/main/keychain/memory-keychain';
import { createSecretsService } from '../../src/main/secrets';
import type { SecretPath, SecretStore } from '../../src/main/stores';
import { ASM_BATCH_CONCURRENCY, ASM_BATCH_SIZE } from '../../src/main/stores/aws-asm';
import { SSM_BATCH_CONCURRENCY, SSM_BATCH_SIZE } from '../../src/main/stores/aws-ssm';
import { DEFAULT_KEYVAULT_CONCURRENCY } from '../../src/main/stores/azure-keyvault';
import { DEFAULT_CONCURRENCY as GCP_CONCURRENCY } from '../../src/main/stores/gcp-secretmanager';
import { DEFAULT_VAULT_CONCURRENCY } from '../../src/main/stores/vault';
import { fork, type ChildProcess } from 'node:child_process';
import { EMULATOR_KEY } from '../../test/support/emulators/aws-json/store-fixtures';
import type { HostReply, HostRequest } from './emulator-host';

const SECRETS = 1000;
const COMPONENTS = 100;
const PER_COMPONENT = SECRETS / COMPONENTS;
const LATENCY_MS = 20;
const WALL_TARGET = 1.5;
const STACK = 'bench';

/** The emulator process of one backend (emulator-host.ts), driven one request at a time. */
class EmulatorProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly options: Record<string, unknown>,
  ) {}

  static start(kind: string): Promise<EmulatorProcess> {
    const host = process.env['ATMOS_BENCH_EMULATOR_HOST'];
    if (!host) throw new Error('ATMOS_BENCH_EMULATOR_HOST is not set (run through bench/validate/launch.mjs)');
    const child = fork(host, [kind], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: ['--no-deprecation'],
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the ${kind} emulator exited (${code ?? 'signal'})`)));
      child.once('message', (m: HostReply) => {
        if (m.op === 'ready') resolve(new EmulatorProcess(child, m.options));
        else reject(new Error(`the ${kind} emulator did not start`));
      });
    });
  }

  private ask(req: HostRequest): Promise<HostReply> {
    return new Promise((resolve) => {
      this.child.once('message', resolve);
      this.child.send(req);
    });
  }

  async setLatency(ms: number): Promise<void> {
    await this.ask({ op: 'latency', ms });
  }

  async resetCalls(): Promise<void> {
    await this.ask({ op: 'reset' });
  }

  async totalCalls(): Promise<number> {
    const r = await this.ask({ op: 'total' });
    return r.op === 'done' ? (r.total ?? 0) : 0;
  }

  async stop(): Promise<void> {
    this.child.removeAllListeners('exit');
    await this.ask({ op: 'stop' });
  }
}

interface Backend {
  readonly label: string;
  readonly kind: string;
  /** Names one read carries (1: no batch read). */
  readonly batch: number;
  readonly concurrency: number;
  /** Calls must equal the floor (the APIs with batch reads). */
  readonly exactCalls: boolean;
}

const BACKENDS: readonly Backend[] = [
  {
    label: 'AWS SSM',
    kind: 'aws/ssm',
    batch: SSM_BATCH_SIZE,
    concurrency: SSM_BATCH_CONCURRENCY,
    exactCalls: true,
  },
  {
    label: 'AWS Secrets Manager',
    kind: 'aws/asm',
    batch: ASM_BATCH_SIZE,
    concurrency: ASM_BATCH_CONCURRENCY,
    exactCalls: true,
  },
  {
    label: 'HashiCorp Vault',
    kind: 'hashicorp/vault',
    batch: 1,
    concurrency: DEFAULT_VAULT_CONCURRENCY,
    exactCalls: false,
  },
  {
    label: 'Azure Key Vault',
    kind: 'azure/keyvault',
    batch: 1,
    concurrency: DEFAULT_KEYVAULT_CONCURRENCY,
    exactCalls: false,
  },
  {
    label: 'GCP Secret Manager',
    kind: 'gcp/secretmanager',
    batch: 1,
    concurrency: GCP_CONCURRENCY,
    exactCalls: false,
  },
];

/** A workspace with one stack, 100 components of 10 required secrets each, all in store `bench`. */
function writeBenchWorkspace(kind: string, options: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'atmos-bench-validate-'));
  const write = (rel: string, text: string): void => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  write(
    'atmos.yaml',
    [
      'base_path: "."',
      'stacks:',
      '  base_path: stacks',
      '  included_paths: ["**/*"]',
      '  name_template: "{{ .vars.stage }}"',
      'stores:',
      '  bench:',
      `    kind: ${kind}`,
      '    secret: true',
      '    options:',
      ...Object.entries(options).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`),
      '',
    ].join('\n'),
  );
  const lines = ['vars:', `  stage: ${STACK}`, 'components:', '  terraform:'];
  for (let c = 0; c < COMPONENTS; c++) {
    lines.push(`    ${componentName(c)}:`, '      secrets:', '        vars:');
    for (let s = 0; s < PER_COMPONENT; s++) lines.push(`          ${secretName(s)}: { store: bench, required: true }`);
  }
  write('stacks/bench.yaml', `${lines.join('\n')}\n`);
  return dir;
}

const componentName = (c: number): string => `app${String(c).padStart(3, '0')}`;
const secretName = (s: number): string => `SECRET_${s}`;

function allPaths(): SecretPath[] {
  const out: SecretPath[] = [];
  for (let c = 0; c < COMPONENTS; c++)
    for (let s = 0; s < PER_COMPONENT; s++)
      out.push({ name: secretName(s), scope: 'instance', stack: STACK, component: componentName(c) });
  return out;
}

/** Writes every value before the clock starts (no latency), 16 at a time. */
async function seed(store: SecretStore, paths: readonly SecretPath[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      await store.set(paths[i] as SecretPath, `value-${i}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

interface Row {
  readonly label: string;
  readonly calls: number;
  readonly floorCalls: number;
  readonly wallMs: number;
  readonly floorMs: number;
  readonly coldMs: number;
  readonly concurrency: number;
  readonly ok: boolean;
}

async function runOne(b: Backend): Promise<Row> {
  const emulator = await EmulatorProcess.start(b.kind);
  const dir = writeBenchWorkspace(b.kind, emulator.options);
  try {
    const ws = await loadWorkspace({ basePath: dir, env: { ...process.env } });
    const svc = createSecretsService(ws, { keychain: () => new MemoryKeychain(), env: process.env });
    const store = svc.registry.secretStore('bench');
    await emulator.setLatency(0);
    await seed(store, allPaths());
    // One untimed pass without latency: loads the SDK, merges the components and warms the JIT, so the timed
    // pass measures validate's calls, not one-time start-up (the first pass's time is printed too).
    const c0 = performance.now();
    await svc.validate({});
    const coldMs = performance.now() - c0;
    await emulator.setLatency(LATENCY_MS);
    await emulator.resetCalls();
    const t0 = performance.now();
    const report = await svc.validate({});
    const wallMs = performance.now() - t0;
    if (!report.ok || report.requiredChecked !== SECRETS) {
      const first = report.issues[0];
      throw new Error(
        `${b.label}: validate did not pass over ${SECRETS} set secrets (checked ${report.requiredChecked}; first issue: ${first?.message ?? 'none'})`,
      );
    }
    const floorCalls = Math.ceil(SECRETS / b.batch);
    const floorMs = (floorCalls * LATENCY_MS) / b.concurrency;
    const calls = await emulator.totalCalls();
    const ok = (!b.exactCalls || calls === floorCalls) && wallMs <= WALL_TARGET * floorMs;
    return { label: b.label, calls, floorCalls, wallMs, floorMs, coldMs, concurrency: b.concurrency, ok };
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

async function main(): Promise<void> {
  // The SDKs' default chains: the emulators' key only; no host profile, credentials file or instance metadata.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: EMULATOR_KEY,
    AWS_SECRET_ACCESS_KEY: 'emulator-secret',
    AWS_CONFIG_FILE: join(tmpdir(), 'atmos-bench-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'atmos-bench-no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  for (const k of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'VAULT_TOKEN', 'VAULT_ADDR', 'GOOGLE_APPLICATION_CREDENTIALS'])
    delete process.env[k];

  process.stdout.write(
    `validate: ${SECRETS} required secrets (${COMPONENTS} components x ${PER_COMPONENT}) per backend, ${LATENCY_MS} ms per call\n\n`,
  );
  process.stdout.write(
    `${pad('backend', 22)}${pad('calls', 8)}${pad('floor', 8)}${pad('conc.', 7)}${pad('wall ms', 10)}${pad('floor ms', 10)}${pad('ratio', 8)}${pad('target', 8)}untimed pass, 0 ms latency\n`,
  );
  let failed = false;
  for (const b of BACKENDS) {
    const r = await runOne(b);
    failed ||= !r.ok;
    process.stdout.write(
      `${pad(r.label, 22)}${pad(String(r.calls), 8)}${pad(String(r.floorCalls), 8)}${pad(String(r.concurrency), 7)}${pad(r.wallMs.toFixed(0), 10)}${pad(r.floorMs.toFixed(0), 10)}${pad(`${(r.wallMs / r.floorMs).toFixed(2)}x`, 8)}${pad(r.ok ? 'met' : 'MISSED', 8)}${r.coldMs.toFixed(0)} ms\n`,
    );
  }
  process.stdout.write(
    `\nfloor = ceil(${SECRETS} / names per call) x ${LATENCY_MS} ms / concurrency; targets: calls = floor (SSM, Secrets Manager), wall <= ${WALL_TARGET}x floor\n`,
  );
  process.exit(failed ? 1 : 0);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:validate failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
