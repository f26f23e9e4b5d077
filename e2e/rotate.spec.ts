// Rotation on the demo, against the real OS keychain store: the consumers of the global DATADOG_API_KEY as a list
// (with the path each reads) and as a graph; the Rotate wizard generates a value in main, writes it once and
// reads it back through both consumers (all green); "Roll back" restores the previous value; the history panel
// shows when a SOPS-kept secret last changed and the rotation age. axe-core finds no serious or critical
// violation in the dialogs. Screenshots in both themes.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { goTo, setOrRotateButton } from './support/demo';
import { seriousAxeViolations } from './support/axe';
import { useDemoApp } from './support/demo-app';
import { appKeychain as keychain } from './support/keychain';

const session = useDemoApp();

const ACCOUNT = 'atmos-demo/DATADOG_API_KEY';
const WHERE = `store "keychain" (keychain) at ${ACCOUNT}`;
const PREVIOUS = 'e2e-previous-datadog-key';

function row(page: Page, secret: string) {
  return page.locator(`[data-testid="secret-row"][data-secret="${secret}"]`).first();
}

/** Sets a value through the Set dialog (a shared secret asks to confirm its consumers first). */
async function setValue(page: Page, secret: string, value: string): Promise<void> {
  await setOrRotateButton(row(page, secret), secret).click();
  const dialog = page.getByTestId('set-dialog');
  await dialog.getByTestId('secret-value').fill(value);
  await dialog.getByTestId('confirm-consumers').check();
  await dialog.getByTestId('save-secret').click();
  await dialog.waitFor({ state: 'detached' });
}

describe('rotate', () => {
  it('shows the consumers as a list and a graph, rotates with all consumers green, then rolls back', async () => {
    const { page } = session.app;
    await goTo(page, 'Secrets');
    await row(page, 'DATADOG_API_KEY').waitFor();
    await setValue(page, 'DATADOG_API_KEY', PREVIOUS);
    expect(await keychain.get(ACCOUNT)).toBe(JSON.stringify(PREVIOUS));

    await row(page, 'DATADOG_API_KEY').getByRole('button', { name: 'Consumers of DATADOG_API_KEY' }).click();
    const dialog = page.getByTestId('consumers-dialog');
    await dialog.getByTestId('consumers-table').waitFor();
    expect(await dialog.getByTestId('consumers-summary').textContent()).toBe('2 components in 2 stacks');
    expect(await dialog.getByTestId('consumer-row').allTextContents()).toEqual([
      `plat-ue2-devapi${WHERE}`,
      `plat-ue2-prodapi${WHERE}`,
    ]);
    await dialog.getByTestId('rotation-age').waitFor();
    expect(await seriousAxeViolations(page, '[role="dialog"]')).toEqual([]);
    await session.app.screenshot('rotate-consumers-list');

    await dialog.getByRole('button', { name: 'Graph' }).click();
    const graph = dialog.getByTestId('consumers-graph');
    await graph.getByTestId('graph-component').nth(1).waitFor();
    expect(
      await graph.getByTestId('graph-stack').evaluateAll((els) => els.map((e) => e.getAttribute('data-label'))),
    ).toEqual(['plat-ue2-dev', 'plat-ue2-prod']);
    expect(await graph.getByTestId('graph-component').count()).toBe(2);
    expect(await graph.locator('.react-flow__edge').count()).toBe(4);
    expect(await seriousAxeViolations(page, '[role="dialog"]')).toEqual([]);
    await session.app.screenshot('rotate-consumers-graph');

    await dialog.getByTestId('open-rotate-wizard').click();
    const wizard = page.getByTestId('rotate-wizard');
    await wizard.getByTestId('generate-alphabet').selectOption('base64url');
    await wizard.getByTestId('generate-length').fill('40');
    expect(await wizard.getByTestId('generate-bits').textContent()).toBe('240 bits');
    await wizard.getByTestId('wizard-next').click();
    await wizard.getByTestId('consumers-table').waitFor();
    await wizard.getByTestId('wizard-confirm').check();
    await session.app.screenshot('rotate-wizard-consumers');
    await wizard.getByTestId('wizard-rotate').click();
    expect(await wizard.getByTestId('verify-summary').textContent()).toBe('All 2 consumers read the new value.');
    expect(
      await wizard.getByTestId('consumer-check').evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))),
    ).toEqual(['ok', 'ok']);
    const rotated = JSON.parse((await keychain.get(ACCOUNT)) ?? 'null') as string;
    expect(rotated).toMatch(/^[A-Za-z0-9_-]{40}$/);
    // Generated in main: the page never saw it.
    expect(await page.content()).not.toContain(rotated);
    expect(await seriousAxeViolations(page, '[role="dialog"]')).toEqual([]);
    await session.app.screenshot('rotate-verified');

    await wizard.getByTestId('roll-back').click();
    expect(await wizard.getByTestId('rolled-back').textContent()).toBe(
      `Rolled back: restored the previous value of DATADOG_API_KEY in ${WHERE}.`,
    );
    expect(await keychain.get(ACCOUNT)).toBe(JSON.stringify(PREVIOUS));
    await session.app.screenshot('rotate-rolled-back');
    await wizard.getByTestId('wizard-done').click();
    await wizard.waitFor({ state: 'detached' });
  });

  it('the history panel shows when a SOPS-kept secret last changed and the rotation age', async () => {
    const { page } = session.app;
    await goTo(page, 'Secrets');
    await row(page, 'GRAFANA_ADMIN_PASSWORD').waitFor();
    // Rotating with a generated value from the Set dialog: written, read back, closed with a success toast.
    await setOrRotateButton(row(page, 'GRAFANA_ADMIN_PASSWORD'), 'GRAFANA_ADMIN_PASSWORD').click();
    const dialog = page.getByTestId('set-dialog');
    await dialog.getByTestId('generate-value').click();
    await dialog.getByTestId('confirm-consumers').check();
    await dialog.getByTestId('save-secret').click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByTestId('toasts')
      .getByText('Rotated GRAFANA_ADMIN_PASSWORD: all 2 consumers read the new value.')
      .waitFor();

    await row(page, 'GRAFANA_ADMIN_PASSWORD')
      .getByRole('button', { name: 'History of GRAFANA_ADMIN_PASSWORD' })
      .click();
    const history = page.getByTestId('history-dialog');
    const age = history.getByTestId('rotation-age');
    await age.getByTestId('last-changed').waitFor();
    expect(await age.textContent()).toContain('(0 days ago)');
    expect(await age.textContent()).toContain('lastmodified');
    expect(await age.textContent()).toContain('Maximum rotation age: 90 days');
    await session.app.screenshot('rotate-history');
  });
});
