// A dialog's last row, the same in every dialog: Cancel then the action (in danger style where it removes
// something), or a lone Done once the dialog shows what happened.
import type { ReactNode } from 'react';

export function DialogActions(p: {
  readonly onCancel: () => void;
  /** The action's visible word ("Delete", "Import pasted keys"). */
  readonly action: string;
  readonly onAction: () => void;
  readonly disabled: boolean;
  readonly danger?: boolean;
  readonly testId: string;
}): ReactNode {
  return (
    <div className="row end">
      <button type="button" className="ghost" onClick={p.onCancel}>
        Cancel
      </button>
      <button
        type="button"
        className={p.danger ? 'danger' : undefined}
        disabled={p.disabled}
        onClick={p.onAction}
        data-testid={p.testId}
      >
        {p.action}
      </button>
    </div>
  );
}

export function DialogDone(p: { readonly onDone: () => void; readonly testId: string }): ReactNode {
  return (
    <div className="row end">
      <button type="button" onClick={p.onDone} data-testid={p.testId}>
        Done
      </button>
    </div>
  );
}
