// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Res } from '../../../shared/ipc/contract';
import type { SecretHistory } from '../../../shared/ipc/stores-contract';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { renderScreen } from '../../test-support/render';
import { secretRow } from '../../test-support/rows';
import { HistoryButton } from './HistoryDialog';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

const row = secretRow({ secret: 'DB_PASSWORD', provider: 'store:vault', status: 'initialized' });

function history(over: Partial<SecretHistory> = {}): SecretHistory {
  return {
    secret: 'DB_PASSWORD',
    scope: 'instance',
    provider: 'store:vault',
    where: 'store "vault" (hashicorp/vault) at secret/dev/api/DB_PASSWORD',
    supported: true,
    canRestore: true,
    versions: [
      { version: '3', createdAt: '2026-01-03T00:00:00.000Z', current: true },
      { version: '2', createdAt: '2026-01-02T00:00:00.000Z', current: false, state: 'deleted' },
      { version: '1', createdAt: '2026-01-01T00:00:00.000Z', current: false, stages: ['AWSPREVIOUS'] },
    ],
    ...over,
  };
}

/** The rotation age the dialog shows above the versions: the current version's date against the settings' maximum. */
function age(): Res<'rotate:history'> {
  return {
    secret: 'DB_PASSWORD',
    where: 'store "vault" (hashicorp/vault) at secret/dev/api/DB_PASSWORD',
    versions: 3,
    age: { lastChanged: '2026-01-03T00:00:00.000Z', ageDays: 12, maxAgeDays: 90, source: 'versions', overdue: false },
  };
}

function versionRow(v: string): HTMLElement {
  const el = screen.getAllByTestId('history-row').find((r) => r.dataset['version'] === v);
  if (!el) throw new Error(`no row ${v}`);
  return el;
}

describe('HistoryDialog', () => {
  it('lists versions newest first; restores an earlier live one only after confirming', async () => {
    let versions = history();
    answer({
      'rotate:history': () => age(),
      'secrets:history': () => versions,
      'secrets:restoreVersion': ({ version }) => {
        versions = history({
          versions: [{ version: '4', current: true }, ...history().versions.map((v) => ({ ...v, current: false }))],
        });
        return { restored: version, consumers: 1 };
      },
    });
    const { user } = renderScreen(<HistoryButton row={row} />);
    await user.click(screen.getByRole('button', { name: 'History of DB_PASSWORD' }));
    const rows = await screen.findAllByTestId('history-row');
    expect(rows.map((r) => r.dataset['version'])).toEqual(['3', '2', '1']);
    expect((await screen.findByTestId('rotation-age')).textContent).toContain('(12 days ago)');
    expect(screen.getByTestId('rotation-age').textContent).toContain('Maximum rotation age: 90 days');
    expect(versionRow('3').textContent).toContain('current');
    expect(versionRow('2').textContent).toContain('deleted');
    expect(versionRow('1').textContent).toContain('AWSPREVIOUS');
    // The current and a deleted version cannot be restored.
    expect(within(versionRow('3')).queryByRole('button', { name: /Restore/ })).toBeNull();
    expect(within(versionRow('2')).queryByRole('button', { name: /Restore/ })).toBeNull();
    await user.click(within(versionRow('1')).getByRole('button', { name: 'Restore version 1' }));
    expect(callsTo('secrets:restoreVersion')).toEqual([]);
    const confirm = screen.getByRole('group', { name: 'Confirm restoring version 1' });
    expect(confirm.textContent).toContain('Restore as the new current value?');
    await user.click(within(confirm).getByRole('button', { name: 'Restore' }));
    await waitFor(() =>
      expect(callsTo('secrets:restoreVersion')).toEqual([
        { stack: 'plat-ue2-dev', component: 'api', secret: 'DB_PASSWORD', version: '1', confirmed: true },
      ]),
    );
    expect((await screen.findByTestId('history-restored')).textContent).toBe(
      'Restored version 1 as a new current version (1 consumer).',
    );
    await waitFor(() =>
      expect(screen.getAllByTestId('history-row').map((r) => r.dataset['version'])).toEqual(['4', '3', '2', '1']),
    );
  });

  it('cancelling a restore changes nothing; a shared secret says it reaches every consumer', async () => {
    answer({ 'secrets:history': () => history({ scope: 'global' }), 'rotate:history': () => age() });
    const { user } = renderScreen(<HistoryButton row={{ ...row, scope: 'global' }} />);
    await user.click(screen.getByRole('button', { name: 'History of DB_PASSWORD' }));
    await screen.findAllByTestId('history-row');
    await user.click(within(versionRow('1')).getByRole('button', { name: 'Restore version 1' }));
    const confirm = screen.getByRole('group', { name: 'Confirm restoring version 1' });
    expect(confirm.textContent).toContain('Restore for every consumer of this global secret?');
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('group', { name: 'Confirm restoring version 1' })).toBeNull();
    expect(callsTo('secrets:restoreVersion')).toEqual([]);
  });

  it('says plainly when the store keeps no versions, with no restore action', async () => {
    answer({
      'rotate:history': () => ({ ...age(), versions: 0, age: { source: 'unknown', maxAgeDays: 90, overdue: false } }),
      'secrets:history': () =>
        history({
          supported: false,
          canRestore: false,
          versions: [],
          note: 'store "kc" (keychain) keeps no version history: only the current value exists',
        }),
    });
    const { user } = renderScreen(<HistoryButton row={row} />);
    await user.click(screen.getByRole('button', { name: 'History of DB_PASSWORD' }));
    expect((await screen.findByTestId('history-note')).textContent).toBe(
      'store "kc" (keychain) keeps no version history: only the current value exists',
    );
    expect(screen.queryByTestId('history-table')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByTestId('history-dialog')).toBeNull();
  });

  it('shows versions without restore where the store cannot read an old one', async () => {
    answer({ 'secrets:history': () => history({ canRestore: false }), 'rotate:history': () => age() });
    const { user } = renderScreen(<HistoryButton row={row} />);
    await user.click(screen.getByRole('button', { name: 'History of DB_PASSWORD' }));
    await screen.findAllByTestId('history-row');
    expect(screen.queryAllByRole('button', { name: /Restore version/ })).toEqual([]);
  });
});
