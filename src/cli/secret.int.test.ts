// The secret commands as a real process against the real OS keychain (run under scripts/with-keyring.mjs):
// every operation, values on stdin, a unique keychain service per run (emptied afterwards), bad input, and a
// canary that must never show up where it does not belong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeytarKeychain } from '../main/keychain/keytar-keychain';
import { emptyKeychain } from '../../test/support/keychain';
import { filesContaining } from '../../test/support/canary';
import { runCliProcess } from '../../test/support/cli';
import { copySecretsFixture, type FixtureCopy } from '../../test/support/secrets-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-do-not-leak`;

let fx: FixtureCopy;
let keychain: KeytarKeychain;

beforeAll(() => {
  fx = copySecretsFixture('basic', 'cli-int');
  keychain = new KeytarKeychain(fx.service);
});
afterAll(async () => {
  await emptyKeychain(keychain);
  fx.cleanup();
});

function cli(args: string[], stdin?: string) {
  return runCliProcess(['--base-path', fx.dir, ...args], {
    cwd: fx.dir,
    stdin,
    env: { ...process.env, ATMOS_STACK: '', ATMOS_COMPONENT: '' },
  });
}

function filesWithCanary(dir: string, except: readonly string[] = []): string[] {
  return filesContaining(dir, CANARY, except);
}

