// A SOPS secret in the app, on the demo: the first set generates the provider's age key into the OS keychain
// and creates the encrypted file; the value reads back in the app and with an independent SOPS reader
// (sops-age); the Keys page shows the key's name and makes another on request.
import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decryptSops } from 'sops-age';
import { parseAgeKeyList } from '../src/main/sops';
import { goTo } from './support/demo';
import { appKeychain } from './support/keychain';
import { useDemoApp } from './support/demo-app';

const VALUE = 'e2e-sops-CANARY-grafana';
const KEY_ACCOUNT = 'atmos-demo/sops-age/demo-sops';
const session = useDemoApp();

describe('SOPS in the app', () => {
  it('generates the key on first use, writes the encrypted file, and reads it back', async () => {
    const { page } = session.app;
    await goTo(page, 'Secrets');
    const row = page.locator('[data-testid="secret-row"][data-secret="GRAFANA_ADMIN_PASSWORD"]');
    expect(await row.textContent()).toContain('sops:demo-sops');
    expect(await row.getByTestId('secret-status').textContent()).toBe('missing');

    await row.getByRole('button', { name: 'Set GRAFANA_ADMIN_PASSWORD' }).click();
    const dialog = page.getByTestId('set-dialog');
    await dialog.getByTestId('secret-value').fill(VALUE);
    await dialog.getByTestId('confirm-consumers').check();
    await dialog.getByTestId('save-secret').click();
    await dialog.waitFor({ state: 'detached' });
    const notice = await page.getByTestId('notice').textContent();
    expect(notice).toContain('generated');
    expect(notice).toContain(KEY_ACCOUNT);
    await session.app.screenshot('sops-first-set');

    const file = join(session.demo, 'secrets/plat-ue2-dev.enc.yaml');
    const text = readFileSync(file, 'utf8');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(text).not.toContain(VALUE);
    expect(text).toContain('GRAFANA_ADMIN_PASSWORD: ENC[AES256_GCM,');
    expect(await appKeychain.list()).toEqual([KEY_ACCOUNT]);

    // An independent SOPS implementation opens what the app wrote, with the key from the keychain.
    const identity = parseAgeKeyList((await appKeychain.get(KEY_ACCOUNT)) ?? '')[0];
    const decrypted = (await decryptSops(text, { secretKey: identity, fileType: 'yaml' })) as Record<string, unknown>;
    expect(decrypted['GRAFANA_ADMIN_PASSWORD']).toBe(VALUE);

    await row.getByRole('button', { name: 'Reveal GRAFANA_ADMIN_PASSWORD' }).click();
    expect(await page.getByTestId('revealed-value').textContent()).toBe(VALUE);
  });

  it('lists the key by name and generates another only when asked to keep the old one', async () => {
    const { page } = session.app;
    await goTo(page, 'Keys');
    await page.getByTestId('keygen-demo-sops').click();
    const first = await page.getByTestId('keygen-recipient').textContent();
    expect(first).toMatch(/^age1[0-9a-z]+$/);
    await page.getByTestId('key-row').filter({ hasText: KEY_ACCOUNT }).waitFor();
    expect(await page.content()).not.toContain('AGE-SECRET-KEY');
    expect(readFileSync(join(session.demo, '.sops.yaml'), 'utf8')).toContain(first ?? 'missing');

    await page.getByTestId('keygen-demo-sops').click();
    await page.getByTestId('age-keys').getByTestId('error').waitFor();
    await session.app.screenshot('keys-age-exists');

    await page.getByRole('checkbox', { name: /Add another key/ }).check();
    await page.getByTestId('keygen-demo-sops').click();
    const second = await page.getByTestId('keygen-recipient').textContent();
    expect(second).toMatch(/^age1/);
    expect(second).not.toBe(first);
    expect(parseAgeKeyList((await appKeychain.get(KEY_ACCOUNT)) ?? '')).toHaveLength(2);
    await session.app.screenshot('keys-age-generated');
  });
});
