// The app shell: providers (settings and theme, toasts, palette actions), the sidebar of pages (pages.tsx), the
// current page inside an error boundary, keyboard shortcuts and the command palette, and the workspace's
// reload (the Reload button, F5, and edits on disk that main's watcher reports). Each page lives in
// features/<area>/.
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { WorkspaceInfo } from '../shared/ipc/contract';
import { TrustGate } from './features/trust/TrustGate';
import { WorkspaceGate } from './features/workspace/EmptyWorkspace';
import { WorkspacePage } from './features/workspace/WorkspacePage';
import { searchSecretsAction } from './features/secrets/GlobalSearch';
import { call, onMenu, onWorkspaceChanged } from './ipc/client';
import { PAGES, type PageDef } from './pages';
import { ActivityBar } from './ui/activity';
import { ErrorBoundary } from './ui/ErrorBoundary';
import { NavigationProvider, type NavTarget } from './ui/navigation';
import { ActionsProvider, useRegisterActions, type PaletteAction } from './ui/palette/actions';
import { CommandPalette } from './ui/palette/CommandPalette';
import { RefreshProvider } from './ui/refresh';
import { SettingsProvider, useSettings } from './ui/settings';
import { formatShortcut, matchesShortcut } from './ui/shortcuts';
import { ErrorState, Loading } from './ui/states';
import { nextTheme, THEME_LABELS } from './ui/theme';
import { ToastProvider, useToast } from './ui/toast';
import { useAsync } from './ui/use-async';

export const SHORTCUTS = {
  palette: 'Mod+K',
  openWorkspace: 'Mod+O',
  reload: 'F5',
  search: 'Mod+F',
  settings: 'Mod+,',
  theme: 'Mod+Shift+L',
} as const;

/** Mod+1 ... Mod+9 go to the sidebar's pages in order. */
const pageShortcut = (index: number): string | undefined => (index < 9 ? `Mod+${index + 1}` : undefined);

export function App(): ReactNode {
  return (
    <SettingsProvider>
      <ToastProvider>
        <ActionsProvider>
          <Shell />
        </ActionsProvider>
      </ToastProvider>
    </SettingsProvider>
  );
}