describe('atmos-secret secret commands (spawned, real keychain)', () => {
  it('set / get / list / validate / delete an instance secret', async () => {
    const set = await cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], `${CANARY}\n`);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout + set.stderr).not.toContain(CANARY);
    expect(await keychain.get('fx/dev/api/DB_PASSWORD')).toBe(JSON.stringify(CANARY));

    const get = await cli(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--raw']);
    expect(get.code).toBe(0);
    expect(get.stdout).toBe(CANARY);

    const list = await cli(['list', '-s', 'dev', '-c', 'api', '--format', 'json']);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as { secret: string; status: string }[];
    expect(rows.find((r) => r.secret === 'DB_PASSWORD')?.status).toBe('initialized');
    expect(rows.find((r) => r.secret === 'OPTIONAL_KEY')?.status).toBe('missing');
    expect(list.stdout + list.stderr).not.toContain(CANARY);

    const validate = await cli(['validate', '-s', 'dev', '-c', 'api']);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('required secret "SHARED_KEY" is not initialized');
    expect(validate.stdout).not.toContain('"DB_PASSWORD" is not initialized');

    const unconfirmed = await cli(['delete', 'DB_PASSWORD', '-s', 'dev', '-c', 'api']);
    expect(unconfirmed.code).toBe(2);
    expect(await keychain.get('fx/dev/api/DB_PASSWORD')).not.toBeNull();
    const del = await cli(['delete', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--yes']);
    expect(del.code).toBe(0);
    expect(await keychain.get('fx/dev/api/DB_PASSWORD')).toBeNull();
  });

  it('delete --all clears every value the component uses alone after one confirmation, and nothing else', async () => {
    await cli(['set', 'QUEUE_TOKEN', '-s', 'dev', '-c', 'worker', '--stdin'], CANARY);
    await cli(['set', 'STACK_TOKEN', '-s', 'dev', '--stdin', '--yes'], CANARY);
    await cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], CANARY);
    const usage = await cli(['delete', 'QUEUE_TOKEN', '--all', '-s', 'dev', '-c', 'worker', '--yes']);
    expect(usage.code).toBe(2);
    const refused = await cli(['delete', '--all', '-s', 'dev', '-c', 'worker']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('delete --all removes 2 values');
    expect(await keychain.get('fx/dev/worker/QUEUE_TOKEN')).not.toBeNull();
    const all = await cli(['delete', '--all', '-s', 'dev', '-c', 'worker', '--yes']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stderr).toContain('2 of 2 value(s) deleted');
    // The global SHARED_KEY is prod's too: kept unless --include-shared.
    expect(all.stderr).toContain('Kept SHARED_KEY (global, ');
    expect(all.stderr).toContain('--include-shared');
    expect(all.stdout + all.stderr).not.toContain(CANARY);
    expect(await keychain.get('fx/dev/worker/QUEUE_TOKEN')).toBeNull();
    expect(await keychain.get('fx/dev/STACK_TOKEN')).toBeNull();
    expect(await keychain.get('fx/dev/api/DB_PASSWORD')).not.toBeNull();
    await keychain.delete('fx/dev/api/DB_PASSWORD');
  });

  it('a global secret: confirmation needed without a terminal (exit 2), --yes sets it for every consumer', async () => {
    const refused = await cli(['set', 'SHARED_KEY', '-s', 'dev', '--stdin'], CANARY);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('set SHARED_KEY (global) changes the value for 2 stacks and 4 components');
    expect(refused.stderr).toContain('--yes');
    expect(await keychain.get('fx/SHARED_KEY')).toBeNull();
    const ok = await cli(['set', 'SHARED_KEY', '-s', 'dev', '--stdin', '--yes'], CANARY);
    expect(ok.code).toBe(0);
    const prod = await cli(['get', 'SHARED_KEY', '-s', 'prod', '-c', 'worker']);
    expect(prod.stdout).toBe(`${CANARY}\n`);
    const del = await cli(['delete', 'SHARED_KEY', '-s', 'prod', '-f']);
    expect(del.code).toBe(0);
    expect(await keychain.get('fx/SHARED_KEY')).toBeNull();
  });

  it('pull writes mode 0600; push reads it back; push refuses an undeclared key before writing', async () => {
    await cli(['set', 'DB_PASSWORD', '-s', 'prod', '-c', 'api', '--stdin'], CANARY);
    const out = join(fx.dir, 'pulled.env');
    const pull = await cli(['pull', '-s', 'prod', '-c', 'api', '-o', 'pulled.env']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toBe(`DB_PASSWORD=${CANARY}\n`);
    expect(pull.stdout + pull.stderr).not.toContain(CANARY);

    await keychain.delete('fx/prod/api/DB_PASSWORD');
    const push = await cli(['push', '-s', 'prod', '-c', 'api', '--input', 'pulled.env']);
    expect(push.code, push.stderr).toBe(0);
    expect(await keychain.get('fx/prod/api/DB_PASSWORD')).toBe(JSON.stringify(CANARY));

    const before = await keychain.list();
    const refused = await cli(
      ['push', '-s', 'prod', '-c', 'api', '--input', '-'],
      `OPTIONAL_KEY=${CANARY}\nUNDECLARED=${CANARY}\n`,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"UNDECLARED" is not declared');
    expect(refused.stderr + refused.stdout).not.toContain(CANARY);
    expect(await keychain.list()).toEqual(before);
  });

  it('import copies a legacy !store value and keeps the source; init sets given values', async () => {
    await keychain.set('old/atmos/shared/client_secret', JSON.stringify(CANARY));
    const args = [
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
    ];
    const dry = await cli([...args, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(await keychain.get('fx/CLIENT_SECRET')).toBeNull();
    const run = await cli([...args, '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(CANARY);
    expect(await keychain.get('fx/CLIENT_SECRET')).toBe(JSON.stringify(CANARY));
    expect(await keychain.get('old/atmos/shared/client_secret')).toBe(JSON.stringify(CANARY));

    writeFileSync(join(fx.dir, 'init.env'), `QUEUE_TOKEN=${CANARY}\n`);
    const init = await cli(['init', '-s', 'dev', '-c', 'worker', '--input', 'init.env']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout + init.stderr).not.toContain(CANARY);
    expect(await keychain.get('fx/dev/worker/QUEUE_TOKEN')).toBe(JSON.stringify(CANARY));
  });

  it('exec: secrets in the child env, never in its argv or ours; exit code passed through; missing ones warned', async () => {
    await cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], CANARY);
    const probe = [
      "const fs=require('fs');",
      "const has=(p)=>{try{return fs.readFileSync(p).includes(process.env.DB_PASSWORD)}catch{return 'unreadable'}};",
      "console.log(JSON.stringify({pid:process.pid,child:has('/proc/self/cmdline'),parent:has('/proc/'+process.ppid+'/cmdline'),env:process.env.DB_PASSWORD.length,greeting:process.env.GREETING||null}));",
      'process.exit(7);',
    ].join('');
    const r = await cli(['exec', '-s', 'dev', '-c', 'api', '--component-env', '--', process.execPath, '-e', probe]);
    expect(r.code, r.stderr).toBe(7);
    const seen = JSON.parse(r.stdout.trim()) as {
      child: boolean;
      parent: boolean;
      env: number;
      greeting: string | null;
    };
    expect(seen).toMatchObject({ child: false, parent: false, env: CANARY.length, greeting: 'hello' });
    expect(r.stderr).toContain('warning: secret "OPTIONAL_KEY" is not initialized; not set in the environment');
    expect(r.stdout + r.stderr).not.toContain(CANARY);

    const sh = await cli([
      'shell',
      '-s',
      'dev',
      '-c',
      'api',
      '--shell',
      '/bin/sh',
      '--',
      '-c',
      'test "${#DB_PASSWORD}" -gt 0 && exit 5',
    ]);
    expect(sh.code).toBe(5);
    expect(sh.stdout + sh.stderr).not.toContain(CANARY);
  });

  it('refuses a value over the keychain limit before any call, without echoing it', async () => {
    const big = CANARY.repeat(Math.ceil((129 * 1024) / CANARY.length));
    const r = await cli(['set', 'OPTIONAL_KEY', '-s', 'dev', '-c', 'api', '--stdin'], big);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toContain('is too large for store');
    expect(r.stderr).not.toContain(CANARY);
    expect(await keychain.get('fx/dev/api/OPTIONAL_KEY')).toBeNull();
  });

  it("the canary is in no file the operations wrote except the pull output (and the test's own input)", () => {
    const pulled = join(fx.dir, 'pulled.env');
    expect(existsSync(pulled)).toBe(true);
    expect(filesWithCanary(fx.dir, [pulled, join(fx.dir, 'init.env')])).toEqual([]);
  });
});

describe('atmos-secret bad declarations (spawned)', () => {
  let bad: FixtureCopy;
  let plaintext: FixtureCopy;
  // The fixture's redis store marked secret: true is refused when the workspace loads (no command runs on it);
  // the other declarations are checked on a copy without it.
  const CACHE_STORE =
    '  # A plaintext backend cannot be a secret store.\n  cache:\n    kind: redis\n    secret: true\n';
  beforeAll(() => {
    plaintext = copySecretsFixture('bad', 'cli-bad-plaintext');
    bad = copySecretsFixture('bad', 'cli-bad');
    const config = join(bad.dir, 'atmos.yaml');
    const text = readFileSync(config, 'utf8');
    expect(text).toContain(CACHE_STORE);
    writeFileSync(config, text.replace(CACHE_STORE, ''));
  });
  afterAll(async () => {
    await emptyKeychain(new KeytarKeychain(bad.service));
    bad.cleanup();
    plaintext.cleanup();
  });

  it('a plaintext backend marked secret: exit 2 for any command, naming the store', async () => {
    const r = await runCliProcess(['list', '--base-path', plaintext.dir], { cwd: plaintext.dir });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toContain('store "cache" (redis) cannot be a secret store');
  });

  const cases: [string, string, RegExp][] = [
    [
      'both',
      'BOTH',
      /^atmos-secret: .*stacks\/dev\.yaml:6(:\d+)?: secret "BOTH" sets both store "kc" and sops "files"$/,
    ],
    ['neither', 'NEITHER', /secret "NEITHER" sets neither store nor sops$/],
    ['unknown-store', 'UNKNOWN_STORE', /secret "UNKNOWN_STORE" uses store "nowhere", which is not configured$/],
    ['non-secret', 'NON_SECRET', /store "plain" is not a secret store \(set secret: true\)$/],
    ['plaintext', 'PLAINTEXT', /secret "PLAINTEXT" uses store "cache", which is not configured$/],
    ['wrong-scope', 'WRONG_SCOPE', /secret "WRONG_SCOPE" declares scope "stack" but its position implies "instance"$/],
    ['good', 'UNDECLARED', /secret is not declared: "UNDECLARED" \(declare it under the component's secrets\.vars\)$/],
  ];

  for (const [component, name, first] of cases) {
    it(`${component}: exit 2, the error first, no value echoed`, async () => {
      const r = await runCliProcess(['set', name, '-s', 'dev', '-c', component, '--stdin', '--base-path', bad.dir], {
        cwd: bad.dir,
        stdin: CANARY,
      });
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(first);
      expect(r.stderr).toContain('hint:');
      expect(r.stdout + r.stderr).not.toContain(CANARY);
    });
  }

  it('validate lists every problem at once and exits 1', async () => {
    const r = await runCliProcess(['validate', '--base-path', bad.dir, '--format', 'json'], { cwd: bad.dir });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { issues: { kind: string; message: string }[] };
    const text = report.issues.map((i) => i.message).join('\n');
    for (const n of ['BOTH', 'NEITHER', 'UNKNOWN_STORE', 'PLAINTEXT', 'WRONG_SCOPE']) expect(text).toContain(`"${n}"`);
    expect(text).toContain('store "plain" is not a secret store');
  });
});
