// A row action that asks in place: the button, once pressed, becomes the question with the action (in danger
// style) and Cancel, inside a labelled group. The row's owner keeps which row is asking (one at a time).
import type { ReactNode } from 'react';

export interface InlineConfirmProps {
  /** Whether this row is asking now. */
  readonly asking: boolean;
  readonly onAsk: () => void;
  readonly onCancel: () => void;
  readonly onConfirm: () => void;
  /** The visible word of the action, on the first button and the confirming one ("Remove", "Restore"). */
  readonly action: string;
  /** The first button's accessible name ("Remove the token of vault"). */
  readonly actionLabel: string;
  readonly question: ReactNode;
  /** The question group's accessible name ("Confirm removing the token of vault"). */
  readonly groupLabel: string;
  readonly busy?: boolean;
}

export function InlineConfirm(p: InlineConfirmProps): ReactNode {
  if (!p.asking) {
    return (
      <button type="button" className="ghost" onClick={p.onAsk} aria-label={p.actionLabel}>
        {p.action}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={p.groupLabel}>
      {p.question}{' '}
      <button type="button" className="danger" disabled={p.busy} onClick={p.onConfirm}>
        {p.action}
      </button>
      <button type="button" className="ghost" onClick={p.onCancel}>
        Cancel
      </button>
    </span>
  );
}
