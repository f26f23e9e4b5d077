// Creates the one main window with the sandboxed renderer, and locks it down: CSP on every response,
// no navigation away, no new windows, no webviews, no permission grants.
import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, WEB_PREFERENCES } from './security';

export interface WindowDeps {
  readonly BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  readonly session: Pick<Session, 'webRequest' | 'setPermissionRequestHandler'>;
  readonly preloadPath: string;
  readonly iconPath: string;
  /** The renderer: a dev-server URL in development, else the built index.html. */
  readonly rendererUrl?: string;
  readonly rendererFile: string;
  /** Opens http(s) links in the person's browser instead of in the app. */
  readonly openExternal: (url: string) => void;
}

export function windowOptions(deps: Pick<WindowDeps, 'preloadPath' | 'iconPath'>): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Atmos Secrets',
    icon: deps.iconPath,
    backgroundColor: '#0f172a',
    webPreferences: { ...WEB_PREFERENCES, preload: deps.preloadPath },
  };
}

/** Applies the CSP header to every response the renderer's session serves. */
export function installContentSecurityPolicy(session: WindowDeps['session']): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  // The app needs no camera, notifications, geolocation or anything else a page may ask for.
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

/** Denies navigation, new windows and webviews on a renderer's webContents. */
export function lockDownWebContents(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) openExternal(url);
    return { action: 'deny' };
  });
}

export function createMainWindow(deps: WindowDeps): BrowserWindow {
  installContentSecurityPolicy(deps.session);
  const win = new deps.BrowserWindow(windowOptions(deps));
  lockDownWebContents(win.webContents, deps.openExternal);
  win.once('ready-to-show', () => win.show());
  if (deps.rendererUrl) void win.loadURL(deps.rendererUrl);
  else void win.loadFile(deps.rendererFile);
  return win;
}
