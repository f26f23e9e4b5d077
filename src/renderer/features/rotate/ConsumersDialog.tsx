// The "Consumers" action of a secret's row: who reads it (list or graph), its rotation age, and "Rotate…" into
// the wizard. `RotateActions` is the row's hook (SecretRows places it).
import { useState, type ReactNode } from 'react';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import { call } from '../../ipc/client';
import { Dialog } from '../../ui/Dialog';
import { ErrorState, Loading } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { ConsumersView } from './ConsumersView';
import { RotateWizard } from './RotateWizard';
import { RotationAge } from './RotationAge';
import { rowTarget } from './target';
import './rotate.css';

export function ConsumersDialog(props: { row: SecretRow; onClose: () => void; onRotate: () => void }): ReactNode {
  const { row } = props;
  const [report, reload] = useAsync(() => call('rotate:consumers', rowTarget(row)));
  return (
    <Dialog title={`Consumers of ${row.secret}`} onClose={props.onClose} testId="consumers-dialog">
      {report.status === 'loading' ? <Loading what="consumers" /> : null}
      {report.status === 'error' ? <ErrorState error={report.error} onRetry={reload} /> : null}
      {report.status === 'ready' ? <ConsumersView report={report.value} /> : null}
      {row.status === 'initialized' ? <RotationAge row={row} /> : null}
      <div className="row end">
        <button type="button" className="ghost" onClick={props.onClose}>
          Close
        </button>
        <button type="button" onClick={props.onRotate} data-testid="open-rotate-wizard">
          Rotate…
        </button>
      </div>
    </Dialog>
  );
}

/** The row's "Consumers" action: the consumers dialog, and from it the Rotate wizard. */
export function RotateActions({ row, onChanged }: { row: SecretRow; onChanged?: () => void }): ReactNode {
  const [open, setOpen] = useState<'consumers' | 'rotate' | null>(null);
  return (
    <>
      <button
        type="button"
        className="ghost"
        onClick={() => setOpen('consumers')}
        aria-label={`Consumers of ${row.secret}`}
      >
        Consumers
      </button>
      {/* Dialog draws itself in the body, above the sticky cell this button sits in. */}
      {open === 'consumers' ? (
        <ConsumersDialog row={row} onClose={() => setOpen(null)} onRotate={() => setOpen('rotate')} />
      ) : null}
      {open === 'rotate' ? <RotateWizard row={row} onClose={() => setOpen(null)} onDone={onChanged} /> : null}
    </>
  );
}
