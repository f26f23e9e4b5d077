import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../shared/ipc/settings-contract';
import { parseSettings, SettingsStore } from './settings';

const made: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'atmos-settings-'));
  made.push(d);
  return d;
}
afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('SettingsStore', () => {
  it('answers the defaults when there is no file, and saves a subset keeping the rest', async () => {
    const dir = tmp();
    const store = new SettingsStore(join(dir, 'nested', 'settings.json'));
    expect(await store.get()).toEqual(DEFAULT_SETTINGS);
    const saved = await store.set({ theme: 'dark', clipboardClearSeconds: 45 });
    expect(saved).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', clipboardClearSeconds: 45 });
    const again = await new SettingsStore(join(dir, 'nested', 'settings.json')).set({ revealHideSeconds: 10 });
    expect(again).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', clipboardClearSeconds: 45, revealHideSeconds: 10 });
    expect(readdirSync(join(dir, 'nested'))).toEqual(['settings.json']);
  });

  it('refuses an out-of-bounds or unknown field with a typed error and leaves the file as it was', async () => {
    const file = join(tmp(), 'settings.json');
    const store = new SettingsStore(file);
    await store.set({ theme: 'light' });
    const before = readFileSync(file, 'utf8');
    await expect(store.set({ clipboardClearSeconds: 1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(store.set({ nope: 1 } as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('tells listeners about each save', async () => {
    const store = new SettingsStore(join(tmp(), 'settings.json'));
    const seen: number[] = [];
    const off = store.onChange((s) => seen.push(s.clipboardClearSeconds));
    await store.set({ clipboardClearSeconds: 12 });
    off();
    await store.set({ clipboardClearSeconds: 13 });
    expect(seen).toEqual([12]);
  });

  it('loses no field when saves run at once (atomic, serialised writes)', async () => {
    const store = new SettingsStore(join(tmp(), 'settings.json'));
    await Promise.all([
      store.set({ theme: 'dark' }),
      store.set({ clipboardClearSeconds: 60 }),
      store.set({ rotationMaxAgeDays: 30 }),
    ]);
    expect(await store.get()).toEqual({
      ...DEFAULT_SETTINGS,
      theme: 'dark',
      clipboardClearSeconds: 60,
      rotationMaxAgeDays: 30,
    });
  });
});

describe('parseSettings', () => {
  it('replaces only the bad or missing fields with their defaults', () => {
    const text = JSON.stringify({ version: 1, theme: 'purple', clipboardClearSeconds: 90, revealHideSeconds: -4 });
    expect(parseSettings(text)).toEqual({ ...DEFAULT_SETTINGS, clipboardClearSeconds: 90 });
  });

  it('answers the defaults for damaged JSON, a non-object and an oversized file', () => {
    expect(parseSettings('{not json')).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('[1,2]')).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings(`{"theme":"dark","pad":"${'x'.repeat(70_000)}"}`)).toEqual(DEFAULT_SETTINGS);
  });

  it('reads a file written by hand with a stack-name rule', () => {
    const file = join(tmp(), 'settings.json');
    writeFileSync(file, JSON.stringify({ productionStacks: { match: 'stack-name', globs: ['*-prod'] } }));
    expect(parseSettings(readFileSync(file, 'utf8')).productionStacks).toEqual({
      match: 'stack-name',
      globs: ['*-prod'],
    });
  });
});
