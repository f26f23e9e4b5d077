// An open workspace with no stacks yet: say what the first step is (a stack manifest under the stacks folder)
// and offer the demo, instead of pages of empty tables.
import type { ReactNode } from 'react';
import type { WorkspaceInfo } from '../../../shared/ipc/contract';
import { call } from '../../ipc/client';
import { useNavigate } from '../../ui/navigation';
import { useAsync } from '../../ui/use-async';

/** Draws `children` unless the open workspace has no stacks (a load error is left to the page to show). */
export function WorkspaceGate({ workspace, children }: { workspace: WorkspaceInfo; children: ReactNode }): ReactNode {
  const [stacks] = useAsync(() => call('stacks:list', {}));
  if (stacks.status === 'ready' && stacks.value.stacks.length === 0) return <EmptyWorkspace workspace={workspace} />;
  return children;
}

export function EmptyWorkspace({ workspace }: { workspace: WorkspaceInfo }): ReactNode {
  const navigate = useNavigate();
  return (
    <section className="page" aria-labelledby="empty-workspace-title" data-testid="empty-workspace">
      <h1 id="empty-workspace-title">No stacks in {workspace.name} yet</h1>
      <div className="card first-step">
        <h2>First step: add a stack</h2>
        <p>
          Atmos reads stacks from the folder <code>stacks.base_path</code> in <code>{workspace.configFile}</code> names.
          Create a manifest there, for example <code>stacks/dev.yaml</code>:
        </p>
        <pre className="snippet">{`vars:
  stage: dev
components:
  terraform:
    api:
      secrets:
        vars:
          DB_PASSWORD:
            store: local`}</pre>
        <p className="muted">The app notices the new file and shows the stack. Then declare and set its secrets here.</p>
      </div>
      <div className="card">
        <h2>Or start from the demo</h2>
        <p className="muted">A small repository with a keychain store and secrets at every scope, copied where you choose.</p>
        <button type="button" onClick={() => navigate({ page: 'workspace' })}>
          Open the demo…
        </button>
      </div>
    </section>
  );
}
