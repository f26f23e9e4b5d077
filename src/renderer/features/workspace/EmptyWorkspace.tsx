// An open workspace with no stacks yet: above the page, say what the first step is (a stack manifest under the
// stacks folder) and offer the demo, so empty tables are not all the person sees.
import type { ReactNode } from 'react';
import type { WorkspaceInfo } from '../../../shared/ipc/contract';
import { call } from '../../ipc/client';
import { useNavigate } from '../../ui/navigation';
import { useAsync } from '../../ui/use-async';

/** Draws `children`, with the first step above them while the open workspace has no stacks. */
export function WorkspaceGate({ workspace, children }: { workspace: WorkspaceInfo; children: ReactNode }): ReactNode {
  // A load error is left to the page to show, with its file and line.
  const [stacks] = useAsync(() => call('stacks:list', {}));
  const empty = stacks.status === 'ready' && stacks.value.stacks.length === 0;
  return (
    <>
      {empty ? <EmptyWorkspace workspace={workspace} /> : null}
      {children}
    </>
  );
}

export function EmptyWorkspace({ workspace }: { workspace: WorkspaceInfo }): ReactNode {
  const navigate = useNavigate();
  return (
    <section className="card first-step" aria-labelledby="empty-workspace-title" data-testid="empty-workspace">
      <h2 id="empty-workspace-title">First step: add a stack to {workspace.name}</h2>
      <p>
        Atmos reads stacks from the folder that <code>stacks.base_path</code> in <code>{workspace.configFile}</code>{' '}
        names. Create a manifest there, for example <code>stacks/dev.yaml</code>:
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
      <p className="muted">
        The app notices the new file and shows the stack; then declare and set its secrets here. Or start from the demo:
        a small repository with a keychain store and secrets at every scope.
      </p>
      <div className="row">
        <button type="button" onClick={() => navigate({ page: 'workspace' })}>
          Open the demo…
        </button>
      </div>
    </section>
  );
}
