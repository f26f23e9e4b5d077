// The app shell: a sidebar of pages and the current workspace; each page lives in features/<area>/.
import { useEffect, useState, type ReactNode } from 'react';
import type { WorkspaceInfo } from '../shared/ipc/contract';
import { KeysPage } from './features/keys/KeysPage';
import { SecretsPage } from './features/secrets/SecretsPage';
import { StacksPage } from './features/stacks/StacksPage';
import { StoresPage } from './features/stores/StoresPage';
import { TrustGate } from './features/trust/TrustGate';
import { ValidatePage } from './features/validate/ValidatePage';
import { WorkspacePage } from './features/workspace/WorkspacePage';
import { call, onMenu } from './ipc/client';
import { ErrorState, Loading } from './ui/states';
import { useAsync } from './ui/use-async';

type Page = 'workspace' | 'stacks' | 'secrets' | 'validate' | 'stores' | 'keys';

export function App(): ReactNode {
  const [info] = useAsync(() => call('app:info', {}));
  const [page, setPage] = useState<Page>('workspace');
  const [workspace, setWorkspace] = useState<WorkspaceInfo | null>(null);

  useEffect(() => onMenu((action) => action === 'open-workspace' && setPage('workspace')), []);

  if (info.status === 'loading') return <Loading what="Atmos Secrets" />;
  if (info.status === 'error') return <ErrorState error={info.error} />;

  const nav = (p: Page, label: string): ReactNode => (
    <button
      type="button"
      className={page === p ? 'nav active' : 'nav'}
      aria-current={page === p ? 'page' : undefined}
      onClick={() => setPage(p)}
    >
      {label}
    </button>
  );

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          Atmos Secrets <span className="version">{info.value.version}</span>
        </div>
        <nav aria-label="Pages">
          {nav('workspace', 'Workspace')}
          {workspace ? nav('stacks', 'Stacks') : null}
          {workspace ? nav('secrets', 'Secrets') : null}
          {workspace ? nav('validate', 'Validate') : null}
          {workspace ? nav('stores', 'Stores') : null}
          {nav('keys', 'Keys')}
        </nav>
        <div className="sidebar-footer" data-testid="sidebar-workspace">
          {workspace ? (
            <>
              <span className="muted">Workspace</span>
              <strong title={workspace.path}>{workspace.name}</strong>
            </>
          ) : (
            <span className="muted">No workspace open</span>
          )}
        </div>
      </aside>
      <main className="content">
        <TrustGate workspace={workspace}>
          {page === 'workspace' ? (
            <WorkspacePage
              canPickFolder={info.value.canPickFolder}
              current={workspace}
              onOpened={(w) => {
                setWorkspace(w);
                setPage('stacks');
              }}
            />
          ) : null}
          {page === 'stacks' && workspace ? <StacksPage key={workspace.path} /> : null}
          {page === 'secrets' && workspace ? <SecretsPage key={workspace.path} /> : null}
          {page === 'validate' && workspace ? <ValidatePage key={workspace.path} /> : null}
          {page === 'stores' && workspace ? <StoresPage key={workspace.path} /> : null}
          {page === 'keys' ? <KeysPage key={workspace?.path ?? ''} workspaceOpen={workspace !== null} /> : null}
        </TrustGate>
      </main>
    </div>
  );
}
