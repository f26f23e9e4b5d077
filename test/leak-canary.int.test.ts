// Leak canaries, CLI side (issue 9, proof 4). Distinctive values, one of them past 64 KB, go through every
// operation that takes a value (set, rotate by set, import, push, init, exec, delete; a store and a SOPS file),
// and through operations that fail on one. Afterwards none of them is:
//  - in the stdout or stderr of any command but `get` and `pull` (whose job is to print or write it),
//  - in any file the commands wrote: the workspace (SOPS files are encrypted), the temporary folder the CLI
//    was given, the system temporary folder (files changed during the test), its HOME (where a log would go),
//  - in an error message,
//  - in the argv of any process the CLI started (a preload records every child_process call it makes).
// Every canary carries one tag, repeated through the big value, so one search finds a whole or partial leak.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarKeychain } from '../src/main/keychain/keytar-keychain';
import { newAgeKey } from './support/fixtures/sops/age-keys';
import { CLI_BIN } from './support/cli';
import { emptyKeychain } from './support/keychain';
import { copySecretsFixture, type FixtureCopy } from './support/secrets-workspace';

const TAG = `LEAKCANARY${randomBytes(6).toString('hex')}`;
/** A canary: the tag, a label, and random text, so no two are alike. */
const canary = (label: string): string => `${TAG}-${label}-${randomBytes(8).toString('hex')}`;
/** Past 64 KB, the tag every 1,000 characters: any slice of 1 KB or more that leaks holds it. */
function bigCanary(label: string, bytes: number): string {
  const parts: string[] = [];
  for (let i = 0; parts.join('').length < bytes; i++) parts.push(`${canary(`${label}${i}`)}-${'x'.repeat(950)}`);
  return parts.join('').slice(0, bytes);
}

const SMALL = canary('small');
const ROTATED = canary('rotated');
const BIG = bigCanary('big', 70 * 1024);
const SOPS_BIG = bigCanary('sops', 66 * 1024);
const IMPORTED = canary('imported');
const PUSHED = canary('pushed');
const INITED = canary('init');

let fx: FixtureCopy;
let keychain: KeytarKeychain;
let started: number;
/** Folders of the test's own inputs (files holding a canary on purpose), never scanned. */
let inputs: string;
/** HOME and TMPDIR given to the CLI: anything it writes outside the workspace lands here. */
let home: string;
let cliTmp: string;
let argvLog: string;
let preload: string;
let ageKeyFile: string;
/** The pull output: holds a value by design. */
let pulled: string;

interface Run {
  readonly args: readonly string[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}
const runs: Run[] = [];

beforeAll(async () => {
  started = Date.now();
  fx = copySecretsFixture('basic', 'leak-canary');
  keychain = new KeytarKeychain(fx.service);
  inputs = realpathSync(mkdtempSync(join(tmpdir(), 'atmos-canary-inputs-')));
  home = realpathSync(mkdtempSync(join(tmpdir(), 'atmos-canary-home-')));
  cliTmp = join(home, 'tmp');
  mkdirSync(cliTmp);
  argvLog = join(inputs, 'argv.jsonl');
  pulled = join(fx.dir, 'pulled.env');
  // Records the program and arguments of every process the CLI starts, before it starts it.
  preload = join(inputs, 'record-argv.mjs');
  writeFileSync(
    preload,
    [
      "import childProcess from 'node:child_process';",
      "import { appendFileSync } from 'node:fs';",
      "import { syncBuiltinESMExports } from 'node:module';",
      "for (const name of ['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync', 'fork']) {",
      '  const real = childProcess[name];',
      '  childProcess[name] = function (...args) {',
      "    appendFileSync(process.env.CANARY_ARGV_LOG, JSON.stringify({ name, args: args.filter((a) => typeof a === 'string' || Array.isArray(a)) }) + '\\n');",
      '    return real.apply(this, args);',
      '  };',
      '}',
      'syncBuiltinESMExports();',
    ].join('\n'),
  );
  // An age key for the SOPS provider, in the inputs folder (it is key material, not a canary).
  const key = await newAgeKey();
  ageKeyFile = join(inputs, 'age.txt');
  writeFileSync(ageKeyFile, `${key.identity}\n`, { mode: 0o600 });
  writeFileSync(
    join(fx.dir, '.sops.yaml'),
    `creation_rules:\n  - path_regex: ^secrets/.*\n    age: ${key.recipient}\n`,
  );
  // The legacy value the import copies, written where an old `!store` path put it.
  await keychain.set('old/atmos/shared/client_secret', JSON.stringify(IMPORTED));
});

afterAll(async () => {
  await emptyKeychain(keychain);
  fx.cleanup();
  rmSync(inputs, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

function cli(args: readonly string[], stdin = ''): Promise<Run> {
  const full = ['--base-path', fx.dir, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(preload).href, CLI_BIN, ...full], {
      cwd: fx.dir,
      env: {
        ...process.env,
        HOME: home,
        TMPDIR: cliTmp,
        ATMOS_STACK: '',
        ATMOS_COMPONENT: '',
        SOPS_AGE_KEY_FILE: ageKeyFile,
        CANARY_ARGV_LOG: argvLog,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const run = { args: full, code: code ?? 1, stdout, stderr };
      runs.push(run);
      resolve(run);
    });
    child.stdin.end(stdin);
  });
}

/** Regular files under dir (symlinks and sockets skipped), changed since the test began unless `all`. */
function filesUnder(dir: string, all: boolean, skip: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return; // another user's or a vanished folder in the shared temporary folder
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (skip.some((s) => p === s || p.startsWith(`${s}/`))) continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        try {
          if (all || lstatSync(p).mtimeMs >= started - 1000) out.push(p);
        } catch {
          // removed while we walked
        }
      }
    }
  };
  walk(dir);
  return out;
}

