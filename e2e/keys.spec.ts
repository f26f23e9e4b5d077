// The Keys page against the real OS keychain: names listed (never values), delete with confirmation,
// and the empty state.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appKeychain as keychain, clearAppKeychain as clearKeychain } from './support/keychain';
import { launchApp, type LaunchedApp } from './support/launch';

let app: LaunchedApp;

beforeEach(async () => {
  await clearKeychain();
  app = await launchApp();
});
afterEach(async () => {
  await app.close();
  await clearKeychain();
});

describe('keys page', () => {
  it('shows the empty state when the keychain holds nothing', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Keys', exact: true }).click();
    await page.getByTestId('empty').filter({ hasText: 'holds nothing' }).waitFor();
    await app.screenshot('keys-empty');
  });

  it('lists names only and deletes one after confirmation', async () => {
    await keychain.set('age/demo-sops', 'AGE-SECRET-KEY-1E2ECANARY');
    await keychain.set('vault/token', 'hvs.E2ECANARY');
    const { page } = app;
    await page.getByRole('button', { name: 'Keys', exact: true }).click();
    const rows = page.getByTestId('key-row');
    await rows.nth(1).waitFor();
    expect(await rows.allTextContents()).toEqual([
      expect.stringContaining('age/demo-sops'),
      expect.stringContaining('vault/token'),
    ]);
    expect(await page.content()).not.toContain('E2ECANARY');
    await app.screenshot('keys-list');

    await page.getByRole('button', { name: 'Delete age/demo-sops' }).click();
    await page.getByTestId('confirm-delete').waitFor();
    await app.screenshot('keys-confirm-delete');
    await page.getByTestId('confirm-delete').click();
    await page.getByTestId('key-row').filter({ hasText: 'age/demo-sops' }).waitFor({ state: 'detached' });
    await page.getByTestId('key-row').filter({ hasText: 'vault/token' }).waitFor();
    expect(await page.getByTestId('key-row').count()).toBe(1);
    expect(await keychain.list()).toEqual(['vault/token']);
  });

  it('cancelling a delete keeps the key', async () => {
    await keychain.set('age/keep-me', 'x');
    const { page } = app;
    await page.getByRole('button', { name: 'Keys', exact: true }).click();
    await page.getByRole('button', { name: 'Delete age/keep-me' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Delete age/keep-me' }).waitFor();
    expect(await keychain.list()).toEqual(['age/keep-me']);
  });
});
