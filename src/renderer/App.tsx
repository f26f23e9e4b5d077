// The app shell: a sidebar of pages (pages.tsx) and the current workspace; each page lives in features/<area>/.
import { useEffect, useState, type ReactNode } from 'react';
import type { WorkspaceInfo } from '../shared/ipc/contract';
import { TrustGate } from './features/trust/TrustGate';
import { WorkspacePage } from './features/workspace/WorkspacePage';
import { call, onMenu } from './ipc/client';
import { PAGES } from './pages';
import { NavigationProvider, type NavTarget } from './ui/navigation';
import { ErrorState, Loading } from './ui/states';
import { useAsync } from './ui/use-async';

export function App(): ReactNode {
  const [info] = useAsync(() => call('app:info', {}));
  const [target, setTarget] = useState<NavTarget>({ page: 'workspace' });
  const [workspace, setWorkspace] = useState<WorkspaceInfo | null>(null);

  useEffect(() => onMenu((action) => action === 'open-workspace' && setTarget({ page: 'workspace' })), []);

  if (info.status === 'loading') return <Loading what="Atmos Secrets" />;
  if (info.status === 'error') return <ErrorState error={info.error} />;

  const visible = PAGES.filter((p) => !p.needsWorkspace || workspace !== null);
  const current = visible.find((p) => p.id === target.page);

  return (
    <NavigationProvider target={target} navigate={setTarget}>
      <div className="shell">
        <aside className="sidebar">
          <div className="brand">
            Atmos Secrets <span className="version">{info.value.version}</span>
          </div>
          <nav aria-label="Pages">
            {visible.map((p) => (
              <button
                key={p.id}
                type="button"
                className={target.page === p.id ? 'nav active' : 'nav'}
                aria-current={target.page === p.id ? 'page' : undefined}
                onClick={() => setTarget({ page: p.id })}
              >
                {p.label}
              </button>
            ))}
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
            {target.page === 'workspace' ? (
              <WorkspacePage
                canPickFolder={info.value.canPickFolder}
                current={workspace}
                onOpened={(w) => {
                  setWorkspace(w);
                  setTarget({ page: 'stacks' });
                }}
              />
            ) : (
              current?.render(workspace)
            )}
          </TrustGate>
        </main>
      </div>
    </NavigationProvider>
  );
}
