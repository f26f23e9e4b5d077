// Remove a held age key: first what it would no longer decrypt (files no other held key opens), then, on
// confirmation, the key leaves its keychain entry and its recipient the recipients files.
import { useState, type ReactNode } from 'react';
import type { HeldAgeKey } from '../../../shared/ipc/keys-contract';
import { call } from '../../ipc/client';
import { Dialog } from '../../ui/Dialog';
import { ErrorState, Loading } from '../../ui/states';
import { useToast } from '../../ui/toast';
import { useAsync } from '../../ui/use-async';

export function RemoveKeyDialog(props: { ageKey: HeldAgeKey; onClose: () => void; onRemoved: () => void }): ReactNode {
  const { recipient } = props.ageKey;
  const [plan] = useAsync(() => call('keys:removePlan', { name: recipient }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const toast = useToast();

  async function remove(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const r = await call('keys:remove', { name: recipient, confirmed: true });
      toast.success(
        `Removed the age key ${recipient}`,
        r.entriesDeleted.length > 0 ? `Keychain entry deleted: ${r.entriesDeleted.join(', ')}` : undefined,
      );
      props.onRemoved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const lost = plan.status === 'ready' ? plan.value.files.filter((f) => f.lostHere) : [];
  const kept = plan.status === 'ready' ? plan.value.files.filter((f) => !f.lostHere) : [];
  return (
    <Dialog title="Remove this age key?" onClose={props.onClose} testId="remove-key-dialog">
      <p>
        <code className="break">{recipient}</code> leaves the keychain entry <code>{props.ageKey.account}</code>.
      </p>
      {plan.status === 'loading' ? <Loading what="the files this key opens" /> : null}
      {plan.status === 'error' ? <ErrorState error={plan.error} /> : null}
      {plan.status === 'ready' ? (
        <>
          {!plan.value.checked ? <p className="muted">No workspace is open: its SOPS files were not checked.</p> : null}
          {lost.length > 0 ? (
            <div className="lost-files" role="alert" data-testid="lost-files">
              <strong>It would no longer decrypt these files on this machine (no other key here opens them):</strong>
              <ul>
                {lost.map((f) => (
                  <li key={f.file}>
                    <code>{f.file}</code> ({f.provider}){f.lostForAll ? ': nobody could open it any more' : ''}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p data-testid="nothing-lost">Every SOPS file it opens stays readable with another key.</p>
          )}
          {kept.length > 0 ? (
            <div className="kept-files" data-testid="kept-files">
              Still readable with another key:
              <ul>
                {kept.map((f) => (
                  <li key={f.file}>
                    <code>{f.file}</code> ({f.provider})
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {plan.value.recipientsFiles.length > 0 ? (
            <p>
              Its recipient is also taken out of{' '}
              {plan.value.recipientsFiles.map((f) => (
                <code key={f}>{f} </code>
              ))}
              (comments kept). Run updatekeys afterwards to re-wrap the files without it.
            </p>
          ) : null}
        </>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
      <div className="row end">
        <button type="button" className="ghost" onClick={props.onClose}>
          Keep the key
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => void remove()}
          disabled={busy || plan.status !== 'ready'}
          data-testid="remove-key-confirm"
        >
          {lost.length > 0 ? 'Remove anyway' : 'Remove key'}
        </button>
      </div>
    </Dialog>
  );
}
