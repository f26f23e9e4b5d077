// Set or rotate one secret in one dialog: (1) the value, typed into a masked field or generated in main (the
// renderer never sees a generated value); (2) for a stack or global secret, everyone it reaches, confirmed;
// (3) the write. A rotation (a secret that has a value, or a generated one) goes through `rotate:run`, which reads
// the value back through every consumer: all green closes the dialog with a success toast; a red consumer keeps
// it open with the report and "Roll back". A typed first value is a plain `secrets:set`. The step-by-step wizard
// with the graph is features/rotate/RotateWizard.tsx (the row's "Consumers" action).
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import { call } from '../../ipc/client';
import { Dialog } from '../../ui/Dialog';
import { ErrorState, Loading } from '../../ui/states';
import { useToast } from '../../ui/toast';
import { OperationProgress } from '../../ui/progress';
import { useAsync } from '../../ui/use-async';
import { useOperation } from '../../ui/use-operation';
import { outcomeText } from '../rotate/RotateWizard';
import { rowTarget } from '../rotate/target';
import { generateOk, ValueSource, type GenerateChoice } from '../rotate/ValueSource';
import { VerificationReport, type RotateOutcome } from '../rotate/VerificationReport';
import { ConsumersList } from './Consumers';

/** The row's secret as seen from its component (stack and global secrets resolve the same from any of them). */
export const targetOf = rowTarget;

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
  const [generate, setGenerate] = useState<GenerateChoice | null>(null);
  const [confirmed, setConfirmed] = useState(!shared);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [failed, setFailed] = useState<{ outcome: RotateOutcome; warnings: readonly string[] } | null>(null);
  const [consumers] = useAsync(() => (shared ? call('secrets:consumers', targetOf(row)) : Promise.resolve(null)));
  const toast = useToast();
  const op = useOperation();
  const rotating = row.status === 'initialized';

  async function rotate(): Promise<void> {
    const value =
      generate !== null
        ? { kind: 'generate' as const, length: generate.length, alphabet: generate.alphabet }
        : { kind: 'given' as const, value: field.current?.value ?? '' };
    const r = await op.start((operationId) =>
      call('rotate:run', { ...targetOf(row), value, confirmed, verify: true, operationId }),
    );
    if (field.current) field.current.value = '';
    if (r.verified && !r.ok) {
      // A red consumer: the report and the roll back stay in view.
      setFailed({ outcome: r, warnings: r.warnings });
      toast.error(new Error(outcomeText(row.secret, r)));
      return;
    }
    toast.success(outcomeText(row.secret, r));
    props.onDone(r.warnings);
  }

  async function set(): Promise<void> {
    const result = await call('secrets:set', { ...targetOf(row), value: field.current?.value ?? '', confirmed });
    if (field.current) field.current.value = '';
    toast.success(
      `Set ${row.secret}${result.consumers > 1 ? ` for ${result.consumers} consumers` : ''}.`,
      `${row.scope} secret in ${row.provider}`,
    );
    props.onDone(result.warnings);
  }

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await (rotating || generate !== null ? rotate() : set());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (failed) {
    return (
      <Dialog title={`Rotate ${row.secret}`} onClose={() => props.onDone(failed.warnings)} testId="set-dialog">
        <VerificationReport outcome={failed.outcome} />
        <div className="row end">
          <button type="button" onClick={() => props.onDone(failed.warnings)} data-testid="close-report">
            Close
          </button>
        </div>
      </Dialog>
    );
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
        <ValueSource field={field} generate={generate} onGenerate={setGenerate} />
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
        {rotating || generate !== null ? (
          <p className="muted small">The new value is read back through every consumer after it is written.</p>
        ) : null}
        <OperationProgress op={op} label={`Writing and verifying ${row.secret}`} />
        {error ? <ErrorState error={error} /> : null}
        <div className="row end">
          <button type="button" className="ghost" onClick={props.onClose}>
            Cancel
          </button>
          <button
            type="submit"
            disabled={busy || !confirmed || (generate !== null && !generateOk(generate))}
            data-testid="save-secret"
          >
            {rotating ? 'Rotate' : 'Set'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
