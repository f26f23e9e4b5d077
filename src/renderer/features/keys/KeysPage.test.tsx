// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { renderScreen } from '../../test-support/render';
import { KeysPage } from './KeysPage';

vi.mock('../../ipc/client', async (original) => (await import('../../test-support/ipc-mock')).clientModule(await original()));

describe('KeysPage', () => {
  it('lists names only and deletes one after confirmation', async () => {
    let names = ['age/demo-sops', 'vault/token'];
    answer({
      'keys:list': () => ({ service: 'atmos-secrets', names }),
      'keys:delete': ({ name }) => {
        names = names.filter((n) => n !== name);
        return { deleted: true };
      },
    });
    const { user } = renderScreen(<KeysPage workspaceOpen={false} />);
    const rows = await screen.findAllByTestId('key-row');
    expect(rows.map((r) => r.querySelector('code')?.textContent)).toEqual(['age/demo-sops', 'vault/token']);
    await user.click(screen.getByRole('button', { name: 'Delete age/demo-sops' }));
    expect(callsTo('keys:delete')).toEqual([]);
    await user.click(within(screen.getByRole('group', { name: 'Confirm deleting age/demo-sops' })).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.getAllByTestId('key-row').map((r) => r.querySelector('code')?.textContent)).toEqual(['vault/token']));
    expect(callsTo('keys:delete')).toEqual([{ name: 'age/demo-sops' }]);
  });

  it('keeps the key when the delete is cancelled', async () => {
    answer({ 'keys:list': () => ({ service: 'atmos-secrets', names: ['age/keep-me'] }) });
    const { user } = renderScreen(<KeysPage workspaceOpen={false} />);
    await user.click(await screen.findByRole('button', { name: 'Delete age/keep-me' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Delete age/keep-me' })).toBeTruthy();
    expect(callsTo('keys:delete')).toEqual([]);
  });

  it('says so when the keychain holds nothing', async () => {
    answer({ 'keys:list': () => ({ service: 'atmos-secrets', names: [] }) });
    renderScreen(<KeysPage workspaceOpen={false} />);
    expect((await screen.findByTestId('empty')).textContent).toContain('The keychain holds nothing for Atmos Secrets yet');
  });
});
