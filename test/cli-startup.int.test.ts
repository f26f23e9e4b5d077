// Start-up (issue 8): the CLI runs inside exec, shell hooks and CI loops, so it loads only what a command uses.
// `--version` loads no package at all; `get` and `list` of keychain values never load the AWS or GCP SDKs (nor
// age). Proven two ways: the bundle's static import graph (esbuild's metafile, written by
// scripts/build-cli.mjs), and the modules a real CLI process has loaded when it exits (a probe preloaded with
// --import records node's CommonJS module cache, where the SDKs land whether imported or required).
// No assertion on time here: `npm run bench` prints the start-up ratios.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarKeychain } from '../src/main/keychain/keytar-keychain';
import { CLI_BIN } from './support/cli';
import { emptyKeychain } from './support/keychain';
import { REPO_ROOT } from './support/paths';
import { copySecretsFixture, type FixtureCopy } from './support/secrets-workspace';

/** Packages a keychain-only command must never load. */
const HEAVY =
  /node_modules\/(@aws-sdk|@smithy|@google-cloud|google-gax|@grpc|@azure|node-vault|age-encryption|@noble|@1password)\//;

interface Metafile {
  readonly outputs: Record<string, { readonly imports: readonly { path: string; kind: string; external?: boolean }[] }>;
}

let probeDir: string;
let probe: string;
let fx: FixtureCopy;
let keychain: KeytarKeychain;

beforeAll(() => {
  probeDir = mkdtempSync(join(tmpdir(), 'atmos-startup-'));
  probe = join(probeDir, 'probe.mjs');
  // The probe: a resolve hook (in node's hooks thread) appends every resolved ES module URL to a file, and at
  // exit the CommonJS module cache is appended too. Appending synchronously keeps the record complete.
  const hooks = [
    "import { appendFileSync } from 'node:fs';",
    'let out;',
    'export function initialize(data) { out = data.out; }',
    "export async function resolve(specifier, context, next) { const r = await next(specifier, context); appendFileSync(out, r.url + '\\n'); return r; }",
  ].join('\n');
  writeFileSync(
    probe,
    [
      "import { createRequire, register } from 'node:module';",
      "import { appendFileSync } from 'node:fs';",
      'const out = process.env.STARTUP_PROBE_OUT;',
      `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}), { data: { out } });`,
      "process.on('exit', () => appendFileSync(out, Object.keys(createRequire(import.meta.url)('node:module')._cache).join('\\n') + '\\n'));",
    ].join('\n'),
  );
  fx = copySecretsFixture('basic', 'startup');
  keychain = new KeytarKeychain(fx.service);
});

afterAll(async () => {
  await emptyKeychain(keychain);
  fx.cleanup();
  rmSync(probeDir, { recursive: true, force: true });
});

/** Runs the built CLI with the probe; returns its exit code, output and the modules it loaded. */
function runProbed(
  args: readonly string[],
  stdin = '',
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string; loaded: string[] }> {
  const out = join(probeDir, `loaded-${Math.random().toString(36).slice(2)}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(probe).href, CLI_BIN, ...args], {
      cwd: fx.dir,
      env: { ...process.env, STARTUP_PROBE_OUT: out, ATMOS_STACK: '', ATMOS_COMPONENT: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const loaded = readFileSync(out, 'utf8').split('\n').filter(Boolean);
      resolve({ code: code ?? 1, stdout, stderr, loaded });
    });
    child.stdin.end(stdin);
  });
}

describe('CLI start-up loads only what the command uses', () => {
  it('has an entry that statically imports no package, and no output that statically imports a cloud SDK or client', () => {
    const meta = JSON.parse(readFileSync(join(REPO_ROOT, 'out/cli/meta.json'), 'utf8')) as Metafile;
    const entry = meta.outputs['out/cli/atmos-secret.mjs'];
    expect(entry).toBeDefined();
    const entryStatic = (entry?.imports ?? []).filter((i) => i.kind === 'import-statement');
    expect(entryStatic.filter((i) => !i.path.startsWith('node:'))).toEqual([]);
    const sdkImports = Object.entries(meta.outputs).flatMap(([file, o]) =>
      o.imports
        // A dynamic import() (a store loading its SDK on first call) is fine; a static one loads at start.
        .filter(
          (i) =>
            i.kind !== 'dynamic-import' &&
            /^(@aws-sdk|@google-cloud|@azure|node-vault|age-encryption|@1password)/.test(i.path),
        )
        .map((i) => `${file} -> ${i.path}`),
    );
    expect(sdkImports).toEqual([]);
  });

  it('answers --version without loading any package', async () => {
    const r = await runProbed(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.loaded.filter((p) => p.includes('/node_modules/'))).toEqual([]);
  });

  it('sets, gets and lists keychain values without loading the AWS, GCP or age SDKs', async () => {
    const set = await runProbed(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], 'startup-value\n');
    expect(set.code, set.stderr).toBe(0);
    const get = await runProbed(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--raw']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe('startup-value');
    const list = await runProbed(['list', '-s', 'dev', '-c', 'api', '--format', 'json']);
    expect(list.stdout).toContain('"DB_PASSWORD"');
    for (const run of [set, get, list]) {
      // The probe saw the CLI's command tree and the keychain module (a check that it works), and no heavy SDK.
      expect(run.loaded.some((p) => /\/out\/cli\/chunks\/program-/.test(p))).toBe(true);
      expect(run.loaded.some((p) => p.includes('/node_modules/keytar/'))).toBe(true);
      expect(run.loaded.filter((p) => HEAVY.test(p))).toEqual([]);
    }
  });

  it('still loads an SDK when a command needs it (the lazy stand-ins resolve to the real package)', async () => {
    // keygen makes an age key: age-encryption must load, on first use. Any key file goes to this test's folder.
    const r = await runProbed(['keygen', 'files', '--force'], '', {
      HOME: probeDir,
      SOPS_AGE_KEY_FILE: join(probeDir, 'keys.txt'),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.loaded.some((p) => /node_modules\/age-encryption\//.test(p))).toBe(true);
  });
});
