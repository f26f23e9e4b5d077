// Test support: renders a screen into happy-dom with a user-event session, and unmounts it after each test.
import { cleanup, render, type RenderResult } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { afterEach } from 'vitest';

afterEach(cleanup);

/** `options` go to user-event; with fake timers pass `{ advanceTimers: vi.advanceTimersByTime }`. */
export function renderScreen(
  ui: ReactElement,
  options?: Parameters<typeof userEvent.setup>[0],
): RenderResult & { user: UserEvent } {
  const user = userEvent.setup(options);
  return { user, ...render(ui) };
}

/** The whole document as markup: what a canary must never be found in. */
export function documentMarkup(): string {
  return document.documentElement.outerHTML;
}
