// Export and Import of a .env or JSON file (the CLI's pull and push) on the Secrets page of the demo, against
// the real OS keychain store. The native file dialogs are answered by the spec (the browser harness has none);
// main reads and writes the files itself: the export is mode 0600, an import with an undeclared key is refused
// whole after its plan, and no value reaches the page.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileDialogs } from '../src/main/services';
import { appKeychain as keychain, clearAppKeychain as clearKeychain } from './support/keychain';
import { goTo, openDemo, setOrRotateButton } from './support/demo';
import { launchBrowserApp, type BrowserApp } from './support/launch';

const CANARY = 'e2e-transfer-CANARY-5b0c';
let app: BrowserApp;
let dir: string;
/** What the spec's file dialogs answer next. */
const answers = { save: null as string | null, open: null as string | null };
const files: FileDialogs = {
  save: () => Promise.resolve(answers.save),
  open: () => Promise.resolve(answers.open),
  reveal: () => undefined,
};

beforeEach(async () => {
  await clearKeychain();
  dir = mkdtempSync(join(tmpdir(), 'atmos-e2e-transfer-'));
  app = await launchBrowserApp({ files });
  await openDemo(app.page);
});
afterEach(async () => {
  await app.close();
  await clearKeychain();
  rmSync(dir, { recursive: true, force: true });
});

function secretRow(secret: string) {
  return app.page.locator(`[data-testid="secret-row"][data-secret="${secret}"]`).first();
}

describe('export and import of a file', () => {
  it('exports a component to a 0600 file that main writes, without the value reaching the page', async () => {
    const { page } = app;
    await goTo(page, 'Secrets');
    await page.getByTestId('component-select').selectOption('api');
    await setOrRotateButton(secretRow('DB_PASSWORD'), 'DB_PASSWORD').click();
    await page.getByTestId('secret-value').fill(CANARY);
    await page.getByTestId('save-secret').click();
    await page.getByTestId('set-dialog').waitFor({ state: 'detached' });

    answers.save = join(dir, 'api.env');
    await page.getByTestId('export-file').click();
    const result = await page.getByTestId('transfer-result').textContent();
    expect(result).toContain(`Exported 1 secret to ${answers.save}`);
    expect(result).toContain('STRIPE_API_KEY');
    expect(readFileSync(answers.save, 'utf8')).toBe(`DB_PASSWORD=${CANARY}\n`);
    expect(statSync(answers.save).mode & 0o777).toBe(0o600);
    await app.screenshot('transfer-exported');

    answers.save = join(dir, 'api.json');
    await page.getByTestId('export-format').selectOption('json');
    await page.getByTestId('export-file').click();
    await page.getByTestId('transfer-result').filter({ hasText: 'api.json' }).waitFor();
    expect(JSON.parse(readFileSync(answers.save, 'utf8'))).toEqual({ DB_PASSWORD: CANARY });
    expect(statSync(answers.save).mode & 0o777).toBe(0o600);
    expect(app.received.filter((m) => m.body.includes(CANARY))).toEqual([]);
  });

  it('shows an import’s plan first, refuses a file with an undeclared key whole, and imports a declared one', async () => {
    const { page } = app;
    await goTo(page, 'Secrets');
    await page.getByTestId('component-select').selectOption('worker');

    answers.open = join(dir, 'bad.env');
    writeFileSync(answers.open, `QUEUE_TOKEN=${CANARY}\nNOT_DECLARED=x\n`);
    await page.getByTestId('import-file').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('import-refused').textContent()).toContain('NOT_DECLARED is not declared');
    expect(await dialog.getByTestId('apply-import').isDisabled()).toBe(true);
    await app.screenshot('transfer-import-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await keychain.list()).not.toContain('atmos-demo/plat/ue2/dev/worker/QUEUE_TOKEN');

    answers.open = join(dir, 'good.env');
    writeFileSync(answers.open, `# the worker's token\nQUEUE_TOKEN=${CANARY}\n`);
    await page.getByTestId('import-file').click();
    await dialog.waitFor();
    expect(await dialog.getByTestId('import-keys').textContent()).toBe('QUEUE_TOKEN');
    await app.screenshot('transfer-import-plan');
    await dialog.getByTestId('apply-import').click();
    expect(await page.getByTestId('transfer-result').textContent()).toBe('Imported 1 secret from good.env.');
    // The keychain store keeps a value as its JSON text.
    expect(JSON.parse((await keychain.get('atmos-demo/plat/ue2/dev/worker/QUEUE_TOKEN')) ?? 'null')).toBe(CANARY);
    expect(await secretRow('QUEUE_TOKEN').getByTestId('secret-status').textContent()).toBe('initialized');
    expect(app.received.filter((m) => m.body.includes(CANARY))).toEqual([]);
  });
});
