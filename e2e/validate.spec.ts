// The Validate page on the demo workspace, against the real OS keychain store: it explains itself before
// anything runs, counts the problems by the CLI's kinds, keeps stack names on one line, and gives each problem
// its action: "Set" opens the Set dialog on the Secrets page, "Open file" answers in the browser harness, and
// "Set what is missing" (init) fills a stack's required secrets with generated values, with progress.
import { describe, expect, it } from 'vitest';
import { goTo } from './support/demo';
import { useDemoApp } from './support/demo-app';
import { appKeychain as keychain } from './support/keychain';

const session = useDemoApp();

describe('validate', () => {
  it('explains itself, counts problems by the CLI kinds, and keeps stack names on one line', async () => {
    const { page } = session.app;
    await goTo(page, 'Validate');
    expect(await page.getByTestId('validate-intro').textContent()).toContain('atmos-secret validate');
    await session.app.screenshot('validate-start');
    await page.getByTestId('run-validate').click();
    await page.getByTestId('validate-summary').waitFor();
    const counts = await page.getByTestId('validate-summary').getByRole('listitem').allTextContents();
    // The names `atmos-secret validate` prints: [missing], [store-function].
    expect(counts.map((c) => c.replace(/ \d+$/, ''))).toEqual(['missing', 'store-function']);
    const missing = Number((await page.getByTestId('count-missing').textContent())?.replace(/\D+/g, ''));
    expect(missing).toBe(await page.locator('[data-testid="validate-problem"][data-kind="missing"]').count());

    const stackCell = page.locator('[data-testid="validate-problem"] td.col-stack .clipped').first();
    expect(await stackCell.getAttribute('title')).toMatch(/^plat-ue2-(dev|prod)$/);
    expect(await stackCell.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('nowrap');
    const height = await stackCell.evaluate((el) => el.getBoundingClientRect().height);
    const line = await stackCell.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 20);
    expect(height).toBeLessThan(line * 1.5);
    await session.app.screenshot('validate-summary');

    // The legacy !store's action is the import wizard, not a CLI command.
    const legacy = page.locator('[data-testid="validate-problem"][data-kind="store-function"]');
    expect(await legacy.textContent()).not.toContain('atmos-secret import');
    await legacy.getByRole('button', { name: /^Import the !store use/ }).click();
    await page.locator('#import-title').waitFor();
    expect(
      await page
        .getByRole('navigation', { name: 'Pages' })
        .getByRole('button', { name: 'Import' })
        .getAttribute('aria-current'),
    ).toBe('page');
  });

  it('"Set" opens the Set dialog on the Secrets page; "Open file" says where the file is without a file manager', async () => {
    const { page } = session.app;
    await goTo(page, 'Validate');
    await page.getByTestId('validate-stack').selectOption('plat-ue2-dev');
    await page.getByTestId('validate-component').selectOption('worker');
    await page.getByTestId('run-validate').click();
    const problem = page.getByTestId('validate-problem').filter({ hasText: 'QUEUE_TOKEN' });
    await problem.waitFor();
    expect(await problem.textContent()).not.toContain('atmos-secret set');

    await problem.getByRole('button', { name: 'Open file stacks/catalog/worker/defaults.yaml' }).click();
    const note = await page.getByTestId('validate-note').textContent();
    expect(note).toContain('stacks/catalog/worker/defaults.yaml');

    await problem.getByRole('button', { name: 'Set QUEUE_TOKEN in plat-ue2-dev' }).click();
    const dialog = page.getByTestId('set-dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('heading').textContent()).toBe('Set QUEUE_TOKEN');
    expect(await page.getByTestId('stack-select').inputValue()).toBe('plat-ue2-dev');
    expect(await page.getByTestId('component-select').inputValue()).toBe('worker');
    await session.app.screenshot('validate-set-from-problem');
    await dialog.getByTestId('secret-value').fill('e2e-queue-token');
    await dialog.getByTestId('save-secret').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await keychain.list()).toContain('atmos-demo/plat/ue2/dev/worker/QUEUE_TOKEN');
  });

  it('sets what is missing in a stack with generated values, then validates clean but for the legacy !store', async () => {
    const { page } = session.app;
    await goTo(page, 'Validate');
    await page.getByTestId('validate-stack').selectOption('plat-ue2-dev');
    await page.getByTestId('set-missing').click();
    const dialog = page.getByTestId('set-missing-dialog');
    await dialog.getByTestId('missing-list').waitFor();
    const names = await dialog
      .getByTestId('missing-entry')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-secret')));
    expect(names).toEqual(expect.arrayContaining(['DB_PASSWORD', 'QUEUE_TOKEN', 'DATADOG_API_KEY']));
    expect(names).not.toContain('STRIPE_API_KEY');
    await dialog.getByTestId('generate-all').click();
    await session.app.screenshot('validate-set-missing');
    await dialog.getByTestId('set-missing-submit').click();
    await dialog.getByTestId('set-missing-result').waitFor();
    expect(await dialog.locator('[data-testid="missing-outcome"][data-action="set"]').count()).toBe(names.length);
    // Generated in main: the page never held the values.
    expect(await page.content()).not.toMatch(/[A-Za-z0-9_-]{43}/);
    await dialog.getByTestId('set-missing-done').click();
    await page.getByTestId('validate-summary').waitFor();
    expect(await page.getByTestId('validate-summary').getByRole('listitem').allTextContents()).toEqual([
      'store-function 1',
    ]);
    expect(await keychain.list()).toEqual(
      expect.arrayContaining(['atmos-demo/plat/ue2/dev/api/DB_PASSWORD', 'atmos-demo/plat/ue2/dev/worker/QUEUE_TOKEN']),
    );
    await session.app.screenshot('validate-after-set-missing');
  });
});
