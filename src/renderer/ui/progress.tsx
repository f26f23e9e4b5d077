// The shared progress of a long operation (useOperation): nothing for the first half second, so quick calls do
// not flicker; then a bar (or a spinner while the total is unknown) and a Cancel button that sends op:cancel.
import { useEffect, useState, type ReactNode } from 'react';
import type { OperationState } from './use-operation';

/** Operations shorter than this show no progress at all. */
export const PROGRESS_DELAY_MS = 500;

export function OperationProgress({ op, label }: { op: OperationState; label: string }): ReactNode {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!op.running) return;
    const timer = setTimeout(() => setShown(true), PROGRESS_DELAY_MS);
    return () => {
      clearTimeout(timer);
      setShown(false);
    };
  }, [op.running]);

  if (!op.running || !shown) return null;
  const percent = op.total > 0 ? Math.min(100, Math.round((op.done / op.total) * 100)) : null;
  return (
    <div className="op-progress" role="status" data-testid="operation-progress">
      <span className="op-progress-label">
        {label}
        {op.total > 0 ? ` ${op.done} of ${op.total}` : '…'}
      </span>
      {percent === null ? (
        <span className="spinner" aria-hidden="true" />
      ) : (
        <div
          className="progress op-progress-bar"
          role="progressbar"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={op.total}
          aria-valuenow={op.done}
        >
          <span ref={(el) => el?.style.setProperty('width', `${percent}%`)} />
        </div>
      )}
      <button type="button" className="ghost" onClick={op.cancel}>
        Cancel
      </button>
    </div>
  );
}
