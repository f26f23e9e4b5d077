// The Keys page against the real OS keychain (the run's private keyring): age keys with their recipients and
// what each opens, backend tokens, never an entry that holds a secret value; on the demo's SOPS/age provider:
// generate (first use), import a keys.txt, updatekeys plan then run, copy a recipient, remove a key after the
// list of what it would no longer decrypt. No private key or value ever reaches the page.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAgeKeyList, recipientsOfKeyText } from '../src/main/sops';
import { newAgeKey } from '../test/support/fixtures/sops/age-keys';
import { seriousAxeViolations } from './support/axe';
import { goTo, openDemo } from './support/demo';
import { appKeychain as keychain, clearAppKeychain as clearKeychain } from './support/keychain';
import { launchApp, launchBrowserApp, type LaunchedApp } from './support/launch';

const KEY_ACCOUNT = 'atmos-demo/sops-age/demo-sops';
const VALUE = 'e2e-keys-CANARY-grafana';
let app: LaunchedApp;

beforeEach(async () => {
  await clearKeychain();
  app = await launchApp();
});
afterEach(async () => {
  await app.close();
  await clearKeychain();
});

async function heldRecipients(): Promise<string[]> {
  return [...(await recipientsOfKeyText((await keychain.get(KEY_ACCOUNT)) ?? ''))];
}

