// The secrets of one stack (or one component of it): a filter, scope/provider/status/required badges, set and
// rotate, reveal, delete, and a "Check backends" run with progress and cancel. The rows are indexed for the
// filter once per list (filter-rows.ts) and drawn virtualized (SecretRows.tsx), so a large estate stays fast.
// Opened on one secret (from Validate's "Set" or the global search), it starts filtered to it, and with
// `action: 'set'` opens its Set dialog.
import { useMemo, useState, type ReactNode } from 'react';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import { call } from '../../ipc/client';
import { Empty, ErrorState, Loading } from '../../ui/states';
import { useOperation } from '../../ui/use-operation';
import { useAsync } from '../../ui/use-async';
import { DeleteSecretDialog } from './DeleteSecretDialog';
import { dismissedNotices, rememberDismissed } from './dismissed-notices';
import { filterRows, indexRows } from './filter-rows';
import { SecretRows } from './SecretRows';
import { SetSecretDialog } from './SetSecretDialog';

type Action = { kind: 'set' | 'delete'; row: SecretRow } | null;

/** The secret the table was opened on, and what to do with it. */
export interface SecretFocus {
  readonly secret: string;
  readonly action?: 'set' | undefined;
}

export function SecretsTable({
  stack,
  component,
  focus,
}: {
  stack: string;
  component?: string;
  focus?: SecretFocus | undefined;
}): ReactNode {
  const [verified, setVerified] = useState<SecretRow[] | null>(null);
  const [rows, reload, refresh] = useAsync(() => call('secrets:list', { stack, ...(component ? { component } : {}) }));
  const [filter, setFilter] = useState(focus?.secret ?? '');
  const [action, setAction] = useState<Action>(null);
  // Validate's "Set": the dialog opens on the focused secret's row as soon as the rows are there, once.
  const [pendingSet, setPendingSet] = useState(focus?.action === 'set');
  const [notices, setNotices] = useState<readonly string[]>([]);
  const [dismissed, setDismissed] = useState(dismissedNotices);
  const check = useCheckBackends(stack, component, setVerified);

  const listed = useMemo(() => verified ?? (rows.status === 'ready' ? rows.value.rows : []), [rows, verified]);
  const index = useMemo(() => indexRows(listed), [listed]);
  const shown = useMemo(() => filterRows(index, filter), [index, filter]);
  const focusRow = pendingSet ? listed.find((r) => r.secret === focus?.secret) : undefined;
  const current: Action = action ?? (focusRow ? { kind: 'set', row: focusRow } : null);

  const close = (): void => {
    setAction(null);
    setPendingSet(false);
  };
  const done = (warnings: readonly string[] = []): void => {
    setNotices(warnings);
    close();
    setVerified(null);
    reload();
  };
  const dismiss = (n: string): void => setDismissed(rememberDismissed(n));
  const visibleNotices = notices.filter((n) => !dismissed.has(n));

  return (
    <>
      <div className="row">
        <input
          placeholder="Filter secrets"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          aria-label="Filter secrets"
          data-testid="secrets-filter"
        />
        {rows.status === 'ready' ? (
          <span className="muted" data-testid="secrets-count" aria-live="polite">
            {shown.length === index.rows.length
              ? `${shown.length} secret${shown.length === 1 ? '' : 's'}`
              : `${shown.length} of ${index.rows.length}`}
          </span>
        ) : null}
        {check.running ? (
          <>
            <span className="muted" data-testid="check-progress">
              Checking {check.done}/{check.total || '…'}
            </span>
            <button type="button" className="ghost" onClick={check.cancel}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="ghost" onClick={check.start} data-testid="check-backends">
            Check backends
          </button>
        )}
      </div>
      {check.error ? <ErrorState error={check.error} /> : null}
      {visibleNotices.map((n) => (
        <div className="notice notice-row" key={n} data-testid="notice" role="status">
          <span>{n}</span>
          <button type="button" className="ghost" onClick={() => dismiss(n)} aria-label="Dismiss this notice">
            Dismiss
          </button>
        </div>
      ))}
      {rows.status === 'loading' ? <Loading what="secrets" /> : null}
      {rows.status === 'error' ? <ErrorState error={rows.error} onRetry={reload} /> : null}
      {rows.status === 'ready' && shown.length === 0 ? (
        <Empty title={filter ? 'No secret matches the filter' : 'No secrets declared here'}>
          Declare secrets under a component&apos;s <code>secrets.vars</code> or a stack&apos;s top-level{' '}
          <code>secrets:</code> block.
        </Empty>
      ) : null}
      {rows.status === 'ready' && shown.length > 0 ? (
        <SecretRows
          rows={shown}
          onSet={(row) => setAction({ kind: 'set', row })}
          onDelete={(row) => setAction({ kind: 'delete', row })}
          // The wizard stays open on its report: the rows are listed again in place, so it is not unmounted.
          onChanged={() => {
            setVerified(null);
            refresh();
          }}
        />
      ) : null}
      {current?.kind === 'set' ? <SetSecretDialog row={current.row} onClose={close} onDone={done} /> : null}
      {current?.kind === 'delete' ? (
        <DeleteSecretDialog row={current.row} onClose={close} onDone={() => done()} />
      ) : null}
    </>
  );
}

/** "Check backends": list with verify, streaming progress, cancellable. */
function useCheckBackends(stack: string, component: string | undefined, onRows: (rows: SecretRow[]) => void) {
  const op = useOperation();
  const [error, setError] = useState<unknown>(null);
  const start = (): void => {
    setError(null);
    op.start((operationId) =>
      call('secrets:list', { stack, ...(component ? { component } : {}), verify: true, operationId }),
    ).then(
      (r) => onRows(r.rows),
      (e: unknown) => setError(e),
    );
  };
  return { running: op.running, done: op.done, total: op.total, error, start, cancel: op.cancel };
}
