// @vitest-environment happy-dom
import { act, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Res } from '../../../shared/ipc/contract';
import { IpcError } from '../../ipc/client';
import { answer, callsTo, emitProgress } from '../../test-support/ipc-mock';
import { fakeLayout } from '../../test-support/layout';
import { renderScreen } from '../../test-support/render';
import { stackListing } from '../../test-support/rows';
import { ValidatePage } from './ValidatePage';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

beforeEach(() => {
  // happy-dom lays nothing out: give the problems table's viewport and rows a size, as a browser would.
  fakeLayout({ viewport: 600, row: 40 });
});

const STACKS = {
  stacks: [stackListing('plat-ue2-dev', ['api', 'worker']), stackListing('plat-ue2-prod', ['api'])],
  warnings: [],
};

describe('ValidatePage', () => {
  it('validates every stack by default and lists each problem with where it is', async () => {
    answer({
      'stacks:list': () => STACKS,
      'secrets:validate': () => ({
        ok: false,
        checked: 7,
        problems: [
          {
            kind: 'missing',
            message: 'DB_PASSWORD is required and not set',
            stack: 'plat-ue2-dev',
            component: 'api',
            secret: 'DB_PASSWORD',
            hint: 'atmos-secret set DB_PASSWORD -s plat-ue2-dev -c api',
          },
          {
            kind: 'config',
            message: 'store "legacy" is a secret store; use !secret instead of !store',
            file: 'stacks/orgs/dev.yaml',
            line: 12,
          },
        ],
      }),
    });
    const { user } = renderScreen(<ValidatePage />);
    await user.click(await screen.findByRole('button', { name: 'Validate' }));
    const problems = await screen.findAllByTestId('validate-problem');
    expect(callsTo('secrets:validate')).toEqual([{ operationId: 'op-test-0001' }]);
    expect(problems).toHaveLength(2);
    const first = within(problems[0] as HTMLElement);
    expect(first.getByText('missing').className).toBe('badge kind-missing');
    expect(problems[0]?.textContent).toContain('atmos-secret set DB_PASSWORD -s plat-ue2-dev -c api');
    expect(first.getByText('DB_PASSWORD').tagName).toBe('CODE');
    expect(problems[1]?.textContent).toContain('use !secret instead of !store');
    expect(within(problems[1] as HTMLElement).getByText('stacks/orgs/dev.yaml:12')).toBeTruthy();
  });

  it('validates one component of one stack when both are picked', async () => {
    answer({ 'stacks:list': () => STACKS, 'secrets:validate': () => ({ ok: true, checked: 1, problems: [] }) });
    const { user } = renderScreen(<ValidatePage />);
    await user.selectOptions(await screen.findByTestId('validate-stack'), 'plat-ue2-dev');
    await user.selectOptions(screen.getByTestId('validate-component'), 'worker');
    await user.click(screen.getByRole('button', { name: 'Validate' }));
    expect((await screen.findByTestId('validate-ok')).textContent).toBe(
      'All good. 1 secret checked; every required one is set.',
    );
    expect(callsTo('secrets:validate')).toEqual([
      { stack: 'plat-ue2-dev', component: 'worker', operationId: 'op-test-0001' },
    ]);
  });

  it('shows progress while it runs and cancels on request', async () => {
    let finish: (r: Res<'secrets:validate'>) => void = () => {};
    answer({
      'stacks:list': () => STACKS,
      'secrets:validate': () => new Promise<Res<'secrets:validate'>>((resolve) => (finish = resolve)),
      'op:cancel': () => ({ cancelled: true }),
    });
    const { user } = renderScreen(<ValidatePage />);
    await user.click(await screen.findByRole('button', { name: 'Validate' }));
    act(() => emitProgress({ operationId: 'op-test-0001', done: 40, total: 100 }));
    const bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('40');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    expect(screen.getByTestId('validate-progress').textContent).toContain('40/100');
    // Another operation's progress is not ours.
    act(() => emitProgress({ operationId: 'someone-else-01', done: 99, total: 100 }));
    expect(bar.getAttribute('aria-valuenow')).toBe('40');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(callsTo('op:cancel')).toEqual([{ operationId: 'op-test-0001' }]);
    await act(async () => finish({ ok: false, checked: 40, problems: [] }));
    await waitFor(() => expect(screen.queryByRole('progressbar')).toBeNull());
    expect(screen.getByTestId('empty').textContent).toContain('Validation failed without details');
  });

  it('shows a failed run as an error with its hint', async () => {
    answer({
      'stacks:list': () => STACKS,
      'secrets:validate': () =>
        Promise.reject(
          new IpcError({
            code: 'CONFIG',
            message: 'stacks/orgs/dev.yaml:3: bad indentation',
            hint: 'Fix the YAML and validate again.',
          }),
        ),
    });
    const { user } = renderScreen(<ValidatePage />);
    await user.click(await screen.findByRole('button', { name: 'Validate' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('stacks/orgs/dev.yaml:3: bad indentation');
    expect(alert.textContent).toContain('Fix the YAML and validate again.');
  });

  it('puts only the problems in view into the DOM when an estate reports 10,000', async () => {
    const problems = Array.from({ length: 10_000 }, (_, i) => ({
      kind: 'missing' as const,
      message: `TOKEN_${i} is required and not set`,
      stack: `s${i % 1000}`,
      component: 'api',
      secret: `TOKEN_${i}`,
    }));
    answer({ 'stacks:list': () => STACKS, 'secrets:validate': () => ({ ok: false, checked: 10_000, problems }) });
    const { user } = renderScreen(<ValidatePage />);
    await user.click(await screen.findByRole('button', { name: 'Validate' }));
    const table = await screen.findByTestId('validate-problems');
    expect(table.getAttribute('aria-rowcount')).toBe('10001');
    expect(screen.getByTestId('validate-count').textContent).toBe('10000 problems');
    const drawn = screen.getAllByTestId('validate-problem');
    expect(drawn.length).toBeGreaterThanOrEqual(600 / 40);
    expect(drawn.length).toBeLessThan(60);
    expect(drawn[0]?.textContent).toContain('TOKEN_0 is required');
  });
});
