import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { isFileError } from './errors';
import { lockPathFor, withFileLock } from './file-lock';
import { updateFileAtomic, writeFileAtomic, writePrivateFileAtomic } from './atomic-write';
import { HOST_TAG } from './process-alive';
import { STALE_TEMP_MS, isTempName } from './temp-files';
import { bundleChild } from './testing/bundle-child';

const run = promisify(execFile);
const tmp = (): string => mkdtempSync(join(tmpdir(), 'files-'));

async function expectFileError(p: Promise<unknown>, reason: string): Promise<void> {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(isFileError(e) ? e.reason : e).toBe(reason);
}

// A pid that is certainly not running: a child that has exited.
async function deadPid(): Promise<number> {
  const { stdout } = await run(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(stdout);
}

describe('writeFileAtomic', () => {
  it('writes a new file with mode 0600 and keeps an existing file its mode', async () => {
    const d = tmp();
    await writeFileAtomic(join(d, 'a'), 'one');
    expect(statSync(join(d, 'a')).mode & 0o777).toBe(0o600);
    chmodSync(join(d, 'a'), 0o640);
    await writeFileAtomic(join(d, 'a'), 'two');
    expect(readFileSync(join(d, 'a'), 'utf8')).toBe('two');
    expect(statSync(join(d, 'a')).mode & 0o777).toBe(0o640);
    expect(readdirSync(d).filter((n) => n !== 'a')).toEqual([]);
  });

  it('writes through a symlink to its target; the link stays a link', async () => {
    const d = tmp();
    writeFileSync(join(d, 'real.enc.yaml'), 'old');
    symlinkSync('real.enc.yaml', join(d, 'link.enc.yaml'));
    await writeFileAtomic(join(d, 'link.enc.yaml'), 'new');
    expect(lstatSync(join(d, 'link.enc.yaml')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(d, 'link.enc.yaml'))).toBe('real.enc.yaml');
    expect(readFileSync(join(d, 'real.enc.yaml'), 'utf8')).toBe('new');
  });

  it('refuses a replace when the file changed since it was read (typed, nothing written)', async () => {
    const d = tmp();
    const f = join(d, 'f');
    writeFileSync(f, 'theirs');
    await expectFileError(writeFileAtomic(f, 'mine', { expectedContent: Buffer.from('what I read') }), 'changed');
    const mtime = statSync(f).mtimeMs;
    utimesSync(f, new Date(), new Date(Date.now() + 5000));
    await expectFileError(writeFileAtomic(f, 'mine', { expectedMtimeMs: mtime }), 'changed');
    expect(readFileSync(f, 'utf8')).toBe('theirs');
    expect(readdirSync(d)).toEqual(['f']);
  });

  it('publishes a new file without clobbering: of 20 racing creators exactly one wins', async () => {
    const d = tmp();
    const f = join(d, 'new');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => writeFileAtomic(f, `writer ${i}`, { createOnly: true })),
    );
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(won).toHaveLength(1);
    expect(readFileSync(f, 'utf8')).toBe(`writer ${won[0]}`);
    const losers = results.flatMap((r) => (r.status === 'rejected' ? [isFileError(r.reason, 'exists')] : []));
    expect(losers).toEqual(Array.from({ length: 19 }, () => true));
    expect(readdirSync(d)).toEqual(['new']);
  });

  it('names the file in a typed io error and leaves nothing behind', async () => {
    const f = join(tmp(), 'no/such/dir/f');
    const e: unknown = await writeFileAtomic(f, 'x').catch((x: unknown) => x);
    expect(isFileError(e, 'io')).toBe(true);
    expect((e as Error).message).toContain(f);
  });

  it('sweeps temp files a killed writer left (dead pid, or past the age bound), and only ours', async () => {
    const d = tmp();
    const f = join(d, 'secrets.enc.yaml');
    writeFileSync(f, 'old');
    const dead = join(d, `.secrets.enc.yaml.${HOST_TAG}-${await deadPid()}-0123456789ab.atmos-tmp`);
    const live = join(d, `.secrets.enc.yaml.${HOST_TAG}-${process.ppid}-0123456789ab.atmos-tmp`);
    const oldLegacy = join(d, '.secrets.enc.yaml.0123456789ab.tmp');
    const youngLegacy = join(d, '.secrets.enc.yaml.ba9876543210.tmp');
    const otherFile = join(d, `.other.yaml.${HOST_TAG}-${await deadPid()}-0123456789ab.atmos-tmp`);
    const notOurs = join(d, '.secrets.enc.yaml.swp');
    for (const p of [dead, live, oldLegacy, youngLegacy, otherFile, notOurs]) writeFileSync(p, 'x');
    const past = new Date(Date.now() - STALE_TEMP_MS - 60_000);
    utimesSync(oldLegacy, past, past);
    await writeFileAtomic(f, 'new');
    const left = readdirSync(d).sort();
    expect(left).toEqual([f, live, youngLegacy, otherFile, notOurs].map((p) => p.slice(d.length + 1)).sort());
    expect(left.filter(isTempName)).toHaveLength(3);
  });
});

