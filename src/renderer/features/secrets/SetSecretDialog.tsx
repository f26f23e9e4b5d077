// Set or rotate one secret: a masked field (shown only on request), a generator, and for stack/global
// secrets the list of everyone the new value reaches, confirmed before anything is written.
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import { call } from '../../ipc/client';
import { Dialog } from '../../ui/Dialog';
import { ErrorState, Loading } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { ConsumersList } from './Consumers';
import { randomSecretValue } from './random-value';

/** The row's secret as seen from its component (stack and global secrets resolve the same from any of them). */
export function targetOf(row: SecretRow): { stack: string; component: string; secret: string } {
  return { stack: row.stack, component: row.component, secret: row.secret };
}

export function SetSecretDialog(props: {
  row: SecretRow;
  onClose: () => void;
  onDone: (warnings: readonly string[]) => void;
}): ReactNode {
  const { row } = props;
  const shared = row.scope !== 'instance';
  // Uncontrolled on purpose: React mirrors a controlled input's value into its `value` attribute, which would put
  // the secret into the page's markup. The value lives only in the field until it is sent.
  const field = useRef<HTMLInputElement>(null);
  const [shown, setShown] = useState(false);
  const [confirmed, setConfirmed] = useState(!shared);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [consumers] = useAsync(() => (shared ? call('secrets:consumers', targetOf(row)) : Promise.resolve(null)));
  const rotating = row.status === 'initialized';

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await call('secrets:set', { ...targetOf(row), value: field.current?.value ?? '', confirmed });
      if (field.current) field.current.value = '';
      props.onDone(result.warnings);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={`${rotating ? 'Rotate' : 'Set'} ${row.secret}`} onClose={props.onClose} testId="set-dialog">
      <p className="muted">
        {row.scope} secret in <code>{row.provider}</code>
        {row.scope === 'instance' ? (
          <>
            {' '}
            for <code>{row.stack}</code> / <code>{row.component}</code>
          </>
        ) : null}
        {row.description ? <> · {row.description}</> : null}
      </p>
      <form onSubmit={(e) => void submit(e)} className="stack-form">
        <label htmlFor="secret-value">New value</label>
        <div className="row">
          <input
            id="secret-value"
            data-testid="secret-value"
            type={shown ? 'text' : 'password'}
            autoComplete="off"
            spellCheck={false}
            ref={field}
          />
          <button type="button" className="ghost" onClick={() => setShown((s) => !s)} aria-pressed={shown}>
            {shown ? 'Hide' : 'Show'}
          </button>
          <button
            type="button"
            className="ghost"
            onClick={() => {
              if (field.current) field.current.value = randomSecretValue();
            }}
            data-testid="generate-value"
          >
            Generate
          </button>
        </div>
        {shared ? (
          consumers.status === 'loading' ? (
            <Loading what="consumers" />
          ) : consumers.status === 'error' ? (
            <ErrorState error={consumers.error} />
          ) : consumers.value ? (
            <>
              <ConsumersList scope={row.scope} consumers={consumers.value.consumers} />
              <label className="check">
                <input
                  type="checkbox"
                  checked={confirmed}
                  onChange={(e) => setConfirmed(e.target.checked)}
                  data-testid="confirm-consumers"
                />
                Change it for all {consumers.value.consumers.length} consumers
              </label>
            </>
          ) : null
        ) : null}
        {error ? <ErrorState error={error} /> : null}
        <div className="row end">
          <button type="button" className="ghost" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy || !confirmed} data-testid="save-secret">
            {rotating ? 'Rotate' : 'Set'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