function holdsTag(file: string): boolean {
  try {
    return readFileSync(file).includes(TAG);
  } catch {
    return false;
  }
}

describe('leak canaries through every CLI operation', () => {
  it('takes values through set, rotate, import, push, init, exec, SOPS set and delete', async () => {
    const ok = (r: Run): void => expect(r.code, `${r.args.join(' ')}: ${r.stderr}`).toBe(0);
    ok(await cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], SMALL));
    ok(await cli(['set', 'OPTIONAL_KEY', '-s', 'dev', '-c', 'api', '--stdin'], BIG));
    ok(await cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], ROTATED)); // rotate
    ok(await cli(['set', 'SOPS_KEY', '-s', 'dev', '-c', 'enc', '--stdin'], SOPS_BIG));
    ok(
      await cli([
        'import',
        'CLIENT_SECRET',
        '-s',
        'dev',
        '-c',
        'api',
        '--from-store',
        'legacy',
        '--from-stack',
        'atmos',
        '--from-component',
        'shared',
        '--from-key',
        'client_secret',
        '--yes',
      ]),
    );
    const pushFile = join(inputs, 'push.env');
    writeFileSync(pushFile, `DB_CONFIG=${PUSHED}\n`);
    ok(await cli(['push', '-s', 'dev', '-c', 'api', '--input', pushFile]));
    const initFile = join(inputs, 'init.env');
    writeFileSync(initFile, `QUEUE_TOKEN=${INITED}\n`);
    ok(await cli(['init', '-s', 'dev', '-c', 'worker', '--input', initFile]));

    // Reads: get and pull hand the values over (their output is exempt), the rest never shows them.
    const get = await cli(['get', 'OPTIONAL_KEY', '-s', 'dev', '-c', 'api', '--raw']);
    expect(get.stdout).toBe(BIG);
    const getSops = await cli(['get', 'SOPS_KEY', '-s', 'dev', '-c', 'enc', '--raw']);
    expect(getSops.stdout).toBe(SOPS_BIG);
    ok(await cli(['pull', '-s', 'dev', '-c', 'api', '-o', pulled]));
    expect(readFileSync(pulled, 'utf8')).toContain(ROTATED);
    ok(await cli(['list', '--format', 'json']));
    ok(await cli(['describe', 'component', 'api', '-s', 'dev']));
    await cli(['validate']); // exits 1: required secrets are missing elsewhere; its output is scanned all the same

    // exec: the values reach the child's environment only.
    const probe =
      "const v=process.env.DB_PASSWORD||'';const b=process.env.OPTIONAL_KEY||'';" +
      'console.log(JSON.stringify({small:v.length,big:b.length}));';
    const exec = await cli(['exec', '-s', 'dev', '-c', 'api', '--', process.execPath, '-e', probe]);
    ok(exec);
    expect(JSON.parse(exec.stdout.trim())).toEqual({ small: ROTATED.length, big: BIG.length });

    ok(await cli(['delete', 'OPTIONAL_KEY', '-s', 'dev', '-c', 'api', '--yes']));
    ok(await cli(['delete', 'SOPS_KEY', '-s', 'dev', '-c', 'enc', '--yes']));
  });

  it('fails on bad values and bad requests without quoting the value', async () => {
    const tooBig = await cli(
      ['set', 'OPTIONAL_KEY', '-s', 'dev', '-c', 'api', '--stdin'],
      bigCanary('huge', 200 * 1024),
    );
    expect(tooBig.code).toBe(2);
    expect(tooBig.stderr).toMatch(/too large/);
    const notJson = await cli(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--path', '.host']);
    expect(notJson.code).not.toBe(0);
    const undeclared = join(inputs, 'undeclared.env');
    writeFileSync(undeclared, `NOT_DECLARED=${canary('undeclared')}\nDB_CONFIG=${canary('refused')}\n`);
    const push = await cli(['push', '-s', 'dev', '-c', 'api', '--input', undeclared]);
    expect(push.code).toBe(2);
    const nul = await cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], `${canary('nul')}\u0000tail`);
    expect(nul.code).toBe(2);
  });

  it('audit (table, json, sarif) shows no value and no unkeyed hash of one, with a value reused in prod', async () => {
    // The same value in prod and dev: a reuse finding, found by keyed hash only.
    const ok = (r: Run): void => expect(r.code, `${r.args.join(' ')}: ${r.stderr}`).toBe(0);
    ok(await cli(['set', 'DB_PASSWORD', '-s', 'prod', '-c', 'api', '--stdin'], ROTATED));
    const audits: Run[] = [];
    for (const format of ['table', 'json', 'sarif']) audits.push(await cli(['audit', '--format', format]));
    const json = JSON.parse(audits[1]?.stdout ?? '') as { findings: { kind: string }[] };
    expect(json.findings.map((f) => f.kind)).toContain('reused-across-environments');
    expect(audits.map((r) => r.code)).toEqual([1, 1, 1]); // required secrets are missing elsewhere
    // Unkeyed hashes of every value set: hex and base64 of sha256, sha1 and md5 must appear nowhere.
    const hashes = [ROTATED, SMALL, IMPORTED, PUSHED, INITED].flatMap((v) =>
      ['sha256', 'sha1', 'md5'].flatMap((alg) => {
        const d = createHash(alg).update(v, 'utf8').digest();
        return [d.toString('hex'), d.toString('base64'), d.toString('base64url')];
      }),
    );
    for (const r of audits) {
      const out = `${r.stdout}${r.stderr}`;
      expect(out.includes(TAG), r.args.join(' ')).toBe(false);
      expect(hashes.filter((h) => out.includes(h))).toEqual([]);
    }
  });

  it('explain --verify and diff (table, json) show no value and no unkeyed hash of one', async () => {
    // DB_PASSWORD holds ROTATED in dev and in prod (set above): diff compares the two by keyed hash only.
    const runsOf: Run[] = [];
    for (const format of ['table', 'json']) {
      runsOf.push(await cli(['explain', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--verify', '--format', format]));
      runsOf.push(await cli(['diff', '-s', 'dev', '-s', 'prod', '--format', format]));
    }
    expect(runsOf.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const explained = JSON.parse(runsOf[2]?.stdout ?? '') as { status: { value: string } };
    expect(explained.status.value).toBe('initialized');
    const diff = JSON.parse(runsOf[3]?.stdout ?? '') as {
      rows: { component: string; secret: string; value: string }[];
    };
    expect(diff.rows.find((r) => r.component === 'api' && r.secret === 'DB_PASSWORD')?.value).toBe('equal');
    const hashes = [ROTATED, SMALL, IMPORTED, PUSHED, INITED].flatMap((v) =>
      ['sha256', 'sha1', 'md5'].flatMap((alg) => {
        const d = createHash(alg).update(v, 'utf8').digest();
        return [d.toString('hex'), d.toString('base64'), d.toString('base64url')];
      }),
    );
    for (const r of runsOf) {
      const out = `${r.stdout}${r.stderr}`;
      expect(out.includes(TAG), r.args.join(' ')).toBe(false);
      expect(hashes.filter((h) => out.includes(h))).toEqual([]);
    }
  });

  it('finds no canary in any output but get and pull', () => {
    const exempt = (r: Run): boolean => r.args.includes('get') || r.args.includes('pull');
    const leaks = runs
      .filter((r) => !exempt(r))
      .filter((r) => r.stdout.includes(TAG) || r.stderr.includes(TAG))
      .map((r) => r.args.slice(2).join(' '));
    expect(runs.length).toBeGreaterThanOrEqual(20);
    expect(leaks).toEqual([]);
  });

  it('finds no canary in the argv of any process the CLI started', () => {
    const calls = readFileSync(argvLog, 'utf8').split('\n').filter(Boolean);
    // exec started its child at least (the record works).
    expect(calls.some((c) => c.includes('"spawn"'))).toBe(true);
    expect(calls.filter((c) => c.includes(TAG))).toEqual([]);
  });

  it('finds no canary in any file written: workspace (SOPS files encrypted), HOME, TMPDIR, system tmp', () => {
    const sopsFile = join(fx.dir, 'secrets/dev.enc.yaml');
    expect(readdirSync(join(fx.dir, 'secrets'))).toContain('dev.enc.yaml');
    const scanned = [
      ...filesUnder(fx.dir, true, [pulled]),
      ...filesUnder(home, true, []),
      ...filesUnder(tmpdir(), false, [inputs, home, fx.dir]),
    ];
    expect(scanned).toContain(sopsFile);
    expect(scanned.filter(holdsTag)).toEqual([]);
  });
});