describe('keys page', () => {
  it('shows the empty state when the keychain holds nothing', async () => {
    const { page } = app;
    await goTo(page, 'Keys');
    await page.getByTestId('empty').filter({ hasText: 'No age key in the keychain yet' }).waitFor();
    await app.screenshot('keys-empty');
  });

  it('lists age keys and tokens, never secret values, and removes a token after confirmation', async () => {
    const old = await newAgeKey();
    await keychain.set('other/sops-age/old', old.identity);
    await keychain.set('store-token/vault', 'hvs.E2ECANARY-token');
    await keychain.set('atmos-demo/plat-ue2-dev/api/DB_PASSWORD', 'E2ECANARY-value');
    const { page } = app;
    await goTo(page, 'Keys');
    const row = page.getByTestId('key-row');
    await row.filter({ hasText: old.recipient }).waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('other/sops-age/old');
    await page.getByTestId('token-row').filter({ hasText: 'vault' }).waitFor();
    expect(await page.getByTestId('value-entries').textContent()).toContain(
      '1 other keychain entry holds a secret value',
    );
    const html = await page.content();
    expect(html).not.toContain('E2ECANARY');
    expect(html).not.toContain('DB_PASSWORD');
    expect(html).not.toContain('AGE-SECRET-KEY');
    await app.screenshot('keys-list');
    expect(await seriousAxeViolations(app.page)).toEqual([]);

    await page.getByRole('button', { name: 'Remove the token of vault' }).click();
    await page.getByRole('group', { name: 'Confirm removing the token of vault' }).waitFor();
    await app.screenshot('keys-confirm-token-removal');
    await page
      .getByRole('group', { name: 'Confirm removing the token of vault' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await page.getByTestId('token-row').waitFor({ state: 'detached' });
    expect(await keychain.list()).toEqual(['atmos-demo/plat-ue2-dev/api/DB_PASSWORD', 'other/sops-age/old']);
  });

  it('on the demo: generate, import a keys.txt, updatekeys, copy a recipient, remove a key after seeing what it opens', async () => {
    const { page } = app;
    const demo = await openDemo(page);
    // First use of the SOPS provider generates its key into the keychain and writes the encrypted file.
    await goTo(page, 'Secrets');
    const secretRow = page.locator('[data-testid="secret-row"][data-secret="GRAFANA_ADMIN_PASSWORD"]');
    await secretRow.getByRole('button', { name: 'Set GRAFANA_ADMIN_PASSWORD' }).click();
    const setDialog = page.getByTestId('set-dialog');
    await setDialog.getByTestId('secret-value').fill(VALUE);
    await setDialog.getByTestId('confirm-consumers').check();
    await setDialog.getByTestId('save-secret').click();
    await setDialog.waitFor({ state: 'detached' });
    const [first] = await heldRecipients();
    expect(first).toMatch(/^age1/);
    const file = join(demo, 'secrets/plat-ue2-dev.enc.yaml');

    await goTo(page, 'Keys');
    const firstRow = page.getByTestId('key-row').filter({ hasText: first ?? 'missing' });
    await firstRow.waitFor();
    expect(await firstRow.textContent()).toContain(KEY_ACCOUNT);
    expect(await firstRow.textContent()).toContain('demo-sops');
    expect(await firstRow.textContent()).toContain('1 file');
    await firstRow.getByText('1 file').click();
    await firstRow.getByText('secrets/plat-ue2-dev.enc.yaml').waitFor();
    await app.screenshot('keys-demo-generated');

    // Import a teammate's keys.txt, pasted into the masked field.
    const second = await newAgeKey();
    await page.getByTestId('import-keys').click();
    await page.getByTestId('import-text').fill(`# created: 2025-01-01T00:00:00Z\n# laptop\n${second.identity}\n`);
    await app.screenshot('keys-import');
    expect(await seriousAxeViolations(app.page)).toEqual([]);
    await page.getByTestId('import-submit').click();
    expect(await page.getByTestId('import-result').textContent()).toContain(second.recipient);
    await app.screenshot('keys-imported');
    await page.getByTestId('import-done').click();
    await page.getByTestId('key-row').filter({ hasText: second.recipient }).waitFor();
    expect(await heldRecipients()).toEqual([first, second.recipient]);
    expect(readFileSync(join(demo, '.sops.yaml'), 'utf8')).toContain(second.recipient);

    // updatekeys: the plan first, then the run; the file is then encrypted to both keys.
    await page.getByTestId('rekey-provider').selectOption('demo-sops');
    await page.getByTestId('plan-updatekeys').click();
    const plan = page.getByTestId('rekey-plan');
    await plan.waitFor();
    expect(await plan.getByTestId('rekey-plan-file').first().textContent()).toContain(`+ age ${second.recipient}`);
    expect(readFileSync(file, 'utf8')).not.toContain(second.recipient);
    await app.screenshot('keys-updatekeys-plan');
    expect(await seriousAxeViolations(app.page)).toEqual([]);
    await plan.getByTestId('rekey-apply').click();
    await plan.waitFor({ state: 'detached' });
    expect(readFileSync(file, 'utf8')).toContain(second.recipient);

    // A recipient is copied for a teammate (public, so not treated as a secret).
    await page.getByTestId('key-row').filter({ hasText: second.recipient }).getByTestId('copy-recipient').click();
    await page.getByText('Recipient copied').waitFor();

    // The first key opens nothing the imported one cannot: its removal loses nothing.
    await firstRow.getByTestId('remove-key').click();
    const removeDialog = page.getByTestId('remove-key-dialog');
    await removeDialog.getByTestId('nothing-lost').waitFor();
    expect(await removeDialog.getByTestId('kept-files').textContent()).toContain('secrets/plat-ue2-dev.enc.yaml');
    await app.screenshot('keys-remove-plan');
    await removeDialog.getByTestId('remove-key-confirm').click();
    await removeDialog.waitFor({ state: 'detached' });
    await firstRow.waitFor({ state: 'detached' });
    expect(await heldRecipients()).toEqual([second.recipient]);
    expect(readFileSync(join(demo, '.sops.yaml'), 'utf8')).not.toContain(first);

    // The imported key is now the only key here for the file: the dialog says so, and the key is kept.
    await page.getByTestId('key-row').filter({ hasText: second.recipient }).getByTestId('remove-key').click();
    const lost = page.getByTestId('remove-key-dialog').getByTestId('lost-files');
    await lost.waitFor();
    expect(await lost.textContent()).toContain('secrets/plat-ue2-dev.enc.yaml');
    await app.screenshot('keys-remove-lost');
    expect(await seriousAxeViolations(app.page)).toEqual([]);
    await page.getByRole('button', { name: 'Keep the key' }).click();
    expect(parseAgeKeyList((await keychain.get(KEY_ACCOUNT)) ?? '')).toEqual([second.identity]);

    // The value still opens with the imported key, and nothing secret reached the page.
    await goTo(page, 'Secrets');
    await secretRow.getByRole('button', { name: 'Reveal GRAFANA_ADMIN_PASSWORD' }).click();
    expect(await page.getByTestId('revealed-value').textContent()).toBe(VALUE);
    await goTo(page, 'Keys');
    await page.getByTestId('key-row').first().waitFor();
    expect(await page.content()).not.toContain('AGE-SECRET-KEY');
    expect(await page.content()).not.toContain(VALUE);
  });
});

describe('keys page, a keys.txt picked in the native file dialog', () => {
  it('imports the file main reads, records its recipient, and sends no key to the page', async () => {
    // The spec answers the file dialog: the browser harness is the one launch that lets it (launch.ts).
    await app.close();
    const dir = mkdtempSync(join(tmpdir(), 'atmos-e2e-keys-'));
    const keysTxt = join(dir, 'keys.txt');
    const key = await newAgeKey();
    writeFileSync(keysTxt, `# created: 2025-01-01T00:00:00Z\n# laptop\n${key.identity}\n`, { mode: 0o600 });
    const asked: string[] = [];
    app = await launchBrowserApp({
      files: {
        save: () => Promise.resolve(null),
        open: (o) => {
          asked.push(o.title);
          return Promise.resolve(keysTxt);
        },
        reveal: () => undefined,
      },
    });
    try {
      const { page } = app;
      const demo = await openDemo(page);
      await goTo(page, 'Keys');
      await page.getByTestId('import-keys').click();
      await page.getByTestId('import-pick-file').click();
      expect(await page.getByTestId('import-result').textContent()).toContain(key.recipient);
      expect(asked).toEqual(['Import age keys (keys.txt)']);
      await app.screenshot('keys-imported-file');
      await page.getByTestId('import-done').click();
      await page.getByTestId('key-row').filter({ hasText: key.recipient }).waitFor();
      expect(await heldRecipients()).toEqual([key.recipient]);
      expect(readFileSync(join(demo, '.sops.yaml'), 'utf8')).toContain(key.recipient);
      expect(await page.content()).not.toContain('AGE-SECRET-KEY');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
