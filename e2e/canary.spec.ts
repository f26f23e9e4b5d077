// Leak canary for the renderer (issue 9, proof 4): distinctive values, one of them past 64 KB, set through the
// app never appear in the page's DOM (document.documentElement.outerHTML) or in any message the page receives
// over IPC, except while the person has revealed one: then it is in the DOM and in that reveal's response, and
// once the reveal times out it is gone from the DOM again.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { goTo, setOrRotateButton } from './support/demo';
import { useDemoApp } from './support/demo-app';
import { appKeychain } from './support/keychain';
import { launchBrowserApp } from './support/launch';

/** How long a revealed value stays (RevealValue.tsx). */
const REVEAL_MS = 20_000;
const tag = randomBytes(6).toString('hex');
const SMALL = `dom-CANARY-${tag}`;
// Past 64 KB, and distinctive all the way through: a copy of any 64-char slice of it is a leak too.
const BIG = `big-CANARY-${tag}-${randomBytes(36_000).toString('hex')}`;
const BIG_SLICES = [BIG.slice(0, 64), BIG.slice(40_000, 40_064), BIG.slice(-64)];

const session = useDemoApp({ launch: launchBrowserApp });

const dom = (page: Page): Promise<string> => page.evaluate(() => document.documentElement.outerHTML);

/** Which canaries a text holds, by name, so a failure says which leaked without printing it. */
function leaks(text: string): string[] {
  const found: string[] = [];
  if (text.includes(SMALL)) found.push('small');
  if (BIG_SLICES.some((s) => text.includes(s))) found.push('big');
  return found;
}

function row(page: Page, secret: string) {
  return page.locator(`[data-testid="secret-row"][data-secret="${secret}"]`);
}

async function setThroughDialog(page: Page, secret: string, value: string): Promise<void> {
  await setOrRotateButton(row(page, secret), secret).click();
  const dialog = page.getByTestId('set-dialog');
  await dialog.getByTestId('secret-value').fill(value);
  // Typed, and even shown in clear text, the value stays out of the markup.
  await dialog.getByRole('button', { name: 'Show' }).click();
  expect(leaks(await dom(page))).toEqual([]);
  await dialog.getByTestId('save-secret').click();
  await dialog.waitFor({ state: 'detached' });
}

/** Both canaries in dev's api, and the small one again in prod's: a value reused across environments. */
async function setInDevAndProd(page: Page): Promise<void> {
  await goTo(page, 'Secrets');
  await page.getByTestId('component-select').selectOption('api');
  await row(page, 'DB_PASSWORD').waitFor();
  await setThroughDialog(page, 'DB_PASSWORD', SMALL);
  await setThroughDialog(page, 'STRIPE_API_KEY', BIG);
  await page.getByTestId('stack-select').selectOption('plat-ue2-prod');
  await page.getByTestId('component-select').selectOption('api');
  await row(page, 'DB_PASSWORD').waitFor();
  await setThroughDialog(page, 'DB_PASSWORD', SMALL);
}

/** Messages other than the reveals' own responses that carry a canary, by channel. */
function leakyMessages(): string[] {
  return session.app.received
    .filter((m) => m.channel !== 'secrets:reveal')
    .filter((m) => leaks(m.body).length > 0)
    .map((m) => `${m.kind} ${m.channel ?? ''}: ${leaks(m.body).join(', ')}`);
}