function Shell(): ReactNode {
  const [info] = useAsync(() => call('app:info', {}));
  const [target, setTarget] = useState<NavTarget>({ page: 'workspace' });
  const [workspace, setWorkspace] = useState<WorkspaceInfo | null>(null);
  const [generation, setGeneration] = useState(0);
  const [paletteOpen, setPaletteOpen] = useState(false);
  const toast = useToast();
  const { settings, update } = useSettings();

  const reload = useCallback(() => {
    // Main reads every file again (stacks:list with reload); then each page loads its data in place. A file
    // that does not parse is shown by the pages, with its line and "Try again".
    const reading = workspace ? call('stacks:list', { reload: true }).then(() => undefined) : Promise.resolve();
    reading.catch(() => undefined).finally(() => setGeneration((g) => g + 1));
  }, [workspace]);

  const switchTheme = useCallback(() => {
    const theme = nextTheme(settings.theme);
    update({ theme }).then(
      () => toast.success(`Theme: ${THEME_LABELS[theme]}.`),
      (e: unknown) => toast.error(e, 'Theme not saved'),
    );
  }, [settings.theme, update, toast]);

  useEffect(() => onMenu((action) => action === 'open-workspace' && setTarget({ page: 'workspace' })), []);

  useEffect(() => {
    if (!workspace) return;
    return onWorkspaceChanged((change) => {
      if (change.root !== workspace.path) return;
      setGeneration((g) => g + 1);
      const first = change.files[0] ?? 'a file';
      const more = change.files.length > 1 ? ` and ${change.files.length - 1} more` : '';
      // Neutral words: the app's own writes (a SOPS file, a declaration) are seen by the watcher too.
      toast.success(`Workspace reloaded: ${first}${more} changed.`);
    });
  }, [workspace, toast]);

  const visible: readonly PageDef[] = useMemo(
    () => PAGES.filter((p) => !p.needsWorkspace || workspace !== null),
    [workspace],
  );
  const go = useCallback((page: PageDef['id']) => setTarget({ page }), []);

  const focusSearch = useCallback(() => {
    const field = document.querySelector<HTMLElement>(
      'main [data-shortcut="search"], main input[type="search"], main [role="searchbox"]',
    );
    if (field) field.focus();
    else setPaletteOpen(true);
  }, []);

  const actions: PaletteAction[] = [
    ...visible.map((p, i) => {
      const shortcut = pageShortcut(i);
      return {
        id: `page:${p.id}`,
        label: p.label,
        group: 'Go to',
        ...(shortcut ? { shortcut } : {}),
        run: () => go(p.id),
      };
    }),
    {
      id: 'app:open-workspace',
      label: 'Open a workspace…',
      group: 'App',
      shortcut: SHORTCUTS.openWorkspace,
      keywords: 'folder demo',
      run: () => go('workspace'),
    },
    ...(workspace
      ? [{ id: 'app:reload', label: 'Reload the workspace', group: 'App', shortcut: SHORTCUTS.reload, run: reload }]
      : []),
    // The global search from anywhere; the Secrets page lists its own entry, which focuses its box in place.
    ...(workspace && target.page !== 'secrets' ? [searchSecretsAction(setTarget)] : []),
    { id: 'app:search', label: 'Search on this page', group: 'App', shortcut: SHORTCUTS.search, run: focusSearch },
    {
      id: 'app:theme',
      label: `Switch theme (now: ${THEME_LABELS[settings.theme]})`,
      group: 'App',
      shortcut: SHORTCUTS.theme,
      keywords: 'dark light system appearance',
      run: switchTheme,
    },
    { id: 'app:settings', label: 'Settings', group: 'App', shortcut: SHORTCUTS.settings, run: () => go('settings') },
  ];
  useRegisterActions(actions);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const pressed = (s: string): boolean => matchesShortcut(e, s);
      let handled = true;
      if (pressed(SHORTCUTS.palette)) setPaletteOpen((o) => !o);
      else if (paletteOpen) handled = false;
      else if (pressed(SHORTCUTS.openWorkspace)) go('workspace');
      else if (pressed(SHORTCUTS.reload)) reload();
      else if (pressed(SHORTCUTS.search)) focusSearch();
      else if (pressed(SHORTCUTS.settings)) go('settings');
      else if (pressed(SHORTCUTS.theme)) switchTheme();
      else {
        const index = visible.findIndex((_p, i) => {
          const s = pageShortcut(i);
          return s !== undefined && pressed(s);
        });
        const page = visible[index];
        if (page) go(page.id);
        else handled = false;
      }
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, reload, focusSearch, switchTheme, visible, paletteOpen]);

  if (info.status === 'loading') return <Loading what="Atmos Secrets" />;
  if (info.status === 'error') return <ErrorState error={info.error} />;

  const current = visible.find((p) => p.id === target.page);

  return (
    <NavigationProvider target={target} navigate={setTarget}>
      <RefreshProvider generation={generation} reload={reload}>
        <div className="shell">
          <aside className="sidebar">
            <div className="brand">
              Atmos Secrets <span className="version">{info.value.version}</span>
            </div>
            <nav aria-label="Pages">
              {visible.map((p, i) => {
                const shortcut = pageShortcut(i);
                return (
                  <button
                    key={p.id}
                    type="button"
                    className={target.page === p.id ? 'nav active' : 'nav'}
                    aria-current={target.page === p.id ? 'page' : undefined}
                    aria-keyshortcuts={shortcut?.replace('Mod', 'Control')}
                    title={shortcut ? `${p.label} (${formatShortcut(shortcut)})` : p.label}
                    onClick={() => setTarget({ page: p.id })}
                  >
                    {p.label}
                  </button>
                );
              })}
            </nav>
            <div className="sidebar-tools">
              <button
                type="button"
                className="ghost"
                onClick={() => setPaletteOpen(true)}
                title={`Command palette (${formatShortcut(SHORTCUTS.palette)})`}
              >
                Commands <kbd>{formatShortcut(SHORTCUTS.palette)}</kbd>
              </button>
              <button
                type="button"
                className="ghost"
                onClick={switchTheme}
                data-testid="theme-toggle"
                title={`Switch theme (${formatShortcut(SHORTCUTS.theme)})`}
              >
                Theme: {THEME_LABELS[settings.theme]}
              </button>
            </div>
            <div className="sidebar-footer" data-testid="sidebar-workspace">
              {workspace ? (
                <>
                  <span className="muted">Workspace</span>
                  <strong title={workspace.path}>{workspace.name}</strong>
                  <button
                    type="button"
                    className="ghost"
                    onClick={reload}
                    data-testid="reload-workspace"
                    aria-label="Reload the workspace"
                    aria-keyshortcuts="F5"
                    title={`Read the workspace's files again (${formatShortcut(SHORTCUTS.reload)})`}
                  >
                    Reload
                  </button>
                </>
              ) : (
                <span className="muted">No workspace open</span>
              )}
            </div>
          </aside>
          <main className="content">
            <TrustGate workspace={workspace}>
              <ErrorBoundary key={target.page} what={`the ${current?.label ?? 'current'} page`}>
                {target.page === 'workspace' ? (
                  <WorkspacePage
                    canPickFolder={info.value.canPickFolder}
                    current={workspace}
                    onOpened={(w) => {
                      setWorkspace(w);
                      setTarget({ page: 'stacks' });
                    }}
                  />
                ) : current?.needsWorkspace && workspace ? (
                  <WorkspaceGate workspace={workspace}>{current.render(workspace)}</WorkspaceGate>
                ) : (
                  current?.render(workspace)
                )}
              </ErrorBoundary>
            </TrustGate>
          </main>
        </div>
        <ActivityBar />
        {paletteOpen ? <CommandPalette onClose={() => setPaletteOpen(false)} /> : null}
      </RefreshProvider>
    </NavigationProvider>
  );
}
