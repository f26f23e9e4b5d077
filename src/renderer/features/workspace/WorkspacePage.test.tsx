// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { IpcError } from '../../ipc/client';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { renderScreen } from '../../test-support/render';
import { WorkspacePage } from './WorkspacePage';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

const INFRA = { path: '/work/infra', name: 'infra', configFile: '/work/infra/atmos.yaml' };

describe('WorkspacePage', () => {
  it('opens a typed path and reports it opened', async () => {
    const onOpened = vi.fn();
    answer({ 'workspace:recent': () => ({ items: [] }), 'workspace:open': () => INFRA });
    const { user } = renderScreen(<WorkspacePage canPickFolder={false} current={null} onOpened={onOpened} />);
    expect((await screen.findByTestId('empty')).textContent).toContain('No recent workspaces');
    expect(screen.queryByRole('button', { name: 'Choose folder…' })).toBeNull();
    await user.type(screen.getByLabelText('Workspace folder'), '  /work/infra ');
    await user.click(screen.getByRole('button', { name: 'Open' }));
    await waitFor(() => expect(onOpened).toHaveBeenCalledWith(INFRA));
    expect(callsTo('workspace:open')).toEqual([{ path: '/work/infra' }]);
  });

  it('shows why a folder cannot be opened, with the fix', async () => {
    answer({
      'workspace:recent': () => ({ items: [] }),
      'workspace:open': () =>
        Promise.reject(
          new IpcError({
            code: 'CONFIG',
            message: '/tmp/x has no atmos.yaml.',
            hint: 'Open the root of an Atmos repository.',
          }),
        ),
    });
    const { user } = renderScreen(<WorkspacePage canPickFolder={false} current={null} onOpened={() => {}} />);
    await user.type(screen.getByLabelText('Workspace folder'), '/tmp/x');
    await user.click(screen.getByRole('button', { name: 'Open' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('/tmp/x has no atmos.yaml.');
    expect(alert.textContent).toContain('Open the root of an Atmos repository.');
  });

  it('reopens and forgets recent workspaces', async () => {
    const onOpened = vi.fn();
    let items = [{ path: '/work/infra', name: 'infra', openedAt: '2026-01-01T00:00:00Z' }];
    answer({
      'workspace:recent': () => ({ items }),
      'workspace:open': () => INFRA,
      'workspace:forget': () => {
        items = [];
        return { items };
      },
    });
    const { user } = renderScreen(<WorkspacePage canPickFolder current={INFRA} onOpened={onOpened} />);
    expect(screen.getByTestId('current-workspace').textContent).toContain('/work/infra');
    await user.click(await screen.findByRole('button', { name: /^infra/ }));
    await waitFor(() => expect(onOpened).toHaveBeenCalledWith(INFRA));
    await user.click(screen.getByRole('button', { name: 'Forget infra' }));
    expect((await screen.findByTestId('empty')).textContent).toContain('No recent workspaces');
    expect(callsTo('workspace:forget')).toEqual([{ path: '/work/infra' }]);
  });

  it('asks where to copy the demo when no folder can be picked', async () => {
    answer({ 'workspace:recent': () => ({ items: [] }) });
    const { user } = renderScreen(<WorkspacePage canPickFolder={false} current={null} onOpened={() => {}} />);
    await user.click(screen.getByRole('button', { name: 'Open the demo' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Type the folder the demo should be copied into.');
    expect(callsTo('workspace:openDemo')).toEqual([]);
  });
});
