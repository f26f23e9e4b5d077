// Opening a workspace by path, the errors a wrong folder gets, recent workspaces, and opening the demo.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchApp, type LaunchedApp } from './support/launch';
import { REPO_ROOT } from '../test/support/paths';

let app: LaunchedApp;
beforeEach(async () => {
  app = await launchApp();
});
afterEach(async () => {
  await app.close();
});

describe('workspace', () => {
  it('opens a folder with atmos.yaml and remembers it', async () => {
    const { page } = app;
    const folder = mkdtempSync(join(tmpdir(), 'atmos-e2e-ws-'));
    writeFileSync(join(folder, 'atmos.yaml'), 'base_path: "."\n');
    await page.getByTestId('empty').filter({ hasText: 'No recent workspaces' }).waitFor();
    await app.screenshot('workspace-empty');

    await page.getByTestId('workspace-path').fill(folder);
    await page.getByTestId('open-workspace').click();
    await page
      .getByTestId('sidebar-workspace')
      .filter({ hasText: folder.split('/').pop() })
      .waitFor();
    // Opening moves on to the stacks; the workspace page then shows it as current and recent.
    await page.getByRole('heading', { name: 'Stacks' }).waitFor();
    await page.getByRole('button', { name: 'Workspace', exact: true }).click();
    await page.getByTestId('current-workspace').filter({ hasText: folder }).waitFor();
    await page.getByTestId('recent-list').filter({ hasText: folder }).waitFor();
    await app.screenshot('workspace-open');
  });

  it('explains a folder without atmos.yaml, with the fix', async () => {
    const { page } = app;
    const folder = mkdtempSync(join(tmpdir(), 'atmos-e2e-empty-'));
    await page.getByTestId('workspace-path').fill(folder);
    await page.getByTestId('open-workspace').click();
    const error = page.getByTestId('error');
    await error.waitFor();
    expect(await error.textContent()).toContain(`${folder} has no atmos.yaml.`);
    expect(await error.textContent()).toContain('Open the root of an Atmos repository');
    await app.screenshot('workspace-error');
  });

  it('copies the demo to a chosen folder and opens it, leaving the installed copy alone', async () => {
    const { page } = app;
    const target = join(mkdtempSync(join(tmpdir(), 'atmos-e2e-demo-')), 'my-demo');
    const before = readFileSync(join(REPO_ROOT, 'examples/demo/atmos.yaml'), 'utf8');
    await page.getByTestId('demo-target').fill(target);
    await page.getByTestId('open-demo').click();
    await page.getByTestId('sidebar-workspace').filter({ hasText: 'my-demo' }).waitFor();
    expect(existsSync(join(target, 'atmos.yaml'))).toBe(true);
    expect(existsSync(join(target, 'stacks/catalog/api/defaults.yaml'))).toBe(true);
    expect(readFileSync(join(REPO_ROOT, 'examples/demo/atmos.yaml'), 'utf8')).toBe(before);
    await app.screenshot('workspace-demo');
  });
});
