// Explain and Diff on the demo workspace, against the real OS keychain: "Explain" from a secret's row shows the
// catalog file and line that declare it, the keychain account it lives at and its consumers, then its status
// after "Check status"; the Diff page compares the two demo stacks side by side (one value equal in both, one set
// in dev only, one different) and filters to the differences. Screenshots of both, light and dark.
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadWorkspace } from '../src/main/config';
import { KeytarKeychain } from '../src/main/keychain/keytar-keychain';
import { createSecretsService, type SecretsService } from '../src/main/secrets';
import { goTo, openDemo } from './support/demo';
import { clearAppKeychain } from './support/keychain';
import { launchApp, type LaunchedApp } from './support/launch';

let app: LaunchedApp;
let demo: string;

/** Serious and critical axe violations inside `selector`, in both schemes, as `scheme rule: targets`. */
async function axeViolations(selector: string): Promise<string[]> {
  const out: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await app.page.emulateMedia({ colorScheme: scheme });
    const result = await new AxeBuilder({ page: app.page }).include(selector).analyze();
    for (const v of result.violations)
      if (v.impact === 'serious' || v.impact === 'critical')
        out.push(`${scheme} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  return out;
}

/** A service of the test's own over the demo copy (same keychain and files as the app's), to seed values. */
async function demoService(dir: string): Promise<SecretsService> {
  const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
  return createSecretsService(ws, {
    keychain: (s) => new KeytarKeychain(s),
    confirm: async () => true,
    env: { XDG_CONFIG_HOME: join(dir, 'no-config') },
    remember: () => undefined,
  });
}

beforeEach(async () => {
  await clearAppKeychain();
  app = await launchApp();
  demo = await openDemo(app.page);
  const svc = await demoService(demo);
  await svc.set({ stack: 'plat-ue2-dev', component: 'api', name: 'DB_PASSWORD', value: 'e2e-same-value' });
  await svc.set({ stack: 'plat-ue2-prod', component: 'api', name: 'DB_PASSWORD', value: 'e2e-same-value' });
  await svc.set({ stack: 'plat-ue2-dev', component: 'api', name: 'STRIPE_API_KEY', value: 'e2e-dev-only' });
  await svc.set({ stack: 'plat-ue2-dev', component: 'worker', name: 'QUEUE_TOKEN', value: 'e2e-dev-queue' });
  await svc.set({ stack: 'plat-ue2-prod', component: 'worker', name: 'QUEUE_TOKEN', value: 'e2e-prod-queue' });
});
afterEach(async () => {
  await app.close();
  await clearAppKeychain();
});

describe('explain and diff', () => {
  it('explains a secret from its row: the declaring file and line, its keychain account, consumers, status', async () => {
    const { page } = app;
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
    expect(await axeViolations('[data-testid="explain-dialog"]')).toEqual([]);
    await app.screenshot('explain-dialog');
  });

  it('compares the two demo stacks side by side and filters to the differences', async () => {
    const { page } = app;
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
    expect(await axeViolations('.diff-page')).toEqual([]);
    await app.screenshot('diff-page');
    await page.getByTestId('diff-only-differing').check();
    const shown = await page
      .getByTestId('diff-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-secret')));
    expect(shown).toEqual(expect.arrayContaining(['STRIPE_API_KEY', 'QUEUE_TOKEN']));
    expect(shown).not.toContain('DB_PASSWORD');
    await app.screenshot('diff-page-differences');
  });
});
