// Explain and Diff on the demo workspace, against the real OS keychain: "Explain" from a secret's row shows the
// catalog file and line that declare it, the keychain account it lives at and its consumers, then its status
// after "Check status"; the Diff page compares the two demo stacks side by side (one value equal in both, one set
// in dev only, one different) and filters to the differences. Screenshots of both, light and dark.
import { describe, expect, it } from 'vitest';
import { seriousAxeViolations } from './support/axe';
import { goTo } from './support/demo';
import { useDemoApp } from './support/demo-app';
import { demoService } from './support/demo-service';

const session = useDemoApp({
  seed: async (demo) => {
    const svc = await demoService(demo);
    await svc.set({ stack: 'plat-ue2-dev', component: 'api', name: 'DB_PASSWORD', value: 'e2e-same-value' });
    await svc.set({ stack: 'plat-ue2-prod', component: 'api', name: 'DB_PASSWORD', value: 'e2e-same-value' });
    await svc.set({ stack: 'plat-ue2-dev', component: 'api', name: 'STRIPE_API_KEY', value: 'e2e-dev-only' });
    await svc.set({ stack: 'plat-ue2-dev', component: 'worker', name: 'QUEUE_TOKEN', value: 'e2e-dev-queue' });
    await svc.set({ stack: 'plat-ue2-prod', component: 'worker', name: 'QUEUE_TOKEN', value: 'e2e-prod-queue' });
  },
});

describe('explain and diff', () => {
  it('explains a secret from its row: the declaring file and line, its keychain account, consumers, status', async () => {
    const { page } = session.app;
    await goTo(page, 'Secrets');
    await page.getByTestId('component-select').selectOption('api');
    const row = page.locator('[data-testid="secret-row"][data-secret="DB_PASSWORD"]');
    await row.getByRole('button', { name: 'Explain DB_PASSWORD' }).click();
    const dialog = page.getByTestId('explain-dialog');
    const sources = dialog.getByTestId('explain-sources');
    await sources.waitFor();
    expect(await sources.locator('li code').allTextContents()).toEqual(['stacks/catalog/api/defaults.yaml:14']);
    expect(await dialog.getByTestId('explain-native-name').textContent()).toBe(
      'atmos-demo/plat/ue2/dev/api/DB_PASSWORD',
    );
    expect(await dialog.getByTestId('explain-scope').textContent()).toContain('instance');
    expect(await dialog.getByTestId('explain-identity').textContent()).toContain('OS keychain');
    expect(await dialog.getByTestId('explain-consumers').textContent()).toContain('plat-ue2-dev/api');
    await dialog.getByTestId('explain-verify').click();
    expect(await dialog.getByTestId('explain-status').textContent()).toBe('initialized');
    expect(await seriousAxeViolations(session.app.page, '[data-testid="explain-dialog"]')).toEqual([]);
    await session.app.screenshot('explain-dialog');
  });

  it('compares the two demo stacks side by side and filters to the differences', async () => {
    const { page } = session.app;
    await goTo(page, 'Diff');
    await page.getByTestId('diff-stack-a').selectOption('plat-ue2-dev');
    await page.getByTestId('diff-stack-b').selectOption('plat-ue2-prod');
    await page.getByTestId('diff-run').click();
    const verdict = (secret: string) =>
      page.locator(`[data-testid="diff-row"][data-secret="${secret}"]`).getByTestId('diff-verdict').textContent();
    expect(await verdict('DB_PASSWORD')).toContain('equal values');
    expect(await verdict('STRIPE_API_KEY')).toContain('set in A only');
    expect(await verdict('QUEUE_TOKEN')).toContain('different values');
    expect(await page.getByTestId('diff-summary').textContent()).toMatch(/\d+ differ/);
    expect(await seriousAxeViolations(session.app.page, '.diff-page')).toEqual([]);
    await session.app.screenshot('diff-page');
    await page.getByTestId('diff-only-differing').check();
    const shown = await page
      .getByTestId('diff-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-secret')));
    expect(shown).toEqual(expect.arrayContaining(['STRIPE_API_KEY', 'QUEUE_TOKEN']));
    expect(shown).not.toContain('DB_PASSWORD');
    await session.app.screenshot('diff-page-differences');
  });
});
