// Opens a fresh copy of the bundled demo in the app, through its own "Open the demo" flow.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';

export async function openDemo(page: Page): Promise<string> {
  const target = join(mkdtempSync(join(tmpdir(), 'atmos-e2e-demo-')), 'demo');
  await page.getByTestId('demo-target').fill(target);
  await page.getByTestId('open-demo').click();
  await page.getByTestId('sidebar-workspace').filter({ hasText: 'demo' }).waitFor();
  return target;
}

/** Clicks a page's sidebar button by its label (`Stacks`, `Secrets`, ...: the labels in src/renderer/pages.tsx). */
export async function goTo(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name, exact: true }).click();
}

/**
 * Adds a store to a demo copy's atmos.yaml (`storeYaml`: its lines under `stores:`, indented two spaces) and a
 * declaration to the api component's `secrets.vars` (`secretYaml`: its lines, indented ten spaces), then visits
 * Workspace and Stacks so the app reloads the workspace from disk.
 */
export async function addStoreAndSecret(
  page: Page,
  demo: string,
  storeYaml: string,
  secretYaml: string,
): Promise<void> {
  const config = join(demo, 'atmos.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('stores:\n', `stores:\n${storeYaml}`));
  const api = join(demo, 'stacks/catalog/api/defaults.yaml');
  writeFileSync(
    api,
    readFileSync(api, 'utf8').replace(
      '      secrets:\n        vars:\n',
      `      secrets:\n        vars:\n${secretYaml}`,
    ),
  );
  await goTo(page, 'Workspace');
  await goTo(page, 'Stacks');
  await page.getByRole('heading', { name: 'Stacks' }).waitFor();
}

/**
 * A secrets row's main action, by its accessible name: "Set X" where the value is missing, "Rotate X" where it
 * exists (the name starts with the visible word). Both open the Set dialog.
 */
export function setOrRotateButton(row: Locator, secret: string): Locator {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return row.getByRole('button', { name: new RegExp(`^(Set|Rotate) ${escaped}$`) });
}
