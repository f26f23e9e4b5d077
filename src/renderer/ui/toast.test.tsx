// @vitest-environment happy-dom
import { act, screen } from '@testing-library/react';
import { useEffect } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IpcError } from '../ipc/client';
import { renderScreen } from '../test-support/render';
import { SUCCESS_TOAST_MS, ToastProvider, useToast, type ToastApi } from './toast';

const grabbed: { api: ToastApi | null } = { api: null };
function Grab(): null {
  const api = useToast();
  useEffect(() => {
    grabbed.api = api;
  });
  return null;
}
function toasts(): ToastApi {
  if (!grabbed.api) throw new Error('the provider did not render');
  return grabbed.api;
}
afterEach(() => {
  grabbed.api = null;
  vi.useRealTimers();
});

describe('toasts', () => {
  it('announces a result in the polite live region, and it leaves by itself', () => {
    vi.useFakeTimers();
    renderScreen(
      <ToastProvider>
        <Grab />
      </ToastProvider>,
      { advanceTimers: vi.advanceTimersByTime },
    );
    const region = screen.getByTestId('toasts');
    expect(region.getAttribute('aria-live')).toBe('polite');
    act(() => toasts().success('Saved DB_PASSWORD.'));
    expect(screen.getByRole('status').textContent).toContain('Saved DB_PASSWORD.');
    act(() => vi.advanceTimersByTime(SUCCESS_TOAST_MS - 1));
    expect(screen.queryByTestId('toast-success')).not.toBeNull();
    act(() => vi.advanceTimersByTime(1));
    expect(screen.queryByTestId('toast-success')).toBeNull();
  });

  it('shows an error as an alert with its file, line, hint and code one click away; it stays until dismissed', async () => {
    const { user } = renderScreen(
      <ToastProvider>
        <Grab />
      </ToastProvider>,
    );
    act(() =>
      toasts().error(
        new IpcError({
          code: 'YAML',
          message: 'invalid YAML',
          hint: 'Fix the YAML syntax at that position.',
          location: { file: 'stacks/dev.yaml', line: 4, column: 2 },
        }),
        'Stacks not loaded',
      ),
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Stacks not loaded: invalid YAML');
    expect(alert.textContent).not.toContain('stacks/dev.yaml');
    await user.click(screen.getByRole('button', { name: 'Details' }));
    expect(alert.textContent).toContain('In stacks/dev.yaml:4:2');
    expect(alert.textContent).toContain('Fix the YAML syntax at that position.');
    expect(alert.textContent).toContain('Code: YAML');
    expect(screen.getByRole('button', { name: 'Hide details' }).getAttribute('aria-expanded')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('keeps at most five, dropping the oldest', () => {
    renderScreen(
      <ToastProvider>
        <Grab />
      </ToastProvider>,
    );
    act(() => {
      for (let i = 1; i <= 7; i++) toasts().error(new Error(`failure ${i}`));
    });
    expect(screen.getAllByRole('alert').map((a) => a.textContent?.match(/failure \d/)?.[0])).toEqual([
      'failure 3',
      'failure 4',
      'failure 5',
      'failure 6',
      'failure 7',
    ]);
  });

  it('does nothing outside the provider (a page rendered on its own)', () => {
    renderScreen(<Grab />);
    expect(() => toasts().success('x')).not.toThrow();
    expect(screen.queryByTestId('toasts')).toBeNull();
  });
});
