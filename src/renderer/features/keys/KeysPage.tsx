// What the app holds in the OS keychain: names only (values never leave main), with delete.
import { useState, type ReactNode } from 'react';
import { call } from '../../ipc/client';
import { Empty, ErrorState, Loading } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { AgeKeys } from './AgeKeys';

export function KeysPage({ workspaceOpen }: { workspaceOpen: boolean }): ReactNode {
  const [keys, reload] = useAsync(() => call('keys:list', {}));
  const [confirming, setConfirming] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  /** SOPS files that only the key being deleted opens: main refused the first delete and listed them. */
  const [unreadable, setUnreadable] = useState<{ name: string; files: readonly string[] } | null>(null);

  async function remove(name: string, confirmed = false): Promise<void> {
    setActionError(null);
    try {
      const result = await call('keys:delete', { name, ...(confirmed ? { confirmed } : {}) });
      if (!result.deleted && result.unreadable && result.unreadable.length > 0) {
        setUnreadable({ name, files: result.unreadable });
        return;
      }
      setConfirming(null);
      setUnreadable(null);
      reload();
    } catch (e) {
      setActionError(e);
    }
  }

  return (
    <section className="page" aria-labelledby="keys-title">
      <h1 id="keys-title">Keys</h1>
      <p className="muted">
        Age private keys and backend tokens the app keeps in your OS keychain
        {keys.status === 'ready' ? (
          <>
            {' '}
            (service <code>{keys.value.service}</code>)
          </>
        ) : null}
        . Only names are shown.
      </p>
      {workspaceOpen ? <AgeKeys onGenerated={reload} /> : null}
      {actionError ? <ErrorState error={actionError} /> : null}
      {keys.status === 'loading' ? <Loading what="keychain entries" /> : null}
      {keys.status === 'error' ? <ErrorState error={keys.error} onRetry={reload} /> : null}
      {keys.status === 'ready' && keys.value.names.length === 0 ? (
        <Empty title="The keychain holds nothing for Atmos Secrets yet">
          Keys appear here when you generate an age key or save a backend token.
        </Empty>
      ) : null}
      {keys.status === 'ready' && keys.value.names.length > 0 ? (
        <table className="table" data-testid="keys-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" className="actions">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.value.names.map((name) => (
              <tr key={name} data-testid="key-row">
                <td>
                  <code>{name}</code>
                </td>
                <td className="actions">
                  {unreadable?.name === name ? (
                    <div className="confirm" role="alertdialog" aria-label={`Deleting ${name} makes files unreadable`}>
                      <p>
                        Only this key opens these SOPS files. Once it is deleted, nobody on this machine can read them:
                      </p>
                      <ul data-testid="unreadable-files">
                        {unreadable.files.map((f) => (
                          <li key={f}>
                            <code>{f}</code>
                          </li>
                        ))}
                      </ul>
                      <button
                        type="button"
                        className="danger"
                        onClick={() => void remove(name, true)}
                        data-testid="confirm-delete-unreadable"
                      >
                        Delete anyway
                      </button>{' '}
                      <button
                        type="button"
                        className="ghost"
                        onClick={() => {
                          setUnreadable(null);
                          setConfirming(null);
                        }}
                      >
                        Keep the key
                      </button>
                    </div>
                  ) : confirming === name ? (
                    <span className="confirm" role="group" aria-label={`Confirm deleting ${name}`}>
                      Delete for good?{' '}
                      <button
                        type="button"
                        className="danger"
                        onClick={() => void remove(name)}
                        data-testid="confirm-delete"
                      >
                        Delete
                      </button>
                      <button type="button" className="ghost" onClick={() => setConfirming(null)}>
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="ghost"
                      onClick={() => setConfirming(name)}
                      aria-label={`Delete ${name}`}
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
