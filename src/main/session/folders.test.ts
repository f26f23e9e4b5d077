import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyDemo, describeWorkspaceFolder } from './folders';
import { RecentWorkspaces } from './recent';

const made: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'atmos-ws-'));
  made.push(d);
  return d;
}
afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function demo(): string {
  const d = tmp();
  writeFileSync(join(d, 'atmos.yaml'), 'base_path: ""\n');
  mkdirSync(join(d, 'stacks'));
  writeFileSync(join(d, 'stacks', 'dev.yaml'), 'vars: {}\n');
  return d;
}

describe('describeWorkspaceFolder', () => {
  it('accepts a folder with atmos.yaml', async () => {
    const d = demo();
    expect(await describeWorkspaceFolder(d)).toMatchObject({ path: d, configFile: join(d, 'atmos.yaml') });
  });

  it('explains a folder without atmos.yaml, a missing folder and a file', async () => {
    const d = tmp();
    await expect(describeWorkspaceFolder(d)).rejects.toMatchObject({
      code: 'CONFIG',
      message: `${d} has no atmos.yaml.`,
    });
    await expect(describeWorkspaceFolder(join(d, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    writeFileSync(join(d, 'f'), '');
    await expect(describeWorkspaceFolder(join(d, 'f'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('is a file'),
    });
  });
});

describe('copyDemo', () => {
  it('copies into an empty or missing folder and leaves the source alone', async () => {
    const src = demo();
    const target = join(tmp(), 'fresh');
    const info = await copyDemo(src, target);
    expect(info.path).toBe(target);
    expect(readFileSync(join(target, 'stacks', 'dev.yaml'), 'utf8')).toBe('vars: {}\n');
    expect(readdirSync(src).sort()).toEqual(['atmos.yaml', 'stacks']);
  });

  it('never overwrites: a non-empty target gets a fresh subfolder', async () => {
    const src = demo();
    const target = tmp();
    writeFileSync(join(target, 'atmos.yaml'), 'mine\n');
    const first = await copyDemo(src, target);
    const second = await copyDemo(src, target);
    expect(first.path).toBe(join(target, 'atmos-demo'));
    expect(second.path).toBe(join(target, 'atmos-demo-2'));
    expect(readFileSync(join(target, 'atmos.yaml'), 'utf8')).toBe('mine\n');
  });
});

describe('RecentWorkspaces', () => {
  it('keeps the newest first, without duplicates, and forgets on request', async () => {
    let t = 0;
    const recent = new RecentWorkspaces(
      join(tmp(), 'nested', 'recent.json'),
      () => new Date(Date.UTC(2026, 0, 1, 0, 0, t++)),
    );
    expect(await recent.list()).toEqual([]);
    await recent.add('/a/one');
    await recent.add('/b/two');
    await recent.add('/a/one');
    expect((await recent.list()).map((i) => i.path)).toEqual(['/a/one', '/b/two']);
    expect((await recent.remove('/a/one')).map((i) => i.name)).toEqual(['two']);
  });

  it('loses no entry and fails no call when many adds run at once (atomic, serialised writes)', async () => {
    const dir = tmp();
    const recent = new RecentWorkspaces(join(dir, 'recent.json'));
    const paths = Array.from({ length: 8 }, (_, i) => `/ws/${i}`);
    await Promise.all(paths.map((p) => recent.add(p)));
    expect((await recent.list()).map((i) => i.path).sort()).toEqual(paths);
    expect(readdirSync(dir)).toEqual(['recent.json']);
  });

  it('starts afresh from a damaged file', async () => {
    const file = join(tmp(), 'recent.json');
    writeFileSync(file, '{not json');
    const recent = new RecentWorkspaces(file);
    expect(await recent.list()).toEqual([]);
    expect(await recent.add('/x')).toHaveLength(1);
  });
});
