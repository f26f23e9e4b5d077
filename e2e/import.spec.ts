// The `!store` import wizard on the demo: the api catalog's `!store legacy atmos shared client_secret` (keychain
// store `legacy`) is proposed as a global CLIENT_SECRET; the dry-run plan comes first; the run copies the value
// (the source stays), declares it and rewrites the use to `!secret` in place, comments kept.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appKeychain } from './support/keychain';
import { goTo } from './support/demo';
import { seriousAxeViolations } from './support/axe';
import { useDemoApp } from './support/demo-app';
import { waitText } from './support/wait';

const API_CATALOG = 'stacks/catalog/api/defaults.yaml';
const SOURCE = 'legacy/atmos/shared/client_secret';

const session = useDemoApp();

describe('import wizard', () => {
  it('scan -> proposals -> dry-run plan -> run -> per-item report', async () => {
    const { page } = session.app;
    // The keychain store keeps values JSON-encoded.
    await appKeychain.set(SOURCE, JSON.stringify('e2e-legacy-client-secret'));
    const before = readFileSync(join(session.demo, API_CATALOG), 'utf8');

    await goTo(page, 'Import');
    const proposal = page.getByTestId('import-proposal');
    await proposal.waitFor();
    expect(await proposal.getByTestId('import-name').inputValue()).toBe('CLIENT_SECRET');
    expect(await proposal.getByTestId('import-scope').inputValue()).toBe('global');
    expect(await proposal.getByTestId('import-store').inputValue()).toBe('legacy');
    await session.app.screenshot('import-proposals');

    await page.getByTestId('import-plan-button').click();
    await page.getByTestId('import-plan').waitFor();
    await waitText(page.getByTestId('import-diff'), '+        CLIENT_SECRET: !secret CLIENT_SECRET');
    // The dry run wrote nothing.
    expect(readFileSync(join(session.demo, API_CATALOG), 'utf8')).toBe(before);
    expect(await appKeychain.get('legacy/CLIENT_SECRET')).toBeNull();
    await session.app.screenshot('import-plan');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByTestId('import-run').click();
    await page.getByTestId('import-report').waitFor();
    expect(await page.getByTestId('import-summary').textContent()).toBe('1 done, 0 failed, 0 skipped.');
    await session.app.screenshot('import-report');

    expect(await appKeychain.get('legacy/CLIENT_SECRET')).toBe(JSON.stringify('e2e-legacy-client-secret'));
    expect(await appKeychain.get(SOURCE)).toBe(JSON.stringify('e2e-legacy-client-secret'));
    const after = readFileSync(join(session.demo, API_CATALOG), 'utf8');
    expect(after).toContain(
      '        # Written by the old hand-built path; import it into a declared secret, then delete this line.\n        CLIENT_SECRET: !secret CLIENT_SECRET\n',
    );
    expect(after).toContain('          CLIENT_SECRET:\n            store: legacy\n            scope: global\n');
    expect(await page.content()).not.toContain('e2e-legacy-client-secret');
  });
});
