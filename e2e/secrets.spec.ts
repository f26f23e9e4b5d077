// The secrets screens on the demo workspace, against the real OS keychain store: set, reveal (which hides
// again), rotate a global secret after seeing every consumer, delete, check backends, validate, exec line.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { goTo, setOrRotateButton } from './support/demo';
import { useDemoApp } from './support/demo-app';
import { appKeychain as keychain } from './support/keychain';

const session = useDemoApp();

function row(page: Page, secret: string, component?: string) {
  const rows = page.locator(`[data-testid="secret-row"][data-secret="${secret}"]`);
  return component ? rows.filter({ has: page.locator('td:nth-child(2)', { hasText: component }) }) : rows.first();
}

async function setValue(page: Page, secret: string, value: string, component?: string): Promise<void> {
  await setOrRotateButton(row(page, secret, component), secret).click();
  const dialog = page.getByTestId('set-dialog');
  await dialog.getByTestId('secret-value').fill(value);
  const confirm = dialog.getByTestId('confirm-consumers');
  if (await confirm.count()) await confirm.check();
  await dialog.getByTestId('save-secret').click();
  await dialog.waitFor({ state: 'detached' });
}

async function checkBackends(page: Page): Promise<void> {
  await page.getByTestId('check-backends').click();
  await page.getByTestId('check-backends').waitFor();
}

