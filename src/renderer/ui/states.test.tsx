// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { IpcError } from '../ipc/client';
import { renderScreen } from '../test-support/render';
import { ErrorBoundary } from './ErrorBoundary';
import { RefreshProvider } from './refresh';
import { ErrorState } from './states';

const yamlError = new IpcError({
  code: 'YAML',
  message: 'invalid YAML: unexpected end of the stream',
  hint: 'Fix the YAML syntax at that position.',
  location: { file: '/ws/stacks/dev.yaml', line: 14, column: 1 },
});

describe('ErrorState', () => {
  it('names the file and line, and its own retry is "Try again"', async () => {
    const retry = vi.fn();
    const { user } = renderScreen(<ErrorState error={yamlError} onRetry={retry} />);
    expect(screen.getByTestId('error-where').textContent).toBe('In /ws/stacks/dev.yaml:14:1');
    expect(screen.getByRole('alert').textContent).toContain('Fix the YAML syntax at that position.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('a configuration error without a retry of its own reloads the workspace on "Try again"', async () => {
    const reload = vi.fn();
    const { user } = renderScreen(
      <RefreshProvider generation={0} reload={reload}>
        <ErrorState error={yamlError} />
      </RefreshProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('offers no "Try again" for a failed action without a retry', () => {
    renderScreen(
      <RefreshProvider generation={0} reload={vi.fn()}>
        <ErrorState error={new IpcError({ code: 'AUTH', message: 'The store refused the token.' })} />
      </RefreshProvider>,
    );
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(screen.queryByTestId('error-where')).toBeNull();
  });
});

describe('ErrorBoundary', () => {
  it('shows a page that throws as an error in its place, and "Try again" draws it afresh', async () => {
    let fail = true;
    function Page(): string {
      if (fail) throw new Error('cannot read rows');
      return 'the page';
    }
    // React reports the caught error on the console; it is expected here.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { user } = renderScreen(
      <>
        <nav>sidebar</nav>
        <ErrorBoundary what="the Secrets page">
          <Page />
        </ErrorBoundary>
      </>,
    );
    expect(screen.getByRole('alert').textContent).toContain(
      'Something went wrong drawing the Secrets page: cannot read rows',
    );
    expect(screen.getByText('sidebar')).toBeTruthy();
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByText('the page')).toBeTruthy();
    quiet.mockRestore();
  });
});
