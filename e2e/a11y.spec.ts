// Accessibility: axe-core on every page of the sidebar (read from the sidebar itself, so pages added later are
// covered), in the light and the dark scheme, with the demo open. No serious or critical violation is allowed;
// a failure lists each one as page / scheme / rule / elements.
import AxeBuilder from '@axe-core/playwright';
import { afterEach, describe, expect, it } from 'vitest';
import { openDemo } from './support/demo';
import { launchApp, type LaunchedApp } from './support/launch';

let app: LaunchedApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

interface Finding {
  readonly page: string;
  readonly scheme: string;
  readonly rule: string;
  readonly impact: string;
  readonly targets: string[];
}

/** Runs axe on what is on screen now, in both schemes, and records the serious and critical violations. */
async function check(app: LaunchedApp, where: string, findings: Finding[]): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await app.page.emulateMedia({ colorScheme: scheme });
    const result = await new AxeBuilder({ page: app.page }).analyze();
    for (const v of result.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue;
      findings.push({
        page: where,
        scheme,
        rule: v.id,
        impact: v.impact,
        targets: v.nodes.map((n) => n.target.join(' ')),
      });
    }
  }
}

describe('accessibility', () => {
  it('has no serious or critical axe violation on any page, light or dark', async () => {
    app = await launchApp();
    const { page } = app;
    await openDemo(page);
    const nav = page.getByRole('navigation', { name: 'Pages' });
    const labels = await nav.getByRole('button').allTextContents();
    expect(labels).toContain('Workspace');
    expect(labels).toContain('Settings');

    const findings: Finding[] = [];
    for (const label of labels) {
      await nav.getByRole('button', { name: label, exact: true }).click();
      await nav.getByRole('button', { name: label, exact: true }).and(page.locator('[aria-current="page"]')).waitFor();
      // Let the page finish loading its data (every loading state is a role=status "Loading ..." line).
      await expect.poll(() => page.getByTestId('loading').count(), { timeout: 15_000 }).toBe(0);
      await check(app, label, findings);
      await app.screenshot(`a11y-${label.toLowerCase().replace(/\W+/g, '-')}`);
    }
    // Toasts and the command palette, drawn over a page: the theme toggle goes round to "Follow the system"
    // again, leaving its toasts on screen.
    for (const next of ['Light', 'Dark', 'Follow the system']) {
      await page.getByTestId('theme-toggle').click();
      await page.getByTestId('theme-toggle').filter({ hasText: `Theme: ${next}` }).waitFor();
    }
    await page.getByTestId('toast-success').first().waitFor();
    await check(app, 'Toasts', findings);
    await page.keyboard.press('Control+K');
    await page.getByTestId('palette').waitFor();
    await check(app, 'Command palette', findings);
    await page.emulateMedia({ colorScheme: null });
    expect(findings).toEqual([]);
  });
});