describe('renderer leak canary', () => {
  it('keeps set values out of the DOM and IPC until revealed, and out again when the reveal times out', async () => {
    const { page } = session.app;
    expect(BIG.length).toBeGreaterThan(64 * 1024);
    await goTo(page, 'Secrets');
    await page.getByTestId('component-select').selectOption('api');
    await row(page, 'DB_PASSWORD').waitFor();

    await setThroughDialog(page, 'DB_PASSWORD', SMALL);
    await setThroughDialog(page, 'STRIPE_API_KEY', BIG);
    // Set for real (the reveals below read both back whole).
    expect(await appKeychain.list()).toEqual(
      expect.arrayContaining(['atmos-demo/plat/ue2/dev/api/DB_PASSWORD', 'atmos-demo/plat/ue2/dev/api/STRIPE_API_KEY']),
    );

    // Every screen that shows these secrets, each with what it fetches.
    await page.getByTestId('check-backends').click();
    await page.getByTestId('check-backends').waitFor();
    expect(await row(page, 'STRIPE_API_KEY').getByTestId('secret-status').textContent()).toBe('initialized');
    expect(leaks(await dom(page))).toEqual([]);
    await goTo(page, 'Stacks');
    await page.locator('[role="treeitem"][data-stack="plat-ue2-dev"][data-component="worker"]').click();
    await page.getByTestId('section-env').waitFor();
    expect(leaks(await dom(page))).toEqual([]);
    await goTo(page, 'Validate');
    await page.getByTestId('run-validate').click();
    await page.getByTestId('validate-problems').waitFor();
    expect(leaks(await dom(page))).toEqual([]);
    await goTo(page, 'Keys');
    await page.getByTestId('keys-table').or(page.getByTestId('empty')).first().waitFor();
    expect(leaks(await dom(page))).toEqual([]);

    // The checks above looked at real traffic: listings, a verify run with progress events, describe, validate.
    const channels = new Set(session.app.received.map((m) => m.channel));
    for (const c of ['secrets:set', 'secrets:list', 'stacks:component', 'secrets:validate'])
      expect(channels).toContain(c);
    expect(session.app.received.filter((m) => m.kind === 'event').length).toBeGreaterThan(0);
    expect(session.app.received.filter((m) => m.channel === 'secrets:reveal')).toEqual([]);
    expect(leakyMessages()).toEqual([]);

    // Revealed on request: in the DOM until the reveal times out. The page's clock is faked from here so the
    // timeout passes without waiting for it.
    await page.clock.install();
    await goTo(page, 'Secrets');
    await page.getByTestId('component-select').selectOption('api');
    await row(page, 'DB_PASSWORD').getByRole('button', { name: 'Reveal DB_PASSWORD' }).click();
    await page.getByTestId('revealed-value').waitFor();
    expect(leaks(await dom(page))).toEqual(['small']);
    await page.clock.fastForward(REVEAL_MS - 1_000);
    expect(leaks(await dom(page))).toEqual(['small']);
    await page.clock.fastForward(1_000);
    await page.getByTestId('revealed-value').waitFor({ state: 'detached' });
    expect(leaks(await dom(page))).toEqual([]);

    await row(page, 'STRIPE_API_KEY').getByRole('button', { name: 'Reveal STRIPE_API_KEY' }).click();
    await page.getByTestId('revealed-value').waitFor();
    // Compared as a boolean so a failure does not print 72 KB.
    expect((await page.getByTestId('revealed-value').textContent()) === BIG).toBe(true);
    expect(leaks(await dom(page))).toEqual(['big']);
    await page.clock.fastForward(REVEAL_MS);
    await page.getByTestId('revealed-value').waitFor({ state: 'detached' });
    expect(leaks(await dom(page))).toEqual([]);

    // The values reached the page only in the two reveals' responses.
    const reveals = session.app.received.filter((m) => m.channel === 'secrets:reveal');
    expect(reveals.map((m) => leaks(m.body))).toEqual([['small'], ['big']]);
    expect(leakyMessages()).toEqual([]);
    await session.app.screenshot('canary-after-reveal');
  });

  it('keeps values and unkeyed hashes of them out of the Health page and its IPC, with a value reused in prod', async () => {
    const { page } = session.app;
    await setInDevAndProd(page);

    await goTo(page, 'Health');
    await page.getByTestId('run-health').click();
    await page.getByTestId('health-count-reused-across-environments').waitFor();
    const html = await dom(page);
    expect(leaks(html)).toEqual([]);
    const audits = session.app.received.filter((m) => m.channel === 'health:audit');
    expect(audits.length).toBeGreaterThan(0);
    expect(leakyMessages()).toEqual([]);
    // No unkeyed hash of a value either: sha256, sha1 and md5, in hex and base64, in the DOM or any message.
    const hashes = [SMALL, BIG].flatMap((v) =>
      ['sha256', 'sha1', 'md5'].flatMap((alg) => {
        const d = createHash(alg).update(v, 'utf8').digest();
        return [d.toString('hex'), d.toString('base64'), d.toString('base64url')];
      }),
    );
    const texts = [html, ...session.app.received.map((m) => m.body)];
    expect(hashes.filter((h) => texts.some((t) => t.includes(h)))).toEqual([]);
    await session.app.screenshot('canary-health');
  });

  it('keeps values and unkeyed hashes of them out of Explain (with its status check) and the Diff page', async () => {
    const { page } = session.app;
    await setInDevAndProd(page);

    await row(page, 'DB_PASSWORD').getByRole('button', { name: 'Explain DB_PASSWORD' }).click();
    await page.getByTestId('explain-verify').click();
    expect(await page.getByTestId('explain-status').textContent()).toBe('initialized');
    const explainHtml = await dom(page);
    await page.getByTestId('explain-dialog').getByRole('button', { name: 'Close' }).click();

    await goTo(page, 'Diff');
    await page.getByTestId('diff-stack-a').selectOption('plat-ue2-dev');
    await page.getByTestId('diff-stack-b').selectOption('plat-ue2-prod');
    await page.getByTestId('diff-run').click();
    const dbRow = page.locator('[data-testid="diff-row"][data-secret="DB_PASSWORD"]');
    expect(await dbRow.getByTestId('diff-verdict').textContent()).toContain('equal values');
    const stripe = page.locator('[data-testid="diff-row"][data-secret="STRIPE_API_KEY"]');
    expect(await stripe.getByTestId('diff-verdict').textContent()).toContain('set in A only');
    const diffHtml = await dom(page);

    for (const html of [explainHtml, diffHtml]) expect(leaks(html)).toEqual([]);
    const channels = new Set(session.app.received.map((m) => m.channel));
    for (const c of ['explain:secret', 'diff:stacks']) expect(channels).toContain(c);
    expect(leakyMessages()).toEqual([]);
    const hashes = [SMALL, BIG].flatMap((v) =>
      ['sha256', 'sha1', 'md5'].flatMap((alg) => {
        const d = createHash(alg).update(v, 'utf8').digest();
        return [d.toString('hex'), d.toString('base64'), d.toString('base64url')];
      }),
    );
    const texts = [explainHtml, diffHtml, ...session.app.received.map((m) => m.body)];
    expect(hashes.filter((h) => texts.some((t) => t.includes(h)))).toEqual([]);
    await session.app.screenshot('canary-diff');
  });
});
