// The app's services, wired without Electron: the Electron composition root (app/) and the e2e bridge both
// build one of these, so every handler runs the same code in both.
import { join } from 'node:path';
import type { Keychain } from './keychain/keychain';
import { stderrLogger, type Logger } from './log/logger';
import { RecentWorkspaces } from './session/recent';
import { SettingsStore } from './session/settings';
import { WorkspaceSession } from './session/session';
import { TrustedFolders } from './session/trusted-folders';
import { WorkspaceWatcher } from './session/workspace-watch';
import { MemoryClipboard, SecretClipboard, type ClipboardPort } from './session/secret-clipboard';

export interface AppServices {
  readonly appName: string;
  readonly version: string;
  readonly keychain: Keychain;
  readonly keychainFor: (service?: string) => Keychain;
  readonly recent: RecentWorkspaces;
  readonly session: WorkspaceSession;
  /** The folders the person trusted to run their code (`!exec`), in the app's data folder. */
  readonly trust: TrustedFolders;
  /** The app's settings (theme, timeouts, rotation age, production stacks), in the app's data folder. */
  readonly settings: SettingsStore;
  /** Watches the open workspace's YAML for edits made outside the app; a change drops the cached load. */
  readonly watcher: WorkspaceWatcher;
  /** The bundled demo repository (read-only; it is copied, never edited). */
  readonly demoDir: string;
  /** A native folder picker where there is one (Electron); null elsewhere. */
  readonly pickFolder: ((title?: string) => Promise<string | null>) | null;
  /**
   * Copies to the system clipboard (Electron's; an in-memory one elsewhere): a sensitive copy is marked for
   * clipboard managers and cleared after the `clipboardClearSeconds` setting unless something else was copied.
   */
  readonly clipboard: SecretClipboard;
  /** The application log (redacting): userData/logs/main.log in the app, stderr elsewhere. */
  readonly log: Logger;
  /** Native file dialogs and the file manager (Electron: app/file-dialogs.ts); null where there are none. */
  readonly files: FileDialogs | null;
}

/** A file filter of a native dialog: a name and extensions without the dot. */
export interface FileFilter {
  readonly name: string;
  readonly extensions: readonly string[];
}

/** The OS's own file dialogs and file manager, injected so handlers and tests run without Electron. */
export interface FileDialogs {
  /** Where to save a new file; null when the person closed the dialog. */
  save(o: { title: string; defaultName: string; filters: readonly FileFilter[] }): Promise<string | null>;
  /** Which file to open; null when the person closed the dialog. */
  open(o: { title: string; filters: readonly FileFilter[] }): Promise<string | null>;
  /** Shows the file selected in the OS file manager. */
  reveal(file: string): void;
}

export interface ServiceOptions {
  readonly appName?: string;
  readonly version: string;
  /** The OS keychain under the app's own service (age keys, tokens), for the Keys page. */
  readonly keychain: Keychain;
  /** The OS keychain under any service, for keychain stores with their own `service` option. */
  readonly keychainFor: (service?: string) => Keychain;
  readonly userDataDir: string;
  readonly demoDir: string;
  readonly pickFolder?: (title?: string) => Promise<string | null>;
  readonly clipboard?: ClipboardPort;
  /** The platform whose clipboard marks are written (default: this process's). */
  readonly platform?: NodeJS.Platform;
  readonly log?: Logger;
  readonly files?: FileDialogs;
}

export function createServices(o: ServiceOptions): AppServices {
  const session = new WorkspaceSession(o.keychainFor);
  const log = o.log ?? stderrLogger;
  const watcher = new WorkspaceWatcher({ warn: (m) => log.warn(m) });
  const settings = new SettingsStore(join(o.userDataDir, 'settings.json'));
  const clipboard = new SecretClipboard(o.clipboard ?? new MemoryClipboard(), {
    platform: o.platform ?? process.platform,
    clearAfterSeconds: async () => (await settings.get()).clipboardClearSeconds,
  });
  // An edit on disk: the next request reads the files again (open() with the same folder and trust drops the
  // cached load); the app is told too (bootstrap / the e2e bridge forward the change to the renderer).
  watcher.onChange((change) => {
    const current = session.current;
    if (current && current.path === change.root) session.open(current, session.trusted);
  });
  return {
    appName: o.appName ?? 'Atmos Secrets',
    version: o.version,
    keychain: o.keychain,
    keychainFor: o.keychainFor,
    recent: new RecentWorkspaces(join(o.userDataDir, 'recent-workspaces.json')),
    session,
    trust: new TrustedFolders(join(o.userDataDir, 'trusted-folders.json')),
    settings,
    watcher,
    demoDir: o.demoDir,
    pickFolder: o.pickFolder ?? null,
    clipboard,
    log,
    files: o.files ?? null,
  };
}
