// @vitest-environment happy-dom
import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderScreen } from '../test-support/render';
import { OperationProgress, PROGRESS_DELAY_MS } from './progress';
import type { OperationState } from './use-operation';

afterEach(() => vi.useRealTimers());

function op(over: Partial<OperationState>): OperationState {
  return {
    running: true,
    done: 0,
    total: 0,
    start: () => Promise.reject(new Error('unused')),
    cancel: vi.fn(),
    ...over,
  };
}

describe('OperationProgress', () => {
  it('shows nothing for the first half second, then the count, a bar and Cancel', async () => {
    vi.useFakeTimers();
    const running = op({ done: 3, total: 12 });
    const { rerender, user } = renderScreen(<OperationProgress op={running} label="Validating" />);
    act(() => vi.advanceTimersByTime(PROGRESS_DELAY_MS - 1));
    expect(screen.queryByTestId('operation-progress')).toBeNull();
    act(() => vi.advanceTimersByTime(1));
    expect(screen.getByTestId('operation-progress').textContent).toContain('Validating 3 of 12');
    expect(screen.getByRole('progressbar', { name: 'Validating' }).getAttribute('aria-valuenow')).toBe('3');
    vi.useRealTimers();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(running.cancel).toHaveBeenCalledTimes(1);

    rerender(<OperationProgress op={op({ running: false })} label="Validating" />);
    expect(screen.queryByTestId('operation-progress')).toBeNull();
  });

  it('a spinner while the total is unknown; an operation that ends quickly never shows', () => {
    vi.useFakeTimers();
    const { rerender } = renderScreen(<OperationProgress op={op({})} label="Exporting" />);
    act(() => vi.advanceTimersByTime(PROGRESS_DELAY_MS - 100));
    rerender(<OperationProgress op={op({ running: false })} label="Exporting" />);
    act(() => vi.advanceTimersByTime(1_000));
    expect(screen.queryByTestId('operation-progress')).toBeNull();

    rerender(<OperationProgress op={op({})} label="Exporting" />);
    act(() => vi.advanceTimersByTime(PROGRESS_DELAY_MS));
    expect(screen.getByTestId('operation-progress').textContent).toContain('Exporting…');
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});
