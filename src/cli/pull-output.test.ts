// pull --output writes through src/main/files (the one atomic writer and lock): a symlinked output keeps its
// link, the file is 0600, a killed writer's temp file is swept, and a folder or a missing folder is refused
// with an error naming the output, never Node's raw error.
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copySecretsFixture, MemoryKeychains, type FixtureCopy } from '../../test/support/secrets-workspace';
import type { CliContext } from './context';
import { runCli } from './program';

let fx: FixtureCopy | undefined;
afterEach(() => fx?.cleanup());

const CANARY = 'CANARY-pull-7f3a';

function harness() {
  fx = copySecretsFixture('basic', 'cli');
  const dir = fx.dir;
  const keychains = new MemoryKeychains();
  const run = async (args: string[], stdin = '') => {
    const out: string[] = [];
    const err: string[] = [];
    const ctx: CliContext = {
      io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false },
      env: {},
      cwd: dir,
      keychain: (service) => keychains.get(service),
      readStdin: async () => stdin,
    };
    const code = await runCli([...args, '--base-path', dir], ctx, '1.0.0');
    return { code, stdout: out.join(''), stderr: err.join('') };
  };
  return { run, dir };
}

async function seeded() {
  const h = harness();
  expect((await h.run(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], CANARY)).code).toBe(0);
  return h;
}

describe('pull --output', () => {
  it('writes through a symlink into its target (the link stays a link), mode 0600', async () => {
    const { run, dir } = await seeded();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'app.env'), 'OLD=1\n', { mode: 0o644 });
    symlinkSync(join('real', 'app.env'), join(dir, 'app.env'));
    const r = await run(['pull', '-s', 'dev', '-c', 'api', '--output', 'app.env']);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(join(dir, 'app.env')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'app.env'))).toBe(join('real', 'app.env'));
    expect(readFileSync(join(dir, 'real', 'app.env'), 'utf8')).toBe(`DB_PASSWORD=${CANARY}\n`);
    expect(statSync(join(dir, 'real', 'app.env')).mode & 0o777).toBe(0o600);
  });

  it('sweeps the plaintext temp file a killed pull left beside the output', async () => {
    const { run, dir } = await seeded();
    // A temp file of the shared writer's naming (another host's, so swept by age) and one of the older
    // `.<name>.<12 hex>.tmp` naming pull used before: both an hour and more old, both holding values.
    const stale = join(dir, '.out.env.deadbeef-4194305-0123456789ab.atmos-tmp');
    writeFileSync(stale, `DB_PASSWORD=${CANARY}\n`, { mode: 0o600 });
    const old = join(dir, '.out.env.0123456789ab.tmp');
    writeFileSync(old, `DB_PASSWORD=${CANARY}\n`, { mode: 0o600 });
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    utimesSync(stale, twoHoursAgo, twoHoursAgo);
    const r = await run(['pull', '-s', 'dev', '-c', 'api', '--output', 'out.env']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir).filter((n) => n.startsWith('.out.env'))).toEqual([]);
    expect(readFileSync(join(dir, 'out.env'), 'utf8')).toBe(`DB_PASSWORD=${CANARY}\n`);
  });

  for (const output of ['.', 'stacks']) {
    it(`refuses the folder ${JSON.stringify(output)} before writing anything, naming it (exit 2)`, async () => {
      const { run, dir } = await seeded();
      // The parent is the shared temp folder, where parallel tests come and go: look only for names a writer
      // targeting this workspace folder would make there (its temp file is named after the target).
      const ours = (): string[] =>
        readdirSync(join(dir, '..')).filter((n) => n.includes(basename(dir)) && n !== basename(dir));
      const inside = readdirSync(dir).sort();
      const r = await run(['pull', '-s', 'dev', '-c', 'api', `--output=${output}`]);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toContain(join(dir, output === '.' ? '' : output).replace(/\/$/, ''));
      expect(r.stderr).toContain('is a folder');
      expect(r.stderr).not.toMatch(/\bE[A-Z]+: /);
      expect(r.stderr).not.toContain(CANARY);
      expect(ours()).toEqual([]);
      expect(readdirSync(dir).sort()).toEqual(inside);
    });
  }

  it('a file in a missing folder fails with our error naming the file (exit 1), not a raw fs error', async () => {
    const { run, dir } = await seeded();
    const r = await run(['pull', '-s', 'dev', '-c', 'api', '--output', join('missing', 'dir', 'out.env')]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toContain(join(dir, 'missing', 'dir', 'out.env'));
    expect(r.stderr).not.toMatch(/\bE[A-Z]+: /);
    expect(r.stderr).not.toContain(CANARY);
  });
});
