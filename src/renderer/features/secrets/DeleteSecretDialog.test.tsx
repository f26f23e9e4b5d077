// @vitest-environment happy-dom
// The delete dialog tells the person how long Secrets Manager keeps a deleted secret recoverable, before and
// after the delete; other backends close the dialog as soon as the value is gone.
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { StoreSummary } from '../../../shared/ipc/stores-contract';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { renderScreen } from '../../test-support/render';
import { secretRow } from '../../test-support/rows';
import { DeleteSecretDialog } from './DeleteSecretDialog';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

function store(name: string, kind: string, options: Record<string, string> = {}): StoreSummary {
  return { name, kind, secret: true, options, available: true, takesToken: false, tokenSaved: false };
}

const STORES = [store('asm', 'aws/asm', { recovery_window_days: '7' }), store('kc', 'keychain')];

describe('DeleteSecretDialog', () => {
  it('for Secrets Manager: says the recovery window, then the date the service gave, and closes on Done', async () => {
    answer({
      'stores:list': () => ({ stores: STORES }),
      'secrets:delete': () => ({ deleted: true, recovery: { days: 7, recoverableUntil: '2031-04-05T06:07:08.000Z' } }),
    });
    const onDone = vi.fn();
    const row = secretRow({ secret: 'DB_PASSWORD', provider: 'store:asm', status: 'initialized' });
    const { user } = renderScreen(<DeleteSecretDialog row={row} onClose={() => {}} onDone={onDone} />);
    expect((await screen.findByTestId('delete-recovery-window')).textContent).toBe(
      'Secrets Manager keeps it recoverable for 7 days after the delete.',
    );
    await user.click(screen.getByTestId('confirm-delete-secret'));
    // The service's DeletionDate, to the minute; nothing computed from the renderer's clock.
    expect((await screen.findByTestId('delete-recovery')).textContent).toBe(
      'Scheduled for deletion in 7 days, recoverable until 2031-04-05 06:07 UTC. Setting it again restores it.',
    );
    expect(callsTo('secrets:delete')).toHaveLength(1);
    expect(onDone).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('delete-done'));
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it('for other stores: no recovery words, and done as soon as the value is deleted', async () => {
    answer({ 'stores:list': () => ({ stores: STORES }), 'secrets:delete': () => ({ deleted: true }) });
    const onDone = vi.fn();
    const row = secretRow({ secret: 'TOKEN', provider: 'store:kc', status: 'initialized' });
    const { user } = renderScreen(<DeleteSecretDialog row={row} onClose={() => {}} onDone={onDone} />);
    await waitFor(() => expect(callsTo('stores:list')).toHaveLength(1));
    await user.click(screen.getByTestId('confirm-delete-secret'));
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(screen.queryByTestId('delete-recovery-window')).toBeNull();
    expect(screen.queryByTestId('delete-recovery')).toBeNull();
  });
});
