// The shared empty, loading and error states, so every screen draws them the same way. An error names the
// file and line when main knows them (a YAML or configuration error), and offers "Try again": the screen's own
// retry, or for a configuration error without one, reading the workspace again (after the person fixed it).
import type { ReactNode } from 'react';
import { errorText } from '../ipc/client';
import { useWorkspaceReload } from './refresh';

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
  const { message, hint, where, code } = errorText(error);
  const reloadWorkspace = useWorkspaceReload();
  // A file the person can fix outside the app: reading it again is the retry.
  const retry = onRetry ?? (code === 'YAML' || code === 'CONFIG' ? (reloadWorkspace ?? undefined) : undefined);
  return (
    <div className="state state-error" role="alert" data-testid="error">
      <strong>{message}</strong>
      {where ? (
        <div className="error-where" data-testid="error-where">
          In <code>{where}</code>
        </div>
      ) : null}
      {hint ? <div className="hint">{hint}</div> : null}
      {retry ? (
        <button type="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
