import { expect } from 'vitest';
import type { Locator } from 'playwright-core';

/** Waits until the element's text holds `text` (a diff line keeps its spaces, which getByText would fold). */
export async function waitText(locator: Locator, text: string): Promise<void> {
  await expect
    .poll(async () => ((await locator.count()) > 0 ? ((await locator.textContent()) ?? '') : ''), { timeout: 15_000 })
    .toContain(text);
}
