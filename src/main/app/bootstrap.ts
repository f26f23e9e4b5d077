// The composition root: wires Electron (injected, so tests can pass fakes) to the services and IPC.
import type * as Electron from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KeytarKeychain } from '../keychain/keytar-keychain';
import { createHandlers } from '../ipc/handlers';
import { Operations } from '../ipc/operations';
import { registerIpc } from '../ipc/register';
import { createRouter, trustRendererUrl } from '../ipc/router';
import { fileLineWriter } from '../log/log-file';
import { createLogger } from '../log/logger';
import { createServices } from '../services';
import { MENU_CHANNEL, WORKSPACE_CHANNEL, type MenuAction } from '../../shared/ipc/envelope';
import { electronFileDialogs } from './file-dialogs';
import { electronClipboardPort } from './electron-clipboard';
import { menuTemplate } from './menu';
import { createMainWindow } from './window';

export type ElectronApi = Pick<
  typeof Electron,
  'app' | 'BrowserWindow' | 'clipboard' | 'ClipboardItem' | 'ipcMain' | 'Menu' | 'dialog' | 'session' | 'shell'
>;

export interface BootstrapOptions {
  /** Folder of the built main bundle (out/main); preload and renderer sit beside it. */
  readonly outDir: string;
  readonly resourcesDir: string;
  readonly demoDir: string;
  /** The dev server (ELECTRON_RENDERER_URL): honoured only when the app is not packaged. */
  readonly rendererUrl?: string;
  /** Where uncaught errors are reported (default: the process); tests pass an emitter of their own. */
  readonly processEvents?: ProcessEvents;
}

export interface ProcessEvents {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
}

export function bootstrap(electron: ElectronApi, o: BootstrapOptions): void {
  const { app } = electron;
  // A packaged app loads only its own built renderer: an environment variable must not point it elsewhere.
  const packaged = app.isPackaged;
  const rendererUrl = packaged ? undefined : o.rendererUrl;
  const rendererFile = join(o.outDir, '../renderer/index.html');
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let mainWindow: Electron.BrowserWindow | null = null;
  const userDataDir = app.getPath('userData');
  // "See the application log" in an error points here: userData/logs/main.log, every line redacted.
  const log = createLogger(fileLineWriter(join(userDataDir, 'logs')));
  // Electron's default for an uncaught main-process error is a dialog with its message and stack, which could
  // quote a value: log it, redacted, instead.
  const events = o.processEvents ?? process;
  events.on('uncaughtException', (e) => log.error('Uncaught exception in the main process', e));
  events.on('unhandledRejection', (e) => log.error('Unhandled promise rejection in the main process', e));

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Belt and braces: whatever webContents appears (even one we did not expect) gets no webviews or windows.
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event) => event.preventDefault());
  });

  void app.whenReady().then(() => {
    const services = createServices({
      version: app.getVersion(),
      keychain: new KeytarKeychain(),
      keychainFor: (service) => new KeytarKeychain(service),
      userDataDir,
      log,
      demoDir: o.demoDir,
      pickFolder: async (title) => {
        const result = await electron.dialog.showOpenDialog({
          title: title ?? 'Open an Atmos workspace',
          properties: ['openDirectory'],
        });
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      clipboard: electronClipboardPort({ clipboard: electron.clipboard, ClipboardItem: electron.ClipboardItem }),
      files: electronFileDialogs(electron),
    });
    const operations = new Operations();
    const router = createRouter(
      createHandlers(services, operations),
      trustRendererUrl(rendererUrl ?? pathToFileURL(rendererFile).href),
      operations,
      log,
    );
    registerIpc(electron.ipcMain, router, () => (mainWindow ? [mainWindow.webContents] : []));
    // Edits on disk reach the page (it reloads its data in place); a copied secret does not outlive the app.
    services.watcher.onChange((change) => mainWindow?.webContents.send(WORKSPACE_CHANNEL, change));
    // Best effort: the process is going; a clipboard that cannot be read or cleared has no one to tell.
    app.on('will-quit', () => void services.clipboard.clearIfOurs().catch(() => undefined));
    electron.Menu.setApplicationMenu(
      electron.Menu.buildFromTemplate(
        menuTemplate(
          process.platform,
          app.getName(),
          () => mainWindow?.webContents.send(MENU_CHANNEL, 'open-workspace' satisfies MenuAction),
          packaged,
        ),
      ),
    );
    const open = (): void => {
      mainWindow = createMainWindow({
        BrowserWindow: electron.BrowserWindow,
        session: electron.session.defaultSession,
        preloadPath: join(o.outDir, '../preload/index.cjs'),
        iconPath: join(o.resourcesDir, 'icon.png'),
        packaged,
        rendererUrl,
        rendererFile,
        openExternal: (url) => void electron.shell.openExternal(url),
      });
      mainWindow.on('closed', () => {
        mainWindow = null;
      });
    };
    open();
    app.on('activate', () => {
      if (!mainWindow) open();
    });
  });
}
