// The app on a large estate, in a real browser: the bench's synthetic repository (1,000 stacks x 50
// components, bench/config/generate.ts) with three secrets declared on every component. The stack tree (51,000
// items) and the secrets table put only what is in view into the DOM, and stay usable from the keyboard.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_REPO, generateRepo } from '../bench/config/generate';
import { goTo } from './support/demo';
import { launchApp, type LaunchedApp } from './support/launch';

const SECRETS_PER_COMPONENT = 3;
let root: string;
let app: LaunchedApp;

/** Declares SECRETS_PER_COMPONENT secrets on the estate's abstract bases, which every component inherits. */
function declareSecrets(dir: string): void {
  const atmosFile = join(dir, 'atmos.yaml');
  const atmos = parse(readFileSync(atmosFile, 'utf8')) as Record<string, Record<string, unknown> | undefined>;
  atmos['stores'] = { ...atmos['stores'], 'e2e-estate': { kind: 'keychain', options: { prefix: 'atmos-e2e-estate' } } };
  writeFileSync(atmosFile, stringify(atmos));
  const basesFile = join(dir, 'stacks/catalog/bases.yaml');
  const bases = parse(readFileSync(basesFile, 'utf8')) as {
    components: { terraform: Record<string, Record<string, unknown>> };
  };
  for (const [name, base] of Object.entries(bases.components.terraform)) {
    const vars: Record<string, unknown> = {};
    for (let i = 0; i < SECRETS_PER_COMPONENT; i++)
      vars[`E2E_TOKEN_${i}`] = { store: 'e2e-estate', description: `token ${i} of ${name}` };
    base['secrets'] = { vars };
  }
  writeFileSync(basesFile, stringify(bases));
}

beforeAll(() => {
  root = join(mkdtempSync(join(tmpdir(), 'atmos-e2e-estate-')), 'estate');
  generateRepo(root, DEFAULT_REPO);
  declareSecrets(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(async () => {
  app = await launchApp();
  await app.page.getByTestId('workspace-path').fill(root);
  await app.page.getByTestId('open-workspace').click();
  await app.page.getByTestId('sidebar-workspace').filter({ hasText: 'estate' }).waitFor({ timeout: 60_000 });
});
afterEach(async () => {
  await app.close();
});

describe('a 1,000-stack estate', () => {
  it('draws only the tree items in view, and the keyboard reaches the last of 51,000', async () => {
    const { page } = app;
    const tree = page.getByRole('tree', { name: 'Stacks and components' });
    await tree.getByRole('treeitem').first().waitFor({ timeout: 60_000 });
    const items = tree.getByRole('treeitem');
    expect(await items.count()).toBeLessThan(100);
    expect(await items.first().getAttribute('aria-setsize')).toBe(String(DEFAULT_REPO.stacks));

    await items.first().focus();
    await page.keyboard.press('End');
    const last = tree.locator(`[role="treeitem"][data-stack$="-s${DEFAULT_REPO.stacks - 1}"]`).last();
    await last.waitFor();
    expect(await last.evaluate((el) => el === document.activeElement)).toBe(true);
    // The last component of the last stack (its components and the abstract bases it imports).
    expect(await last.getAttribute('aria-posinset')).toBe(await last.getAttribute('aria-setsize'));
    expect(Number(await last.getAttribute('aria-setsize'))).toBeGreaterThanOrEqual(DEFAULT_REPO.componentsPerStack);
    expect(await items.count()).toBeLessThan(100);

    await page.getByTestId('tree-filter').fill(`-s${DEFAULT_REPO.stacks - 1}`);
    // The filter applies on the next render: wait for the filtered stack's row, then check it comes first.
    await tree.locator(`[role="treeitem"][aria-level="1"][data-stack$="-s${DEFAULT_REPO.stacks - 1}"]`).waitFor();
    // The filtered list starts from its top: the stack itself.
    expect(await items.first().getAttribute('aria-level')).toBe('1');
    expect(await items.first().getAttribute('data-stack')).toMatch(new RegExp(`-s${DEFAULT_REPO.stacks - 1}$`));
    await app.screenshot('estate-stacks');
  });

  it('draws only the secret rows in view for a whole stack, with the full count for assistive technology', async () => {
    const { page } = app;
    await goTo(page, 'Secrets');
    const table = page.getByTestId('secrets-table');
    await table.waitFor({ timeout: 60_000 });
    const rowCount = Number(await table.getAttribute('aria-rowcount')) - 1;
    expect(rowCount).toBeGreaterThanOrEqual(DEFAULT_REPO.componentsPerStack * SECRETS_PER_COMPONENT);
    expect(await page.getByTestId('secrets-count').textContent()).toBe(`${rowCount} secrets`);
    expect(await page.getByTestId('secret-row').count()).toBeLessThan(60);

    // Tabbing past the last drawn row draws the next ones.
    const drawn = page.getByTestId('secret-row');
    const lastDrawn = Number(await drawn.last().getAttribute('aria-rowindex'));
    await drawn.last().getByRole('button').last().focus();
    await page.keyboard.press('Tab');
    await page.locator(`[data-testid="secret-row"][aria-rowindex="${lastDrawn + 1}"]`).waitFor();

    await page.getByTestId('secrets-filter').fill('E2E_TOKEN_2 comp-');
    expect(await page.getByTestId('secrets-count').textContent()).toBe(
      `${DEFAULT_REPO.componentsPerStack} of ${rowCount}`,
    );
    await app.screenshot('estate-secrets');
  });
});
