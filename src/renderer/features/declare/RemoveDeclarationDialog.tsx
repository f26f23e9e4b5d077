// Remove a declaration from the manifest that holds it: the diff first, then whether to delete the stored value
// too (a stack or global value lists everyone who reads it before the person may tick that).
import { useState, type ReactNode } from 'react';
import { call } from '../../ipc/client';
import { Dialog } from '../../ui/Dialog';
import { DialogActions } from '../../ui/DialogActions';
import { useWorkspaceReload } from '../../ui/refresh';
import { ErrorState, Loading } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { ConsumersList } from '../secrets/Consumers';
import { DiffView } from './DiffView';
import './declare.css';

export interface RemoveDeclarationProps {
  readonly stack: string;
  readonly component?: string | undefined;
  readonly secret: string;
  readonly onClose: () => void;
  readonly onRemoved: (file: string) => void;
}

/** Everyone a shared value reaches, loaded when the person asks to delete it, and their explicit yes. */
function ConsumersConfirm(props: {
  target: { stack: string; component?: string; secret: string };
  scope: string;
  confirmed: boolean;
  onConfirmed: (yes: boolean) => void;
}): ReactNode {
  const [consumers] = useAsync(() => call('secrets:consumers', props.target));
  if (consumers.status === 'loading') return <Loading what="consumers" />;
  if (consumers.status === 'error') return <ErrorState error={consumers.error} />;
  return (
    <>
      <ConsumersList scope={props.scope} consumers={consumers.value.consumers} />
      <label className="check">
        <input
          type="checkbox"
          checked={props.confirmed}
          onChange={(e) => props.onConfirmed(e.target.checked)}
          data-testid="undeclare-confirm-consumers"
        />
        Delete it for all {consumers.value.consumers.length} consumers
      </label>
    </>
  );
}

export function RemoveDeclarationDialog(props: RemoveDeclarationProps): ReactNode {
  const { stack, component, secret } = props;
  const target = { stack, ...(component ? { component } : {}), secret };
  const reloadWorkspace = useWorkspaceReload();
  const [plan, replan] = useAsync(() => call('declare:removePlan', target));
  const [deleteValue, setDeleteValue] = useState(false);
  const shared = plan.status === 'ready' && plan.value.scope !== 'instance';
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [changedFile, setChangedFile] = useState<string | null>(null);

  async function remove(hash: string): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const r = await call('declare:remove', { ...target, hash, deleteValue, confirmed: !shared || confirmed });
      if (r.saved) props.onRemoved(r.file);
      else setChangedFile(r.file);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const title = `Remove the declaration of ${secret}?`;
  if (plan.status === 'loading')
    return (
      <Dialog title={title} onClose={props.onClose} testId="undeclare-dialog">
        <Loading what="the change" />
      </Dialog>
    );
  if (plan.status === 'error')
    return (
      <Dialog title={title} onClose={props.onClose} testId="undeclare-dialog">
        <ErrorState error={plan.error} onRetry={replan} />
      </Dialog>
    );
  const p = plan.value;
  const needsConsumers = deleteValue && shared;
  return (
    <Dialog title={title} onClose={props.onClose} testId="undeclare-dialog">
      <p className="muted">
        {p.scope} secret in <code>{p.provider}</code>, declared in <code>{p.file}</code>.
      </p>
      <DiffView diff={p.diff} testId="undeclare-diff" />
      {p.valueStored === false ? (
        <p className="muted small">No value is stored for it.</p>
      ) : (
        <label className="check">
          <input
            type="checkbox"
            checked={deleteValue}
            onChange={(e) => setDeleteValue(e.target.checked)}
            data-testid="undeclare-delete-value"
          />
          Also delete the stored value{p.valueStored === null ? ' (if there is one)' : ''}; otherwise it stays in{' '}
          {p.provider}
        </label>
      )}
      {needsConsumers ? (
        <ConsumersConfirm target={target} scope={p.scope} confirmed={confirmed} onConfirmed={setConfirmed} />
      ) : null}
      {changedFile !== null ? (
        <div className="declare-changed" role="alert" data-testid="undeclare-changed">
          <span>
            <code>{changedFile}</code> changed on disk since it was read; nothing was saved.
          </span>
          <button
            type="button"
            onClick={() => {
              setChangedFile(null);
              reloadWorkspace?.();
              replan();
            }}
          >
            Reload
          </button>
        </div>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
      <DialogActions
        onCancel={props.onClose}
        action="Remove"
        onAction={() => void remove(p.hash)}
        disabled={busy || changedFile !== null || (needsConsumers && !confirmed)}
        danger
        testId="undeclare-confirm"
      />
    </Dialog>
  );
}
