// Opens a fresh copy of the bundled demo in the app, through its own "Open the demo" flow.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export async function openDemo(page: Page): Promise<string> {
  const target = join(mkdtempSync(join(tmpdir(), 'atmos-e2e-demo-')), 'demo');
  await page.getByTestId('demo-target').fill(target);
  await page.getByTestId('open-demo').click();
  await page.getByTestId('sidebar-workspace').filter({ hasText: 'demo' }).waitFor();
  return target;
}

export async function goTo(
  page: Page,
  name: 'Workspace' | 'Stacks' | 'Secrets' | 'Validate' | 'Keys' | 'Stores',
): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name, exact: true }).click();
}
