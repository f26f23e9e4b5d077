// The secrets of the selected stack (and component): scope, provider, status and required badges, a filter,
// set/rotate, reveal, delete, a "Check backends" run with progress and cancel, and the copyable exec line.
import { useMemo, useState, type ReactNode } from 'react';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import { call } from '../../ipc/client';
import { Empty, ErrorState, Loading } from '../../ui/states';
import { StackComponentPicker } from '../../ui/StackComponentPicker';
import { useAsync } from '../../ui/use-async';
import { useOperation } from '../../ui/use-operation';
import { DeleteSecretDialog } from './DeleteSecretDialog';
import { ExecLine } from './ExecLine';
import { RevealValue } from './RevealValue';
import { SetSecretDialog } from './SetSecretDialog';

type Action = { kind: 'set' | 'delete'; row: SecretRow } | null;

export function SecretsPage(): ReactNode {
  const [stacks] = useAsync(() => call('stacks:list', {}));
  const [picked, setPicked] = useState({ stack: '', component: '' });

  if (stacks.status === 'loading') return <Loading what="stacks" />;
  if (stacks.status === 'error') return <ErrorState error={stacks.error} />;
  if (stacks.value.stacks.length === 0) return <Empty title="No stacks in this workspace" />;
  const currentStack = picked.stack || stacks.value.stacks[0]?.name || '';
  const component = picked.component;

  return (
    <section className="page wide" aria-labelledby="secrets-title">
      <h1 id="secrets-title">Secrets</h1>
      <div className="row">
        <StackComponentPicker
          stacks={stacks.value.stacks}
          value={{ stack: currentStack, component }}
          onChange={setPicked}
          testIds={{ stack: 'stack-select', component: 'component-select' }}
        />
      </div>
      <SecretsTable key={`${currentStack}/${component}`} stack={currentStack} component={component || undefined} />
      {component ? <ExecLine stack={currentStack} component={component} /> : null}
    </section>
  );
}

function SecretsTable({ stack, component }: { stack: string; component?: string }): ReactNode {
  const [verified, setVerified] = useState<SecretRow[] | null>(null);
  const [rows, reload] = useAsync(() => call('secrets:list', { stack, ...(component ? { component } : {}) }));
  const [filter, setFilter] = useState('');
  const [action, setAction] = useState<Action>(null);
  const [notices, setNotices] = useState<readonly string[]>([]);
  const check = useCheckBackends(stack, component, setVerified);

  const shown = useMemo(() => {
    const list = verified ?? (rows.status === 'ready' ? rows.value.rows : []);
    const f = filter.trim().toLowerCase();
    return f ? list.filter((r) => `${r.secret} ${r.component} ${r.provider} ${r.scope} ${r.description ?? ''}`.toLowerCase().includes(f)) : list;
  }, [rows, verified, filter]);

  const done = (warnings: readonly string[] = []): void => {
    setNotices(warnings);
    setAction(null);
    setVerified(null);
    reload();
  };

  return (
    <>
      <div className="row">
        <input placeholder="Filter secrets" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter secrets" data-testid="secrets-filter" />
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
      {notices.map((n) => (
        <div className="notice" key={n} data-testid="notice">
          {n}
        </div>
      ))}
      {rows.status === 'loading' ? <Loading what="secrets" /> : null}
      {rows.status === 'error' ? <ErrorState error={rows.error} onRetry={reload} /> : null}
      {rows.status === 'ready' && shown.length === 0 ? (
        <Empty title={filter ? 'No secret matches the filter' : 'No secrets declared here'}>
          Declare secrets under a component&apos;s <code>secrets.vars</code> or a stack&apos;s top-level <code>secrets:</code> block.
        </Empty>
      ) : null}
      {rows.status === 'ready' && shown.length > 0 ? (
        <table className="table" data-testid="secrets-table">
          <thead>
            <tr>
              <th scope="col">Secret</th>
              <th scope="col">Component</th>
              <th scope="col">Scope</th>
              <th scope="col">Provider</th>
              <th scope="col">Status</th>
              <th scope="col" className="actions">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={`${r.component}/${r.secret}`} data-testid="secret-row" data-secret={r.secret}>
                <td>
                  <code>{r.secret}</code>
                  {r.required ? <span className="badge required">required</span> : null}
                  {r.description ? <div className="muted small">{r.description}</div> : null}
                </td>
                <td>{r.component === '*' ? <span className="muted">whole stack</span> : r.component}</td>
                <td>
                  <span className={`badge scope-${r.scope}`}>{r.scope}</span>
                </td>
                <td>
                  <code>{r.provider}</code>
                </td>
                <td>
                  <span className={`badge status-${r.status}`} data-testid="secret-status">
                    {r.status}
                  </span>
                </td>
                <td className="actions">
                  <button type="button" onClick={() => setAction({ kind: 'set', row: r })} aria-label={`Set ${r.secret}`}>
                    {r.status === 'initialized' ? 'Rotate' : 'Set'}
                  </button>{' '}
                  <RevealValue row={r} />{' '}
                  <button type="button" className="ghost" onClick={() => setAction({ kind: 'delete', row: r })} aria-label={`Delete ${r.secret}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {action?.kind === 'set' ? <SetSecretDialog row={action.row} onClose={() => setAction(null)} onDone={done} /> : null}
      {action?.kind === 'delete' ? <DeleteSecretDialog row={action.row} onClose={() => setAction(null)} onDone={() => done()} /> : null}
    </>
  );
}

/** "Check backends": list with verify, streaming progress, cancellable. */
function useCheckBackends(stack: string, component: string | undefined, onRows: (rows: SecretRow[]) => void) {
  const op = useOperation();
  const [error, setError] = useState<unknown>(null);
  const start = (): void => {
    setError(null);
    op.start((operationId) => call('secrets:list', { stack, ...(component ? { component } : {}), verify: true, operationId })).then(
      (r) => onRows(r.rows),
      (e: unknown) => setError(e),
    );
  };
  return { running: op.running, done: op.done, total: op.total, error, start, cancel: op.cancel };
}
