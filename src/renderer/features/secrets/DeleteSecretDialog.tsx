// Delete one secret's value from its backend, after the person confirms (and, for stack/global, sees whom it reaches).
import { useState, type ReactNode } from 'react';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import { call } from '../../ipc/client';
import { Dialog } from '../../ui/Dialog';
import { ErrorState, Loading } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { ConsumersList } from './Consumers';
import { targetOf } from './SetSecretDialog';

export function DeleteSecretDialog(props: { row: SecretRow; onClose: () => void; onDone: () => void }): ReactNode {
  const { row } = props;
  const shared = row.scope !== 'instance';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [consumers] = useAsync(() => (shared ? call('secrets:consumers', targetOf(row)) : Promise.resolve(null)));

  async function remove(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await call('secrets:delete', { ...targetOf(row), confirmed: true });
      props.onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Delete ${row.secret}?`} onClose={props.onClose} testId="delete-dialog">
      <p>
        The value is removed from <code>{row.provider}</code>. The declaration in the stack YAML stays; the secret shows as missing until it
        is set again.
      </p>
      {shared && consumers.status === 'loading' ? <Loading what="consumers" /> : null}
      {shared && consumers.status === 'error' ? <ErrorState error={consumers.error} /> : null}
      {shared && consumers.status === 'ready' && consumers.value ? <ConsumersList scope={row.scope} consumers={consumers.value.consumers} /> : null}
      {error ? <ErrorState error={error} /> : null}
      <div className="row end">
        <button type="button" className="ghost" onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" className="danger" disabled={busy || (shared && consumers.status !== 'ready')} onClick={() => void remove()} data-testid="confirm-delete-secret">
          Delete
        </button>
      </div>
    </Dialog>
  );
}
