// The Stores page on a copy of the demo with a hashicorp/vault store added (the Vault emulator on 127.0.0.1):
// every store listed with kind and masked options, "Test connection" passing for the keychain and Vault and
// failing in words for a Vault that is down, a token saved to the OS keychain (never to a file, never
// shown again), and a Vault secret's history: versions newest first, an earlier one restored as a new version.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { start, type VaultEmulator } from '../test/support/emulators/vault';
import { appKeychain as keychain, clearAppKeychain as clearKeychain } from './support/keychain';
import { addStoreAndSecret, goTo, openDemo, setOrRotateButton } from './support/demo';
import { launchApp, type LaunchedApp } from './support/launch';

const TOKEN = `hvs.e2e-CANARY-token-${Math.random().toString(36).slice(2, 10)}`;

const ROTATED = 'ROTATED_TOKEN';
const FIRST = `e2e-CANARY-first-${Math.random().toString(36).slice(2, 10)}`;
const SECOND = `e2e-CANARY-second-${Math.random().toString(36).slice(2, 10)}`;

let emu: VaultEmulator;
let app: LaunchedApp;
let demo: string;

beforeAll(async () => {
  emu = await start();
});
afterAll(async () => {
  await emu.stop();
});

beforeEach(async () => {
  await clearKeychain();
  app = await launchApp();
  demo = await openDemo(app.page);
  // The demo copy gets a Vault store; the Stacks page reloads the workspace from disk.
  const vault = [
    '  vault:',
    '    kind: hashicorp/vault',
    '    secret: true',
    '    options:',
    `      url: ${emu.url}`,
    '      mount: secret',
    `      token: ${emu.rootToken}`,
    '',
  ].join('\n');
  // api declares one secret in that Vault store (for the history test).
  await addStoreAndSecret(app.page, demo, vault, `          ${ROTATED}:\n            store: vault\n`);
});
afterEach(async () => {
  await app.close();
  await clearKeychain();
});

function secretRow(page: Page, secret: string) {
  return page.locator(`[data-testid="secret-row"][data-secret="${secret}"]`).first();
}

async function setValue(page: Page, secret: string, value: string): Promise<void> {
  await setOrRotateButton(secretRow(page, secret), secret).click();
  const dialog = page.getByTestId('set-dialog');
  await dialog.getByTestId('secret-value').fill(value);
  await dialog.getByTestId('save-secret').click();
  await dialog.waitFor({ state: 'detached' });
}

function card(page: Page, store: string) {
  return page.locator(`[data-testid="store-card"][data-store="${store}"]`);
}

/** Every file under a folder, as text (small: the demo). */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => readFileSync(f, 'latin1'))
    .join('\n');
}

describe('stores', () => {
  it('lists the stores with kinds and masked options, and tests their connections', async () => {
    const { page } = app;
    await goTo(page, 'Stores');
    await card(page, 'vault').waitFor();
    const names = await page
      .getByTestId('store-card')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-store')));
    expect(names).toEqual(['keychain', 'legacy', 'vault']);
    expect(await card(page, 'vault').textContent()).toContain('hashicorp/vault');
    expect(await card(page, 'vault').getByTestId('store-option').allTextContents()).toEqual([
      'secret',
      '<MASKED>',
      emu.url,
    ]);
    expect(await page.content()).not.toContain(emu.rootToken);

    await card(page, 'keychain').getByRole('button', { name: 'Test connection to keychain' }).click();
    expect(await card(page, 'keychain').getByTestId('store-test-result').textContent()).toContain(
      'Reachable; credentials accepted.',
    );
    await card(page, 'vault').getByRole('button', { name: 'Test connection to vault' }).click();
    expect(await card(page, 'vault').getByTestId('store-test-result').textContent()).toContain(
      'Reachable; credentials accepted.',
    );
    await app.screenshot('stores-tested');

    emu.injectFault('sealed', 1000);
    await card(page, 'vault').getByRole('button', { name: 'Test connection to vault' }).click();
    const failed = card(page, 'vault').getByTestId('store-test-result');
    await failed.filter({ hasText: '[BACKEND]' }).waitFor();
    emu.clearFaults();
    expect(await failed.textContent()).toContain('unavailable');
  });

  it('saves a typed token to the OS keychain, never to a file or the page', async () => {
    const { page } = app;
    await goTo(page, 'Stores');
    const vault = card(page, 'vault');
    await vault.getByTestId('store-token').fill(TOKEN);
    await vault.getByRole('button', { name: 'Save token' }).click();
    expect(await vault.getByTestId('store-token-saved').textContent()).toBe(
      'Saved in the OS keychain (service atmos-secrets, account store-token/vault).',
    );
    expect(await vault.getByTestId('store-token').inputValue()).toBe('');
    expect(await keychain.get('store-token/vault')).toBe(TOKEN);
    expect(await page.content()).not.toContain(TOKEN);
    expect(allText(demo)).not.toContain(TOKEN);
    expect(allText(app.userDataDir)).not.toContain(TOKEN);
    await app.screenshot('stores-token-saved');
  });

  it('shows the history of a Vault secret and restores an earlier version as a new current one', async () => {
    const { page } = app;
    await goTo(page, 'Secrets');
    await page.getByTestId('component-select').selectOption('api');
    await secretRow(page, ROTATED).waitFor();
    await setValue(page, ROTATED, FIRST);
    await setValue(page, ROTATED, SECOND);

    await secretRow(page, ROTATED)
      .getByRole('button', { name: `History of ${ROTATED}` })
      .click();
    const dialog = page.getByTestId('history-dialog');
    await dialog.getByTestId('history-row').first().waitFor();
    expect(
      await dialog.getByTestId('history-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-version'))),
    ).toEqual(['2', '1']);
    expect(await dialog.locator('[data-testid="history-row"][data-version="2"]').textContent()).toContain('current');
    await app.screenshot('stores-history');

    await dialog.getByRole('button', { name: 'Restore version 1' }).click();
    await dialog
      .getByRole('group', { name: 'Confirm restoring version 1' })
      .getByRole('button', { name: 'Restore' })
      .click();
    expect(await dialog.getByTestId('history-restored').textContent()).toContain(
      'Restored version 1 as a new current version (1 consumer).',
    );
    await dialog.locator('[data-testid="history-row"][data-version="3"]').waitFor();
    expect(
      await dialog.getByTestId('history-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-version'))),
    ).toEqual(['3', '2', '1']);
    expect(await dialog.locator('[data-testid="history-row"][data-version="3"]').textContent()).toContain('current');
    const html = await page.content();
    expect(html).not.toContain(FIRST);
    expect(html).not.toContain(SECOND);
    await app.screenshot('stores-history-restored');

    // The backend holds the first value again, as version 3 (earlier versions kept; the stack name stays whole: Vault's stack delimiter is /).
    const versions = emu.stored('secret', `plat-ue2-dev/api/${ROTATED}`);
    expect(versions?.map((v) => v.data?.['value'])).toEqual([FIRST, SECOND, FIRST]);
  });
});
