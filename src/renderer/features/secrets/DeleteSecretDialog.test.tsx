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
  it('for Secrets Manager: says the recovery window, then when the secret is gone for good, and closes on Done', async () => {
    answer({ 'stores:list': () => ({ stores: STORES }), 'secrets:delete': () => ({ deleted: true }) });
    const onDone = vi.fn();
    const row = secretRow({ secret: 'DB_PASSWORD', provider: 'store:asm', status: 'initialized' });
    const { user } = renderScreen(<DeleteSecretDialog row={row} onClose={() => {}} onDone={onDone} />);
    expect((await screen.findByTestId('delete-recovery-window')).textContent).toBe(
      'Secrets Manager keeps it recoverable for 7 days after the delete.',
    );
    const before = Date.now();
    await user.click(screen.getByTestId('confirm-delete-secret'));
    const text = (await screen.findByTestId('delete-recovery')).textContent ?? '';
    const m =
      /^Scheduled for deletion in 7 days, recoverable until (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC\. Setting it again restores it\.$/.exec(
        text,
      );
    expect(m, text).not.toBeNull();
    const until = Date.parse(`${m?.[1] ?? ''}:00Z`);
    // The date is the delete's time plus the window (to the minute).
    expect(Math.abs(until - (before + 7 * 86_400_000))).toBeLessThan(2 * 60_000);
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
