// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { renderScreen } from '../../test-support/render';
import { KeysPage } from './KeysPage';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

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
    await user.click(
      within(screen.getByRole('group', { name: 'Confirm deleting age/demo-sops' })).getByRole('button', {
        name: 'Delete',
      }),
    );
    await waitFor(() =>
      expect(screen.getAllByTestId('key-row').map((r) => r.querySelector('code')?.textContent)).toEqual([
        'vault/token',
      ]),
    );
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

  it('lists the files only that key opens, and deletes it only when asked again', async () => {
    let names = ['atmos/sops-age/demo-sops'];
    answer({
      'keys:list': () => ({ service: 'atmos-secrets', names }),
      'keys:delete': ({ name, confirmed }) => {
        if (!confirmed) return { deleted: false, unreadable: ['secrets/plat-ue2-dev.enc.yaml'] };
        names = names.filter((n) => n !== name);
        return { deleted: true };
      },
    });
    const { user } = renderScreen(<KeysPage workspaceOpen={false} />);
    await user.click(await screen.findByRole('button', { name: 'Delete atmos/sops-age/demo-sops' }));
    await user.click(
      within(screen.getByRole('group', { name: 'Confirm deleting atmos/sops-age/demo-sops' })).getByRole('button', {
        name: 'Delete',
      }),
    );
    const warning = await screen.findByRole('alertdialog', {
      name: 'Deleting atmos/sops-age/demo-sops makes files unreadable',
    });
    expect(within(warning).getByTestId('unreadable-files').textContent).toBe('secrets/plat-ue2-dev.enc.yaml');
    expect(screen.getAllByTestId('key-row')).toHaveLength(1);
    await user.click(within(warning).getByRole('button', { name: 'Delete anyway' }));
    await waitFor(() => expect(screen.queryAllByTestId('key-row')).toHaveLength(0));
    expect(callsTo('keys:delete')).toEqual([
      { name: 'atmos/sops-age/demo-sops' },
      { name: 'atmos/sops-age/demo-sops', confirmed: true },
    ]);
  });

  it('keeps a key that opens files when the person says so', async () => {
    answer({
      'keys:list': () => ({ service: 'atmos-secrets', names: ['atmos/sops-age/demo-sops'] }),
      'keys:delete': () => ({ deleted: false, unreadable: ['secrets/a.enc.yaml', 'secrets/b.enc.yaml'] }),
    });
    const { user } = renderScreen(<KeysPage workspaceOpen={false} />);
    await user.click(await screen.findByRole('button', { name: 'Delete atmos/sops-age/demo-sops' }));
    await user.click(
      within(screen.getByRole('group', { name: 'Confirm deleting atmos/sops-age/demo-sops' })).getByRole('button', {
        name: 'Delete',
      }),
    );
    const warning = await screen.findByRole('alertdialog');
    expect(
      within(warning)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['secrets/a.enc.yaml', 'secrets/b.enc.yaml']);
    await user.click(within(warning).getByRole('button', { name: 'Keep the key' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('button', { name: 'Delete atmos/sops-age/demo-sops' })).toBeTruthy();
    expect(callsTo('keys:delete')).toEqual([{ name: 'atmos/sops-age/demo-sops' }]);
  });

  it('says so when the keychain holds nothing', async () => {
    answer({ 'keys:list': () => ({ service: 'atmos-secrets', names: [] }) });
    renderScreen(<KeysPage workspaceOpen={false} />);
    expect((await screen.findByTestId('empty')).textContent).toContain(
      'The keychain holds nothing for Atmos Secrets yet',
    );
  });
});
