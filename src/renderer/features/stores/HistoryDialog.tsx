// A secret's version history (never a value): when it last changed and whether that is older than the rotation
// age in the settings (RotationAge), then version, when, current, stages or state. Where the store can read an
// earlier version, "Restore" writes it as a new current version after a confirmation that says who it reaches.
// `HistoryButton` is the per-row action that opens it (the Secrets page's table places it).
import { useState, type ReactNode } from 'react';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import type { VersionEntry } from '../../../shared/ipc/stores-contract';
import { call } from '../../ipc/client';
import { Dialog } from '../../ui/Dialog';
import { InlineConfirm } from '../../ui/InlineConfirm';
import { ErrorState, Loading } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { RotationAge } from '../rotate/RotationAge';
import { rowTarget } from '../rotate/target';

function when(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

function restorable(v: VersionEntry): boolean {
  return !v.current && v.state === undefined;
}

export function HistoryButton({ row }: { row: SecretRow }): ReactNode {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="ghost" onClick={() => setOpen(true)} aria-label={`History of ${row.secret}`}>
        History
      </button>
      {open ? <HistoryDialog row={row} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

export function HistoryDialog(props: { row: SecretRow; onClose: () => void; onRestored?: () => void }): ReactNode {
  const { row } = props;
  const [history, reload] = useAsync(() => call('secrets:history', rowTarget(row)));
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const shared = row.scope !== 'instance';

  async function restore(version: string): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const r = await call('secrets:restoreVersion', { ...rowTarget(row), version, confirmed: true });
      setConfirming(null);
      setDone(
        `Restored version ${r.restored} as a new current version (${r.consumers} consumer${r.consumers === 1 ? '' : 's'}).`,
      );
      props.onRestored?.();
      reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={`History of ${row.secret}`} onClose={props.onClose} testId="history-dialog">
      <RotationAge row={row} />
      {history.status === 'loading' ? <Loading what="versions" /> : null}
      {history.status === 'error' ? <ErrorState error={history.error} onRetry={reload} /> : null}
      {history.status === 'ready' ? (
        <>
          <p className="muted">
            {history.value.scope} secret in <code>{history.value.where}</code>. Values are never shown here.
          </p>
          {history.value.note ? (
            <div className="notice" data-testid="history-note">
              {history.value.note}
            </div>
          ) : null}
          {history.value.versions.length > 0 ? (
            <table className="table" data-testid="history-table">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Created</th>
                  <th scope="col">Stages / state</th>
                  <th scope="col" className="actions">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {history.value.versions.map((v) => (
                  <tr key={v.version} data-testid="history-row" data-version={v.version}>
                    <td>
                      <code>{v.version}</code> {v.current ? <span className="badge">current</span> : null}
                    </td>
                    <td>{when(v.createdAt)}</td>
                    <td>{[...(v.stages ?? []), ...(v.state ? [v.state] : [])].join(', ')}</td>
                    <td className="actions">
                      {history.value.canRestore && restorable(v) ? (
                        <InlineConfirm
                          asking={confirming === v.version}
                          onAsk={() => setConfirming(v.version)}
                          onCancel={() => setConfirming(null)}
                          onConfirm={() => void restore(v.version)}
                          action="Restore"
                          actionLabel={`Restore version ${v.version}`}
                          question={
                            shared
                              ? `Restore for every consumer of this ${row.scope} secret?`
                              : 'Restore as the new current value?'
                          }
                          groupLabel={`Confirm restoring version ${v.version}`}
                          busy={busy}
                        />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      ) : null}
      {done ? (
        <div className="notice" role="status" data-testid="history-restored">
          {done}
        </div>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
      <div className="row end">
        <button type="button" className="ghost" onClick={props.onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
