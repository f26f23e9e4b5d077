// Delete one secret's value from its backend, after the person confirms (and, for stack/global, sees whom it reaches).
import { useState, type ReactNode } from 'react';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import type { StoreSummary } from '../../../shared/ipc/stores-contract';
import { call } from '../../ipc/client';
import { Dialog } from '../../ui/Dialog';
import { DialogActions, DialogDone } from '../../ui/DialogActions';
import { ErrorState, Loading } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { ConsumersList } from './Consumers';
import { targetOf } from './SetSecretDialog';

/** Secrets Manager's recovery window for the row's store (days; 0 = none), or undefined for any other backend. */
function recoveryWindowOf(stores: readonly StoreSummary[] | undefined, provider: string): number | undefined {
  const name = provider.startsWith('store:') ? provider.slice('store:'.length) : undefined;
  const store = stores?.find((s) => s.name === name);
  if (store?.kind !== 'aws/asm') return undefined;
  const days = Number(store.options['recovery_window_days'] ?? '30');
  return Number.isInteger(days) ? days : undefined;
}

/**
 * What the person reads once Secrets Manager scheduled the deletion (the CLI words it the same way), with the
 * date the service answered (DeletionDate), never one computed here.
 */
function recoveryText(days: number, recoverableUntil: string | null): string {
  if (days === 0) return 'Deleted at once, without recovery (recovery_window_days: 0).';
  const until = recoverableUntil === null ? null : recoverableUntil.slice(0, 16).replace('T', ' ');
  return `Scheduled for deletion in ${days} days${until === null ? '' : `, recoverable until ${until} UTC`}. Setting it again restores it.`;
}

export function DeleteSecretDialog(props: { row: SecretRow; onClose: () => void; onDone: () => void }): ReactNode {
  const { row } = props;
  const shared = row.scope !== 'instance';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [scheduled, setScheduled] = useState<string | null>(null);
  const [consumers] = useAsync(() => (shared ? call('secrets:consumers', targetOf(row)) : Promise.resolve(null)));
  const [stores] = useAsync(() =>
    row.provider.startsWith('store:') ? call('stores:list', {}) : Promise.resolve(null),
  );
  const recoveryDays = recoveryWindowOf(stores.status === 'ready' ? stores.value?.stores : undefined, row.provider);

  async function remove(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const r = await call('secrets:delete', { ...targetOf(row), confirmed: true });
      // Secrets Manager only schedules the deletion: show until when it can be undone before closing.
      if (r.deleted && r.recovery) setScheduled(recoveryText(r.recovery.days, r.recovery.recoverableUntil));
      else props.onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (scheduled !== null) {
    return (
      <Dialog title={`Deleted ${row.secret}`} onClose={props.onDone} testId="delete-dialog">
        <p data-testid="delete-recovery">{scheduled}</p>
        <DialogDone onDone={props.onDone} testId="delete-done" />
      </Dialog>
    );
  }

  return (
    <Dialog title={`Delete ${row.secret}?`} onClose={props.onClose} testId="delete-dialog">
      <p>
        The value is removed from <code>{row.provider}</code>. The declaration in the stack YAML stays; the secret shows
        as missing until it is set again.
      </p>
      {recoveryDays !== undefined && recoveryDays > 0 ? (
        <p data-testid="delete-recovery-window">
          Secrets Manager keeps it recoverable for {recoveryDays} days after the delete.
        </p>
      ) : null}
      {shared && consumers.status === 'loading' ? <Loading what="consumers" /> : null}
      {shared && consumers.status === 'error' ? <ErrorState error={consumers.error} /> : null}
      {shared && consumers.status === 'ready' && consumers.value ? (
        <ConsumersList scope={row.scope} consumers={consumers.value.consumers} />
      ) : null}
      {error ? <ErrorState error={error} /> : null}
      <DialogActions
        onCancel={props.onClose}
        action="Delete"
        onAction={() => void remove()}
        disabled={busy || (shared && consumers.status !== 'ready')}
        danger
        testId="confirm-delete-secret"
      />
    </Dialog>
  );
}
