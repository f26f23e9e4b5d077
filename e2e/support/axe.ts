// axe-core on what the page shows now, in the light and the dark scheme: the serious and critical violations,
// each as `scheme rule: targets`, so a spec asserts `toEqual([])` and a failure names the rule and elements.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** `within`: a CSS selector to check only inside (a dialog, a panel); the whole page without it. */
export async function seriousAxeViolations(page: Page, within?: string): Promise<string[]> {
  const out: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const builder = new AxeBuilder({ page });
    const result = await (within ? builder.include(within) : builder).analyze();
    for (const v of result.violations)
      if (v.impact === 'serious' || v.impact === 'critical')
        out.push(`${scheme} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  // Back to the OS scheme, which the app follows unless the person picked a theme.
  await page.emulateMedia({ colorScheme: null });
  return out;
}
