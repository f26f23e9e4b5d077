// Declare, edit and undeclare on the demo workspace (keychain store, SOPS/age provider), through the Secrets
// page: the form's diff, the manifest written in place (every other byte kept), a file edited on disk while the
// form is open refusing the save with a Reload, and removing a declaration.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { goTo } from './support/demo';
import { seriousAxeViolations } from './support/axe';
import { useDemoApp } from './support/demo-app';
import { waitText } from './support/wait';

const DEV_FILE = 'stacks/orgs/acme/plat/dev/us-east-2.yaml';
const API_CATALOG = 'stacks/catalog/api/defaults.yaml';

const session = useDemoApp();

const read = (rel: string): string => readFileSync(join(session.demo, rel), 'utf8');

function row(page: Page, secret: string) {
  return page.locator(`[data-testid="secret-row"][data-secret="${secret}"]`).first();
}

async function openApi(page: Page): Promise<void> {
  await goTo(page, 'Secrets');
  await page.getByTestId('component-select').selectOption('api');
  await row(page, 'DB_PASSWORD').waitFor();
}

describe('declare', () => {
  it('declares a secret in the stack manifest after showing the diff, and undeclares it', async () => {
    const { page } = session.app;
    const before = read(DEV_FILE);
    await openApi(page);
    await page.getByTestId('declare-open').click();
    const dialog = page.getByTestId('declare-dialog');
    await dialog.getByTestId('declare-name').fill('PAYMENTS_TOKEN');
    await dialog.getByTestId('declare-description').fill('Token of the payments API');
    await dialog.getByTestId('declare-store').selectOption('keychain');
    await dialog.getByTestId('declare-required').check();
    await waitText(dialog, '+          PAYMENTS_TOKEN:');
    expect(await dialog.getByTestId('declare-where').textContent()).toContain(
      'atmos-demo/plat/ue2/dev/api/PAYMENTS_TOKEN',
    );
    expect(await dialog.getByTestId('position-rules').textContent()).toContain('instance');
    await session.app.screenshot('declare-form');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog.getByTestId('declare-save').click();
    await dialog.waitFor({ state: 'detached' });
    await row(page, 'PAYMENTS_TOKEN').waitFor();
    expect(read(DEV_FILE)).toBe(
      `${before}      secrets:\n        vars:\n          PAYMENTS_TOKEN:\n            description: Token of the payments API\n            store: keychain\n            required: true\n`,
    );
    await session.app.screenshot('declare-saved');

    await row(page, 'PAYMENTS_TOKEN').getByRole('button', { name: 'Edit declaration of PAYMENTS_TOKEN' }).click();
    await page.getByTestId('declare-remove').click();
    const remove = page.getByTestId('undeclare-dialog');
    await waitText(remove, '-          PAYMENTS_TOKEN:');
    await session.app.screenshot('undeclare-dialog');
    await remove.getByTestId('undeclare-confirm').click();
    await remove.waitFor({ state: 'detached' });
    await row(page, 'PAYMENTS_TOKEN').waitFor({ state: 'detached' });
    // Undeclaring what declare added gives the file back byte for byte.
    expect(read(DEV_FILE)).toBe(before);
  });

  it('edits a declaration in the file that holds it; a concurrent edit on disk stops the save until Reload', async () => {
    const { page } = session.app;
    const before = read(API_CATALOG);
    await openApi(page);
    await row(page, 'DB_PASSWORD').getByRole('button', { name: 'Edit declaration of DB_PASSWORD' }).click();
    const dialog = page.getByTestId('declare-dialog');
    const description = dialog.getByTestId('declare-description');
    expect(await description.inputValue()).toBe("Password of the api's database user");
    await description.fill('Password of the api database user (rotated monthly)');
    await waitText(dialog, '+            description: Password of the api database user (rotated monthly)');
    await session.app.screenshot('declare-edit-diff');

    // Someone saves the file in an editor while the person reads the diff.
    writeFileSync(join(session.demo, API_CATALOG), `${read(API_CATALOG)}# edited in an editor\n`);
    await dialog.getByTestId('declare-save').click();
    await dialog.getByTestId('declare-changed').waitFor();
    expect(await dialog.getByTestId('declare-changed').textContent()).toContain('changed on disk since it was read');
    expect(read(API_CATALOG)).toBe(`${before}# edited in an editor\n`);
    await session.app.screenshot('declare-changed-on-disk');

    await dialog.getByTestId('declare-reload').click();
    await expect.poll(() => dialog.getByTestId('declare-save').isEnabled()).toBe(true);
    await dialog.getByTestId('declare-save').click();
    await dialog.waitFor({ state: 'detached' });
    expect(read(API_CATALOG)).toBe(
      `${before.replace("description: Password of the api's database user", 'description: Password of the api database user (rotated monthly)')}# edited in an editor\n`,
    );
  });
});
