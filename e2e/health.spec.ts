// The Health page on the demo workspace, against the real OS keychain and a real SOPS file: one value in the
// dev and prod DB_PASSWORD (reused across environments), a repetitive STRIPE_API_KEY (low entropy), and prod's
// GRAFANA_ADMIN_PASSWORD written 400 days ago (its SOPS file's lastmodified says so: stale against the settings'
// 90 days), and a value left under the store's prefix that nothing declares (an orphan, deleted after a
// confirmation). The page counts the findings by kind, names the places, and "Rotate it" opens the secret.
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { goTo } from './support/demo';
import { useDemoApp } from './support/demo-app';
import { demoService } from './support/demo-service';
import { appKeychain } from './support/keychain';

const DAY = 24 * 60 * 60 * 1000;
const REUSED = `health-${randomBytes(18).toString('base64url')}`;

const session = useDemoApp({
  seed: async (demo) => {
    const svc = await demoService(demo);
    await svc.set({ stack: 'plat-ue2-dev', component: 'api', name: 'DB_PASSWORD', value: REUSED });
    await svc.set({ stack: 'plat-ue2-prod', component: 'api', name: 'DB_PASSWORD', value: REUSED });
    await svc.set({ stack: 'plat-ue2-dev', component: 'api', name: 'STRIPE_API_KEY', value: 'ab'.repeat(16) });
    // Left behind under the store's prefix: declared nowhere (an orphan).
    await appKeychain.set('atmos-demo/plat/ue2/dev/api/OLD_TOKEN', JSON.stringify(randomBytes(16).toString('hex')));
    // Written 400 days ago: only Date is faked, and only for this write (its SOPS file records the time).
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 400 * DAY });
    try {
      await svc.set({ stack: 'plat-ue2-prod', name: 'GRAFANA_ADMIN_PASSWORD', value: randomBytes(24).toString('hex') });
    } finally {
      vi.useRealTimers();
    }
  },
});

describe('health', () => {
  it('shows reuse across environments, a weak value and an old secret, each with its places and action', async () => {
    const { page } = session.app;
    await goTo(page, 'Health');
    expect(await page.getByTestId('health-intro').textContent()).toContain('atmos-secret audit');
    await page.getByTestId('run-health').click();
    await page.getByTestId('health-summary').waitFor();
    for (const kind of ['reused-across-environments', 'low-entropy', 'stale']) {
      expect(await page.getByTestId(`health-count-${kind}`).textContent()).toMatch(/ 1$/);
    }
    expect(await page.getByTestId('health-settings').textContent()).toContain(
      'Production: stage or environment is prod|production. Maximum age: 90 days',
    );
    const reused = page.locator('[data-testid="health-finding"][data-kind="reused-across-environments"]');
    const reusedText = (await reused.textContent()) ?? '';
    expect(reusedText).toContain('DB_PASSWORD in plat-ue2-dev / api');
    expect(reusedText).toContain('DB_PASSWORD in plat-ue2-prod / api');
    expect(reusedText).toContain('stacks/catalog/api/defaults.yaml:');
    const stale = page.locator('[data-testid="health-finding"][data-kind="stale"]');
    expect(await stale.textContent()).toMatch(/GRAFANA_ADMIN_PASSWORD in plat-ue2-prod last changed 400 days ago/);
    const weak = page.locator('[data-testid="health-finding"][data-kind="low-entropy"]');
    expect(await weak.textContent()).toContain('STRIPE_API_KEY in plat-ue2-dev/api');
    // No value reached the page.
    expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toContain(REUSED);
    await session.app.screenshot('health-findings');

    // The orphan: declare it, or delete it after a confirmation.
    const orphan = page.locator('[data-testid="health-finding"][data-kind="orphan"]');
    expect(await orphan.textContent()).toContain('atmos-demo/plat/ue2/dev/api/OLD_TOKEN');
    // "Declare secret" opens the form on the orphan's stack and component, its name and store filled in.
    await orphan.getByRole('button', { name: 'Declare secret' }).click();
    const declare = page.getByTestId('declare-dialog');
    await declare.getByTestId('declare-name').waitFor();
    expect(await declare.getByTestId('declare-name').inputValue()).toBe('OLD_TOKEN');
    expect(await declare.getByTestId('declare-store').inputValue()).toBe('keychain');
    await session.app.screenshot('health-orphan-declare');
    await page.keyboard.press('Escape');
    await declare.waitFor({ state: 'detached' });
    await orphan.getByRole('button', { name: 'Delete it' }).click();
    await page.getByTestId('orphan-delete-dialog').waitFor();
    await session.app.screenshot('health-orphan-delete');
    await page.getByTestId('orphan-delete-confirm').click();
    await orphan.getByText('deleted', { exact: true }).waitFor();
    expect(await appKeychain.list()).not.toContain('atmos-demo/plat/ue2/dev/api/OLD_TOKEN');

    await reused.getByRole('button', { name: 'Rotate it' }).click();
    await page.getByRole('heading', { name: 'Secrets', level: 1 }).waitFor();
    await page.getByTestId('set-dialog').waitFor();
    await session.app.screenshot('health-rotate-opens-secret');
  });
});
