// The Validate page's and the Set-missing dialog's progress: a bar and "done/total" ("…" while the total is
// unknown), shown at once (the shared OperationProgress waits half a second and words it differently).
import type { ReactNode } from 'react';
import type { OperationState } from '../../ui/use-operation';

export function ProgressCount({ op, label }: { op: OperationState; label: string }): ReactNode {
  return (
    <>
      <div
        className="progress"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={op.total}
        aria-valuenow={op.done}
      >
        <span style={{ width: `${op.total ? (100 * op.done) / op.total : 0}%` }} />
      </div>
      <span className="muted">
        {op.done}/{op.total || '…'}
      </span>
    </>
  );
}
