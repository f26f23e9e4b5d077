import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustedFolders } from './trusted-folders';

const made: string[] = [];
afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'atmos-trust-'));
  made.push(d);
  return d;
}

describe('TrustedFolders', () => {
  it('knows no folder at first, then remembers each answer across instances', async () => {
    const data = tmp();
    const repo = join(tmp(), 'repo');
    mkdirSync(repo);
    const file = join(data, 'nested', 'trusted-folders.json');
    expect(await new TrustedFolders(file).decision(repo)).toBe('unasked');
    expect(await new TrustedFolders(file).decide(repo, false)).toBe('declined');
    expect(await new TrustedFolders(file).decision(repo)).toBe('declined');
    await new TrustedFolders(file).decide(repo, true);
    expect(await new TrustedFolders(file).decision(repo)).toBe('trusted');
    expect(await new TrustedFolders(file).isTrusted(join(repo, 'sub'))).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('knows a folder by its real path, so a symlink shares its answer', async () => {
    const base = tmp();
    const repo = join(base, 'repo');
    mkdirSync(repo);
    symlinkSync(repo, join(base, 'link'));
    const trust = new TrustedFolders(join(tmp(), 'trusted-folders.json'));
    await trust.decide(join(base, 'link'), true);
    expect(await trust.decision(repo)).toBe('trusted');
  });

  it('treats a damaged file as no decision (untrusted), and recovers on the next answer', async () => {
    const file = join(tmp(), 'trusted-folders.json');
    writeFileSync(file, '{"version":1,"folders":"nope"');
    const trust = new TrustedFolders(file);
    expect(await trust.decision('/some/repo')).toBe('unasked');
    await trust.decide('/some/repo', true);
    expect(await trust.decision('/some/repo')).toBe('trusted');
  });

  it('loses no answer when many are written at once, and leaves no temp or lock file', async () => {
    const dir = tmp();
    const trust = new TrustedFolders(join(dir, 'trusted-folders.json'));
    const folders = Array.from({ length: 8 }, (_, i) => `/repos/r${i}`);
    await Promise.all(folders.map((f, i) => trust.decide(f, i % 2 === 0)));
    expect(await Promise.all(folders.map((f) => trust.decision(f)))).toEqual(
      folders.map((_, i) => (i % 2 === 0 ? 'trusted' : 'declined')),
    );
    expect(readdirSync(dir)).toEqual(['trusted-folders.json']);
  });
});
