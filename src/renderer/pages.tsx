// The app's pages, in sidebar order. A page is one entry here and one folder in features/; the shell (App.tsx)
// draws the sidebar and the current page from this list.
import type { ReactNode } from 'react';
import type { WorkspaceInfo } from '../shared/ipc/contract';
import { DiffPage } from './features/diff/DiffPage';
import { HealthPage } from './features/health/HealthPage';
import { ImportPage } from './features/import/ImportPage';
import { KeysPage } from './features/keys/KeysPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { SecretsPage } from './features/secrets/SecretsPage';
import { StacksPage } from './features/stacks/StacksPage';
import { StoresPage } from './features/stores/StoresPage';
import { ValidatePage } from './features/validate/ValidatePage';
import type { PageId } from './ui/navigation';

export interface PageDef {
  readonly id: PageId;
  readonly label: string;
  /** Shown only while a workspace is open. */
  readonly needsWorkspace: boolean;
  /** The page itself; `workspace` is null only for pages that do not need one. */
  render(workspace: WorkspaceInfo | null): ReactNode;
}

// The Workspace page is drawn by the shell itself (it opens workspaces); its entry gives it a place in the list.
export const PAGES: readonly PageDef[] = [
  { id: 'workspace', label: 'Workspace', needsWorkspace: false, render: () => null },
  { id: 'stacks', label: 'Stacks', needsWorkspace: true, render: (w) => <StacksPage key={w?.path} /> },
  { id: 'secrets', label: 'Secrets', needsWorkspace: true, render: (w) => <SecretsPage key={w?.path} /> },
  { id: 'validate', label: 'Validate', needsWorkspace: true, render: (w) => <ValidatePage key={w?.path} /> },
  { id: 'health', label: 'Health', needsWorkspace: true, render: (w) => <HealthPage key={w?.path} /> },
  { id: 'diff', label: 'Diff', needsWorkspace: true, render: (w) => <DiffPage key={w?.path} /> },
  { id: 'stores', label: 'Stores', needsWorkspace: true, render: (w) => <StoresPage key={w?.path} /> },
  { id: 'import', label: 'Import', needsWorkspace: true, render: (w) => <ImportPage key={w?.path} /> },
  {
    id: 'keys',
    label: 'Keys',
    needsWorkspace: false,
    render: (w) => <KeysPage key={w?.path ?? ''} workspaceOpen={w !== null} />,
  },
  { id: 'settings', label: 'Settings', needsWorkspace: false, render: () => <SettingsPage /> },
];
