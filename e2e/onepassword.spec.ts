// A 1Password-backed secret through the app, on a copy of the demo with a onepassword store added (the Connect
// emulator on 127.0.0.1, mode: auto picking Connect from connect_host/connect_token): the Stores page shows the
// store, its vault and, after "Test connection", the mode it chose and why; a secret whose templated reference
// names an item is set (the item is created as an API Credential with a concealed field), shows initialized, and
// is deleted after confirmation (the item goes with its last field). The value is never in the page.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { start, type ConnectEmulator } from '../test/support/emulators/onepassword-connect';
import { clearAppKeychain as clearKeychain } from './support/keychain';
import { addStoreAndSecret, goTo, openDemo, setOrRotateButton } from './support/demo';
import { launchApp, type LaunchedApp } from './support/launch';

const SECRET = 'OP_API_TOKEN';
const VALUE = `e2e-CANARY-op-${Math.random().toString(36).slice(2, 10)}`;

let emu: ConnectEmulator;
let app: LaunchedApp;

beforeAll(async () => {
  emu = await start({ vaults: ['Infra'] });
});
afterAll(async () => {
  await emu.stop();
});

beforeEach(async () => {
  await clearKeychain();
  app = await launchApp();
  const demo = await openDemo(app.page);
  const op = [
    '  op:',
    '    type: onepassword',
    '    options:',
    '      vault: Infra',
    `      connect_host: ${emu.url}`,
    `      connect_token: ${emu.token}`,
    '',
  ].join('\n');
  await addStoreAndSecret(
    app.page,
    demo,
    op,
    `          ${SECRET}:\n            store: op\n            reference: "{{ .atmos_stack }}-{{ .atmos_component }}/token"\n`,
  );
});
afterEach(async () => {
  await app.close();
  await clearKeychain();
});

function row(page: Page, secret: string) {
  return page.locator(`[data-testid="secret-row"][data-secret="${secret}"]`).first();
}

async function checkBackends(page: Page): Promise<void> {
  await page.getByTestId('check-backends').click();
  await page.getByTestId('check-backends').waitFor();
}

describe('onepassword', () => {
  it('shows the store, its vault, and the mode it chose and why', async () => {
    const { page } = app;
    await goTo(page, 'Stores');
    const card = page.locator('[data-testid="store-card"][data-store="op"]');
    await card.waitFor();
    expect(await card.textContent()).toContain('onepassword');
    expect(await card.getByTestId('store-option').allTextContents()).toContain('Infra');
    expect(await page.content()).not.toContain(emu.token);
    await card.getByRole('button', { name: 'Test connection to op' }).click();
    expect(await card.getByTestId('store-test-mode').textContent()).toBe(
      'Mode: connect (mode: auto, and a Connect host (options.connect_host) and token (options.connect_token) are present); 1 vault visible, including the default vault "Infra"',
    );
    await app.screenshot('onepassword-store');
  });

  it('sets a 1Password-backed secret and deletes it after confirmation', async () => {
    const { page } = app;
    await goTo(page, 'Secrets');
    await page.getByTestId('component-select').selectOption('api');
    await row(page, SECRET).waitFor();
    await setOrRotateButton(row(page, SECRET), SECRET).click();
    const dialog = page.getByTestId('set-dialog');
    await dialog.getByTestId('secret-value').fill(VALUE);
    await dialog.getByTestId('save-secret').click();
    await dialog.waitFor({ state: 'detached' });
    await checkBackends(page);
    expect(await row(page, SECRET).getByTestId('secret-status').textContent()).toBe('initialized');
    const item = emu.item('Infra', 'plat-ue2-dev-api');
    expect(item?.category).toBe('API_CREDENTIAL');
    expect(item?.fields.map((f) => [f.type, f.label, f.value])).toEqual([['CONCEALED', 'token', VALUE]]);
    expect(await page.content()).not.toContain(VALUE);
    await app.screenshot('onepassword-set');

    await row(page, SECRET)
      .getByRole('button', { name: `Delete ${SECRET}` })
      .click();
    await page.getByTestId('confirm-delete-secret').click();
    await page.getByTestId('delete-dialog').waitFor({ state: 'detached' });
    await checkBackends(page);
    expect(await row(page, SECRET).getByTestId('secret-status').textContent()).toBe('missing');
    expect(emu.item('Infra', 'plat-ue2-dev-api')).toBeUndefined();
  });
});
