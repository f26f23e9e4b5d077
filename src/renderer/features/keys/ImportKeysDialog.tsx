// Import age private keys (a keys.txt picked in the native file dialog, or pasted into a masked field) into a
// sops/age provider's keychain entry. Main validates every line and never sends a key back: the result names
// recipients only. The pasted text is dropped from state as soon as it has been sent.
import { useState, type ReactNode } from 'react';
import type { Res } from '../../../shared/ipc/contract';
import { call } from '../../ipc/client';
import { Dialog } from '../../ui/Dialog';
import { DialogActions, DialogDone } from '../../ui/DialogActions';
import { ErrorState } from '../../ui/states';

type ImportResult = Res<'keys:import'>;

export function ImportKeysDialog(props: {
  providers: readonly string[];
  canPickFile: boolean;
  onClose: () => void;
  onImported: () => void;
}): ReactNode {
  const [provider, setProvider] = useState(props.providers[0] ?? '');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<ImportResult | null>(null);

  async function importFrom(source: { from: 'text'; text: string } | { from: 'file' }): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const r = await call('keys:import', { provider, source });
      if (r.cancelled) return;
      setText('');
      setResult(r);
      props.onImported();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  if (result) {
    return (
      <Dialog title="Age keys imported" onClose={props.onClose} testId="import-dialog">
        <div className="state state-ok" data-testid="import-result">
          <div>
            {result.added.length > 0 ? (
              <p>
                Imported {result.added.length} key(s) into {result.storedIn}:
              </p>
            ) : (
              <p>Every key was already held; nothing was added.</p>
            )}
            <ul>
              {result.added.map((r) => (
                <li key={r}>
                  <code className="break">{r}</code>
                </li>
              ))}
              {result.alreadyHeld.map((r) => (
                <li key={r}>
                  <code className="break">{r}</code> (already held)
                </li>
              ))}
            </ul>
            {result.recipientsFile ? (
              <p>
                {result.recorded.length > 0
                  ? `Recipients recorded in ${result.recipientsFile}.`
                  : `${result.recipientsFile} already lists them.`}
              </p>
            ) : (
              <p>The provider pins its recipients (age_recipients): they were left as they are.</p>
            )}
          </div>
        </div>
        <DialogDone onDone={props.onClose} testId="import-done" />
      </Dialog>
    );
  }

  return (
    <Dialog title="Import age keys" onClose={props.onClose} testId="import-dialog">
      <p className="muted">
        The keys go into the provider&apos;s entry in the OS keychain and are never shown again; their public recipients
        are recorded in its recipients file (.sops.yaml), comments kept.
      </p>
      <label>
        Provider{' '}
        <select value={provider} onChange={(e) => setProvider(e.target.value)} data-testid="import-provider">
          {props.providers.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      {props.canPickFile ? (
        <p>
          <button
            type="button"
            onClick={() => void importFrom({ from: 'file' })}
            disabled={busy || provider === ''}
            data-testid="import-pick-file"
          >
            Choose a keys.txt…
          </button>
        </p>
      ) : null}
      <label htmlFor="import-text">
        {props.canPickFile ? 'Or paste the keys' : 'Paste the keys'} (AGE-SECRET-KEY-1… lines; # comments allowed)
      </label>
      <textarea
        id="import-text"
        className="masked-input"
        value={text}
        onChange={(e) => setText(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        data-testid="import-text"
      />
      {error ? <ErrorState error={error} /> : null}
      <DialogActions
        onCancel={props.onClose}
        action="Import pasted keys"
        onAction={() => void importFrom({ from: 'text', text })}
        disabled={busy || provider === '' || text.trim() === ''}
        testId="import-submit"
      />
    </Dialog>
  );
}
