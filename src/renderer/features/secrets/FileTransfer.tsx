// Export and Import of a .env or JSON file: the CLI's `pull` and `push` in the app. Main shows the native file
// dialog and reads or writes the file itself (export: mode 0600, atomically), so no value passes through the
// renderer: it sees file names and key names only. An import shows its plan first and is refused whole while
// the file holds a key the selection does not declare.
import { useState, type ReactNode } from 'react';
import type { ImportPlan, SecretFileFormat } from '../../../shared/ipc/secrets-contract';
import { call } from '../../ipc/client';
import { Dialog } from '../../ui/Dialog';
import { ErrorState } from '../../ui/states';
import { useOperation } from '../../ui/use-operation';

export function FileTransfer(props: {
  stack: string;
  component?: string | undefined;
  onImported: () => void;
}): ReactNode {
  const scope = { stack: props.stack, ...(props.component ? { component: props.component } : {}) };
  const [format, setFormat] = useState<SecretFileFormat>('env');
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [plan, setPlan] = useState<ImportPlan | null>(null);
  const op = useOperation();
  const what = props.component ? `${props.stack} / ${props.component}` : `the shared secrets of ${props.stack}`;

  function exportFile(): void {
    setResult(null);
    setError(null);
    op.start((operationId) => call('secrets:export', { ...scope, format, operationId })).then((r) => {
      if (r.file === null) return;
      const missing = r.missing.length > 0 ? ` Not set, so not written: ${r.missing.join(', ')}.` : '';
      setResult(
        `Exported ${r.written.length} secret${r.written.length === 1 ? '' : 's'} to ${r.file} (readable by you only).${missing}`,
      );
    }, setError);
  }

  function importFile(): void {
    setResult(null);
    setError(null);
    call('secrets:importPlan', scope).then((r) => setPlan(r.plan), setError);
  }

  return (
    <div className="transfer" data-testid="file-transfer">
      <label>
        Format{' '}
        <select
          value={format}
          onChange={(e) => setFormat(e.target.value === 'json' ? 'json' : 'env')}
          data-testid="export-format"
        >
          <option value="env">.env</option>
          <option value="json">JSON</option>
        </select>
      </label>
      <button
        type="button"
        className="ghost"
        onClick={exportFile}
        disabled={op.running}
        data-testid="export-file"
        title={`Write the values of ${what} to a file (atmos-secret pull)`}
      >
        Export…
      </button>
      <button
        type="button"
        className="ghost"
        onClick={importFile}
        disabled={op.running}
        data-testid="import-file"
        title={`Set ${what} from a .env or JSON file (atmos-secret push)`}
      >
        Import…
      </button>
      {op.running ? (
        <span className="muted" data-testid="export-progress">
          Exporting {op.done}/{op.total || '…'}
        </span>
      ) : null}
      {result ? (
        <div className="notice" role="status" data-testid="transfer-result">
          {result}
        </div>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
      {plan ? (
        <ImportDialog
          plan={plan}
          what={what}
          onClose={() => setPlan(null)}
          onDone={(message) => {
            setPlan(null);
            setResult(message);
            props.onImported();
          }}
        />
      ) : null}
    </div>
  );
}

function ImportDialog(props: {
  plan: ImportPlan;
  what: string;
  onClose: () => void;
  onDone: (message: string) => void;
}): ReactNode {
  const { plan } = props;
  const [confirmed, setConfirmed] = useState(plan.shared.length === 0);
  const [error, setError] = useState<unknown>(null);
  const op = useOperation();
  const refused = plan.undeclared.length > 0;

  function apply(): void {
    setError(null);
    op.start((operationId) => call('secrets:importApply', { id: plan.id, confirmed, operationId })).then((r) => {
      const warned = r.warnings.length > 0 ? ` ${r.warnings.join(' ')}` : '';
      props.onDone(`Imported ${r.set.length} secret${r.set.length === 1 ? '' : 's'} from ${plan.file}.${warned}`);
    }, setError);
  }

  return (
    <Dialog title={`Import ${plan.file}`} onClose={props.onClose} testId="import-dialog">
      <p>
        {plan.keys.length} key{plan.keys.length === 1 ? '' : 's'} ({plan.format === 'json' ? 'JSON' : 'dotenv'}) into{' '}
        {props.what}:
      </p>
      <ul className="plan-keys" data-testid="import-keys">
        {plan.keys.map((k) => (
          <li key={k}>
            <code>{k}</code>
            {plan.undeclared.includes(k) ? <span className="badge status-error">not declared</span> : null}
          </li>
        ))}
      </ul>
      {refused ? (
        <div className="state state-error" role="alert" data-testid="import-refused">
          <strong>
            The file is refused whole: {plan.undeclared.join(', ')} {plan.undeclared.length === 1 ? 'is' : 'are'} not
            declared in {props.what}. Nothing will be written.
          </strong>
          <div className="hint">
            Declare {plan.undeclared.length === 1 ? 'it' : 'them'} under secrets.vars, or remove{' '}
            {plan.undeclared.length === 1 ? 'it' : 'them'} from the file.
          </div>
        </div>
      ) : null}
      {!refused && plan.shared.length > 0 ? (
        <div className="consumers" data-testid="import-shared">
          <p>These are shared: the new values reach every consumer.</p>
          <ul>
            {plan.shared.map((s) => (
              <li key={s.secret}>
                <code>{s.secret}</code> <span className={`badge scope-${s.scope}`}>{s.scope}</span> {s.consumers}{' '}
                component
                {s.consumers === 1 ? '' : 's'} in {s.stacks} stack{s.stacks === 1 ? '' : 's'}
              </li>
            ))}
          </ul>
          <label className="check">
            <input
              type="checkbox"
              checked={confirmed}
              onChange={(e) => setConfirmed(e.target.checked)}
              data-testid="confirm-import-shared"
            />
            Change them for all their consumers
          </label>
        </div>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
      <div className="row end">
        {op.running ? (
          <span className="muted">
            Importing {op.done}/{op.total || '…'}
          </span>
        ) : null}
        <button type="button" className="ghost" onClick={props.onClose}>
          Cancel
        </button>
        <button
          type="button"
          onClick={apply}
          disabled={refused || !confirmed || op.running || plan.keys.length === 0}
          data-testid="apply-import"
        >
          Import
        </button>
      </div>
    </Dialog>
  );
}