describe('secrets', () => {
  it('sets an instance secret, reveals it on request, and never shows it otherwise', async () => {
    const { page } = session.app;
    await goTo(page, 'Secrets');
    await page.getByTestId('component-select').selectOption('api');
    await row(page, 'DB_PASSWORD').waitFor();
    await session.app.screenshot('secrets-table');

    await setValue(page, 'DB_PASSWORD', 'e2e-CANARY-db-password');
    await checkBackends(page);
    expect(await row(page, 'DB_PASSWORD').getByTestId('secret-status').textContent()).toBe('initialized');
    expect(await page.content()).not.toContain('e2e-CANARY-db-password');
    expect(await keychain.list()).toContain('atmos-demo/plat/ue2/dev/api/DB_PASSWORD');

    await row(page, 'DB_PASSWORD').getByRole('button', { name: 'Reveal DB_PASSWORD' }).click();
    expect(await page.getByTestId('revealed-value').textContent()).toBe('e2e-CANARY-db-password');
    await page.getByRole('button', { name: 'Hide' }).click();
    expect(await page.content()).not.toContain('e2e-CANARY-db-password');
  });

  it('lists every consumer of a global secret before rotating it once for all', async () => {
    const { page } = session.app;
    await goTo(page, 'Secrets');
    await setOrRotateButton(row(page, 'DATADOG_API_KEY'), 'DATADOG_API_KEY').click();
    const dialog = page.getByTestId('set-dialog');
    await dialog.getByTestId('consumers').waitFor();
    const consumers = await dialog.getByTestId('consumers').textContent();
    expect(consumers).toContain('plat-ue2-dev');
    expect(consumers).toContain('plat-ue2-prod');
    expect(await dialog.getByTestId('consumers-count').textContent()).toBe('2 components in 2 stacks');
    await dialog.getByTestId('generate-value').click();
    expect(await dialog.getByTestId('save-secret').isDisabled()).toBe(true);
    await session.app.screenshot('secrets-rotate-global');
    await dialog.getByTestId('confirm-consumers').check();
    await dialog.getByTestId('save-secret').click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByTestId('stack-select').selectOption('plat-ue2-prod');
    await checkBackends(page);
    expect(await row(page, 'DATADOG_API_KEY').getByTestId('secret-status').textContent()).toBe('initialized');
  });

  it('deletes a value after confirmation', async () => {
    const { page } = session.app;
    await goTo(page, 'Secrets');
    await page.getByTestId('component-select').selectOption('worker');
    await setValue(page, 'QUEUE_TOKEN', 'e2e-queue-token');
    await row(page, 'QUEUE_TOKEN').getByRole('button', { name: 'Delete QUEUE_TOKEN' }).click();
    await page.getByTestId('confirm-delete-secret').click();
    await page.getByTestId('delete-dialog').waitFor({ state: 'detached' });
    await checkBackends(page);
    expect(await row(page, 'QUEUE_TOKEN').getByTestId('secret-status').textContent()).toBe('missing');
    expect(await keychain.list()).not.toContain('atmos-demo/plat/ue2/dev/worker/QUEUE_TOKEN');
  });

  it('validates all stacks, then one component: fails listing what is missing, passes once it is set', async () => {
    const { page } = session.app;
    await goTo(page, 'Validate');
    await page.getByTestId('run-validate').click();
    await page.getByTestId('validate-problems').waitFor();
    const problems = await page.getByTestId('validate-problem').allTextContents();
    expect(problems.some((p) => p.includes('DB_PASSWORD'))).toBe(true);
    expect(problems.some((p) => p.includes('QUEUE_TOKEN'))).toBe(true);
    expect(problems.some((p) => p.includes('STRIPE_API_KEY'))).toBe(false);
    // The demo's legacy `!store` on a secret store is a configuration problem until it is imported.
    expect(problems.some((p) => p.includes('use !secret instead of !store'))).toBe(true);
    await session.app.screenshot('validate-failed');

    await page.getByTestId('validate-stack').selectOption('plat-ue2-dev');
    await page.getByTestId('validate-component').selectOption('worker');
    await page.getByTestId('run-validate').click();
    await page.getByTestId('validate-problems').waitFor();
    expect(await page.getByTestId('validate-problem').allTextContents()).toEqual([
      expect.stringContaining('QUEUE_TOKEN'),
    ]);

    await goTo(page, 'Secrets');
    await page.getByTestId('component-select').selectOption('worker');
    await setValue(page, 'QUEUE_TOKEN', 'queue-token-dev');

    await goTo(page, 'Validate');
    await page.getByTestId('validate-stack').selectOption('plat-ue2-dev');
    await page.getByTestId('validate-component').selectOption('worker');
    await page.getByTestId('run-validate').click();
    await page.getByTestId('validate-ok').waitFor();
    await session.app.screenshot('validate-ok');
  });

  it('shows a component with its values set', async () => {
    const { page } = session.app;
    await goTo(page, 'Secrets');
    await page.getByTestId('component-select').selectOption('api');
    // The SOPS value first: its first-use key notice stays until the person dismisses it.
    await setValue(page, 'GRAFANA_ADMIN_PASSWORD', 'readme-grafana');
    expect(await page.getByTestId('notice').textContent()).toContain('generated');
    await page.getByRole('button', { name: 'Dismiss this notice' }).click();
    await setValue(page, 'DB_PASSWORD', 'readme-db-password');
    await setValue(page, 'DATADOG_API_KEY', 'readme-datadog-key');
    await setValue(page, 'SLACK_WEBHOOK_URL', 'https://hooks.example.invalid/readme');
    await checkBackends(page);
    const statuses = Object.fromEntries(
      await Promise.all(
        ['GRAFANA_ADMIN_PASSWORD', 'SLACK_WEBHOOK_URL', 'DATADOG_API_KEY', 'DB_PASSWORD', 'STRIPE_API_KEY'].map(
          async (s) => [s, await row(page, s).getByTestId('secret-status').textContent()] as const,
        ),
      ),
    );
    expect(statuses).toEqual({
      GRAFANA_ADMIN_PASSWORD: 'initialized',
      SLACK_WEBHOOK_URL: 'initialized',
      DATADOG_API_KEY: 'initialized',
      DB_PASSWORD: 'initialized',
      STRIPE_API_KEY: 'missing',
    });
    expect(await page.getByTestId('notice').count()).toBe(0);
    await session.app.screenshot('secrets-values-set');
  });

  it('offers a copyable exec line for a component', async () => {
    const { page } = session.app;
    await goTo(page, 'Secrets');
    await page.getByTestId('component-select').selectOption('api');
    const line = await page.getByTestId('exec-line').textContent();
    expect(line).toMatch(/^atmos-secret exec -s plat-ue2-dev -c api --base-path \S+ -- terraform plan$/);
    await page.getByTestId('copy-exec-line').click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
  });

  it('reveals a value in its own cell without moving a column, and copies it', async () => {
    const { page } = session.app;
    await goTo(page, 'Secrets');
    await page.getByTestId('component-select').selectOption('api');
    await setValue(page, 'DB_PASSWORD', 'e2e-a-rather-long-value-that-would-have-widened-the-column-0123456789');
    await checkBackends(page);
    const widths = () =>
      page
        .locator('[data-testid="secrets-table"] thead th')
        .evaluateAll((ths) => ths.map((th) => th.getBoundingClientRect().width));
    const before = await widths();
    await row(page, 'DB_PASSWORD').getByRole('button', { name: 'Reveal DB_PASSWORD' }).click();
    await page.getByTestId('revealed-value').waitFor();
    expect(await widths()).toEqual(before);
    await row(page, 'DB_PASSWORD').getByRole('button', { name: 'Copy DB_PASSWORD' }).click();
    await row(page, 'DB_PASSWORD')
      .getByRole('button', { name: 'Copy DB_PASSWORD' })
      .filter({ hasText: 'Copied' })
      .waitFor();
    await session.app.screenshot('secrets-revealed');
    // Nothing to delete where there is no value.
    expect(
      await row(page, 'STRIPE_API_KEY')
        .getByRole('button', { name: 'Delete STRIPE_API_KEY' })
        .getAttribute('aria-disabled'),
    ).toBe('true');
    expect(
      await row(page, 'DB_PASSWORD').getByRole('button', { name: 'Delete DB_PASSWORD' }).getAttribute('aria-disabled'),
    ).toBeNull();
  });

  it('keeps the actions column in view at the window’s minimum width (900 px)', async () => {
    const { page } = session.app;
    await page.setViewportSize({ width: 900, height: 700 });
    await goTo(page, 'Secrets');
    await page.getByTestId('component-select').selectOption('api');
    const del = row(page, 'DB_PASSWORD').getByRole('button', { name: 'Delete DB_PASSWORD' });
    await del.waitFor();
    const box = await del.boundingBox();
    const scroller = await page.getByTestId('secrets-scroll').boundingBox();
    expect(box).not.toBeNull();
    expect(scroller).not.toBeNull();
    // Inside the table's visible box and the window, and on top (not covered by anything).
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual((scroller?.x ?? 0) + (scroller?.width ?? 0));
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(900);
    const onTop = await del.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
    });
    expect(onTop).toBe(true);
    // Every row action (Set or Rotate, History, Explain, Consumers, Declaration, Delete) is in view, on top, and
    // the column holds them in two lines: no overflow menu is needed at this width.
    const scrollerRight = (scroller?.x ?? 0) + (scroller?.width ?? 0);
    const actions = await row(page, 'DB_PASSWORD')
      .locator('td.actions button')
      .evaluateAll((els) =>
        els.map((el) => {
          const r = el.getBoundingClientRect();
          const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
          return { name: el.textContent, right: r.right, top: r.top, bottom: r.bottom, onTop: el.contains(hit) };
        }),
      );
    expect(actions.map((a) => a.name)).toEqual(['Set', 'History', 'Explain', 'Consumers', 'Declaration', 'Delete']);
    expect(actions.filter((a) => a.right > scrollerRight || a.right > 900 || !a.onTop)).toEqual([]);
    // A button that starts below the one before it ends starts a new line (buttons differ in height by a pixel).
    const lines = actions.filter((a, i) => i === 0 || a.top >= (actions[i - 1]?.bottom ?? 0) - 2).length;
    expect(lines).toBe(2);
    await session.app.screenshot('secrets-min-width');
  });

  it('shows a secret’s backend path in its detail', async () => {
    const { page } = session.app;
    await goTo(page, 'Secrets');
    await page.getByTestId('component-select').selectOption('api');
    await row(page, 'DB_PASSWORD').getByRole('button', { name: 'Details of DB_PASSWORD' }).click();
    const detail = page.getByTestId('secret-detail');
    expect(await detail.getByTestId('detail-location').textContent()).toBe('atmos-demo/plat/ue2/dev/api/DB_PASSWORD');
    expect(await detail.getByTestId('detail-reference').count()).toBe(0);
    await session.app.screenshot('secrets-detail');
  });

  it('finds a secret across every stack and opens it in its own stack', async () => {
    const { page } = session.app;
    await goTo(page, 'Secrets');
    await row(page, 'SLACK_WEBHOOK_URL').waitFor();
    expect(await page.getByTestId('stack-select').inputValue()).toBe('plat-ue2-dev');
    await page.getByTestId('global-search').fill('db_password');
    await page.getByTestId('search-hit').first().waitFor();
    const stacks = await page
      .getByTestId('search-hit')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-stack')));
    expect(stacks).toEqual(['plat-ue2-dev', 'plat-ue2-prod']);
    await session.app.screenshot('secrets-global-search');
    await page.getByRole('button', { name: 'Open DB_PASSWORD in plat-ue2-prod / api' }).click();
    await row(page, 'DB_PASSWORD').waitFor();
    expect(await page.getByTestId('stack-select').inputValue()).toBe('plat-ue2-prod');
    expect(await page.getByTestId('component-select').inputValue()).toBe('api');
    expect(await page.getByTestId('secrets-filter').inputValue()).toBe('DB_PASSWORD');
  });
});
