// The settings channels through the real router: defaults, a partial save, and bad requests refused by the
// contract before any write.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../shared/ipc/settings-contract';
import { MemoryKeychain } from '../keychain/memory-keychain';
import { createServices } from '../services';
import { createAppRouter, trustRendererUrl } from '.';

const RENDERER = 'file:///app/out/renderer/index.html';
const sender = { url: RENDERER, isMainFrame: true, isOwnWindow: true };
const made: string[] = [];
afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function router() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'atmos-settings-ipc-'));
  made.push(userDataDir);
  const services = createServices({
    version: '0.0.0',
    keychain: new MemoryKeychain(),
    keychainFor: (s) => new MemoryKeychain(s),
    userDataDir,
    demoDir: '/nonexistent',
  });
  return { router: createAppRouter(services, trustRendererUrl(RENDERER)), file: join(userDataDir, 'settings.json') };
}

describe('settings channels', () => {
  it('answers the defaults, then saves a subset and answers the whole', async () => {
    const { router: r, file } = router();
    expect(await r.dispatch('settings:get', {}, sender)).toEqual({ ok: true, value: DEFAULT_SETTINGS });
    expect(existsSync(file)).toBe(false);
    expect(await r.dispatch('settings:set', { theme: 'light', rotationMaxAgeDays: 30 }, sender)).toEqual({
      ok: true,
      value: { ...DEFAULT_SETTINGS, theme: 'light', rotationMaxAgeDays: 30 },
    });
    expect(await r.dispatch('settings:get', {}, sender)).toMatchObject({ ok: true, value: { theme: 'light' } });
  });

  it('refuses unknown fields, wrong types and out-of-bounds values without writing', async () => {
    const { router: r, file } = router();
    for (const bad of [
      { theme: 'purple' },
      { clipboardClearSeconds: 0 },
      { revealHideSeconds: 1.5 },
      { extra: true },
      { productionStacks: { match: 'stack-name', globs: [] } },
    ]) {
      expect(await r.dispatch('settings:set', bad, sender)).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
    }
    expect(existsSync(file)).toBe(false);
  });
});
