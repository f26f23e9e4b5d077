// The app's services, wired without Electron: the Electron composition root (app/) and the e2e bridge both
// build one of these, so every handler runs the same code in both.
import { join } from 'node:path';
import type { Keychain } from './keychain/keychain';
import { stderrLogger, type Logger } from './log/logger';
import { RecentWorkspaces } from './session/recent';
import { SettingsStore } from './session/settings';
import { WorkspaceSession } from './session/session';
import { TrustedFolders } from './session/trusted-folders';

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
  /** The bundled demo repository (read-only; it is copied, never edited). */
  readonly demoDir: string;
  /** A native folder picker where there is one (Electron); null elsewhere. */
  readonly pickFolder: ((title?: string) => Promise<string | null>) | null;
  /** Writes text to the system clipboard (Electron's clipboard; a test double elsewhere). */
  readonly clipboard: (text: string) => void;
  /** The application log (redacting): userData/logs/main.log in the app, stderr elsewhere. */
  readonly log: Logger;
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
  readonly clipboard?: (text: string) => void;
  readonly log?: Logger;
}

export function createServices(o: ServiceOptions): AppServices {
  return {
    appName: o.appName ?? 'Atmos Secrets',
    version: o.version,
    keychain: o.keychain,
    keychainFor: o.keychainFor,
    recent: new RecentWorkspaces(join(o.userDataDir, 'recent-workspaces.json')),
    session: new WorkspaceSession(o.keychainFor),
    trust: new TrustedFolders(join(o.userDataDir, 'trusted-folders.json')),
    settings: new SettingsStore(join(o.userDataDir, 'settings.json')),
    demoDir: o.demoDir,
    pickFolder: o.pickFolder ?? null,
    clipboard: o.clipboard ?? (() => {}),
    log: o.log ?? stderrLogger,
  };
}
