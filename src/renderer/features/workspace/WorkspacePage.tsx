// Choose the workspace: type a path or pick a folder, reopen a recent one, or copy the demo somewhere.
import { useState, type FormEvent, type ReactNode } from 'react';
import type { WorkspaceInfo } from '../../../shared/ipc/contract';
import { call } from '../../ipc/client';
import { Empty, ErrorState, Loading } from '../../ui/states';
import { useRegisterActions, type PaletteAction } from '../../ui/palette/actions';
import { useAsync } from '../../ui/use-async';

interface Props {
  readonly canPickFolder: boolean;
  readonly current: WorkspaceInfo | null;
  readonly onOpened: (w: WorkspaceInfo) => void;
}

export function WorkspacePage({ canPickFolder, current, onOpened }: Props): ReactNode {
  const [path, setPath] = useState('');
  const [demoTarget, setDemoTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [recent, reloadRecent] = useAsync(() => call('workspace:recent', {}));

  async function run(action: () => Promise<WorkspaceInfo>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      onOpened(await action());
      reloadRecent();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const openPath = (p: string): Promise<void> => run(() => call('workspace:open', { path: p.trim() }));

  async function pickAndOpen(): Promise<void> {
    const { path: picked } = await call('workspace:pickFolder', { title: 'Open an Atmos workspace' });
    if (picked) await openPath(picked);
  }

  async function openDemo(): Promise<void> {
    let target = demoTarget.trim();
    if (!target && canPickFolder) {
      target = (await call('workspace:pickFolder', { title: 'Where should the demo be copied?' })).path ?? '';
    }
    if (!target) {
      setError(new Error('Type the folder the demo should be copied into.'));
      return;
    }
    await run(() => call('workspace:openDemo', { target }));
  }

  // In the command palette while this page shows: the page's two ways in.
  const actions: PaletteAction[] = [
    {
      id: 'workspace:type-path',
      label: 'Type a workspace folder',
      group: 'Workspace',
      run: () => document.getElementById('workspace-path')?.focus(),
    },
    {
      id: 'workspace:demo',
      label: 'Open the demo',
      group: 'Workspace',
      keywords: 'example try',
      run: () => void openDemo(),
    },
    ...(canPickFolder
      ? [{ id: 'workspace:pick', label: 'Choose a folder…', group: 'Workspace', run: () => void pickAndOpen() }]
      : []),
  ];
  useRegisterActions(actions);

  function submit(e: FormEvent): void {
    e.preventDefault();
    if (path.trim()) void openPath(path);
  }

  return (
    <section className="page" aria-labelledby="workspace-title">
      <h1 id="workspace-title">Workspace</h1>
      {current ? (
        <p className="current" data-testid="current-workspace">
          Open: <strong>{current.name}</strong> <code>{current.path}</code>
        </p>
      ) : (
        <p className="muted">Open the root of an Atmos repository: the folder that holds atmos.yaml.</p>
      )}

      <form className="row" onSubmit={submit}>
        <label htmlFor="workspace-path" className="sr-only">
          Workspace folder
        </label>
        <input
          id="workspace-path"
          data-testid="workspace-path"
          placeholder="/path/to/infrastructure"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          spellCheck={false}
        />
        <button type="submit" disabled={busy || !path.trim()} data-testid="open-workspace">
          Open
        </button>
        {canPickFolder ? (
          <button type="button" onClick={() => void pickAndOpen()} disabled={busy}>
            Choose folder…
          </button>
        ) : null}
      </form>

      {error ? <ErrorState error={error} /> : null}

      <div className="card">
        <h2>Try the demo</h2>
        <p className="muted">
          A small Atmos repository with a keychain store, stacks built from a catalog, and secrets at every scope. It is
          copied to a folder of your choosing; the installed copy is never changed.
        </p>
        <div className="row">
          <label htmlFor="demo-target" className="sr-only">
            Copy the demo into
          </label>
          <input
            id="demo-target"
            data-testid="demo-target"
            placeholder={canPickFolder ? 'Choose a folder, or type one' : '/path/to/copy/the/demo/into'}
            value={demoTarget}
            onChange={(e) => setDemoTarget(e.target.value)}
            spellCheck={false}
          />
          <button type="button" onClick={() => void openDemo()} disabled={busy} data-testid="open-demo">
            Open the demo
          </button>
        </div>
      </div>

      <div className="card">
        <h2>Recent</h2>
        {recent.status === 'loading' ? <Loading what="recent workspaces" /> : null}
        {recent.status === 'error' ? <ErrorState error={recent.error} onRetry={reloadRecent} /> : null}
        {recent.status === 'ready' && recent.value.items.length === 0 ? (
          <Empty title="No recent workspaces">Workspaces you open appear here.</Empty>
        ) : null}
        {recent.status === 'ready' && recent.value.items.length > 0 ? (
          <ul className="list" data-testid="recent-list">
            {recent.value.items.map((item) => (
              <li key={item.path}>
                <button type="button" className="link" onClick={() => void openPath(item.path)} disabled={busy}>
                  <strong>{item.name}</strong> <code>{item.path}</code>
                </button>
                <button
                  type="button"
                  className="ghost"
                  aria-label={`Forget ${item.name}`}
                  onClick={() => void call('workspace:forget', { path: item.path }).then(reloadRecent)}
                >
                  Forget
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </section>
  );
}
