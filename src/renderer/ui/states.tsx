// The shared empty, loading and error states, so every screen draws them the same way.
import type { ReactNode } from 'react';
import { errorText } from '../ipc/client';

export function Loading({ what }: { what: string }): ReactNode {
  return (
    <div className="state state-loading" role="status" data-testid="loading">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }): ReactNode {
  return (
    <div className="state state-empty" data-testid="empty">
      <strong>{title}</strong>
      {children ? <div className="muted">{children}</div> : null}
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }): ReactNode {
  const { message, hint } = errorText(error);
  return (
    <div className="state state-error" role="alert" data-testid="error">
      <strong>{message}</strong>
      {hint ? <div className="hint">{hint}</div> : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