describe('updateFileAtomic', () => {
  it('read-modify-write creates, then updates; undefined leaves the file alone', async () => {
    const f = join(tmp(), 'n');
    await updateFileAtomic(f, (c) => String(Number(c?.toString() ?? '0') + 1));
    await updateFileAtomic(f, (c) => String(Number(c?.toString() ?? '0') + 1));
    const before = statSync(f).mtimeMs;
    await updateFileAtomic(f, () => undefined);
    expect(readFileSync(f, 'utf8')).toBe('2');
    expect(statSync(f).mtimeMs).toBe(before);
  });

  it('loses no update among 100 concurrent in-process writers', async () => {
    const f = join(tmp(), 'n');
    await Promise.all(
      Array.from({ length: 100 }, () => updateFileAtomic(f, (c) => String(Number(c?.toString() ?? '0') + 1))),
    );
    expect(readFileSync(f, 'utf8')).toBe('100');
  });
});

describe('writePrivateFileAtomic', () => {
  it('makes even an existing wider file 0600', async () => {
    const f = join(tmp(), 'pull.env');
    writeFileSync(f, 'old', { mode: 0o644 });
    chmodSync(f, 0o644);
    await writePrivateFileAtomic(f, 'A=1\n');
    expect(statSync(f).mode & 0o777).toBe(0o600);
  });
});

describe('withFileLock', () => {
  let child: string;
  beforeAll(async () => {
    child = await bundleChild(resolve(import.meta.dirname, 'testing/counter-child.ts'), tmp(), 'counter');
  });

  it('is reentrant within one call chain', async () => {
    const f = join(tmp(), 'r');
    const out = await withFileLock(f, () => withFileLock(f, async () => 'inner'));
    expect(out).toBe('inner');
    expect(existsSync(lockPathFor(f))).toBe(false);
  });

  it('recovers at once from a lock whose holder died', async () => {
    const f = join(tmp(), 'f');
    writeFileSync(lockPathFor(f), JSON.stringify({ host: HOST_TAG, pid: await deadPid(), token: 'dead' }));
    await writeFileAtomic(f, 'new', { waitMs: 1_000 });
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(existsSync(lockPathFor(f))).toBe(false);
  });

  it('waits for a live holder and fails typed when the bound passes', async () => {
    const f = join(tmp(), 'f');
    writeFileSync(lockPathFor(f), JSON.stringify({ host: HOST_TAG, pid: process.ppid, token: 'live' }));
    await expectFileError(writeFileAtomic(f, 'new', { waitMs: 200 }), 'lock-timeout');
    expect(existsSync(f)).toBe(false);
  });

  it('lets 8 processes x 12 read-modify-writes all succeed with no lost update', async () => {
    const f = join(tmp(), 'counter');
    const outs = await Promise.all(Array.from({ length: 8 }, () => run(process.execPath, [child, f, '12'])));
    expect(outs.map((o) => o.stdout)).toEqual(Array.from({ length: 8 }, () => '12'));
    expect(readFileSync(f, 'utf8')).toBe('96');
    expect(readdirSync(join(f, '..'))).toEqual(['counter']);
  }, 60_000);
});
