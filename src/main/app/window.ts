// Creates the one main window with the sandboxed renderer, and locks it down: CSP on every response,
// no navigation away, no new windows, no webviews, no permission grants, and in a packaged app no DevTools.
import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import {
  CONTENT_SECURITY_POLICY,
  WEB_PREFERENCES,
  isAllowedExternalUrl,
  isDevToolsShortcut,
  type KeyInput,
} from './security';

export interface WindowDeps {
  readonly BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  readonly session: Pick<Session, 'webRequest' | 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;
  /** A packaged (production) app: no DevTools at all. */
  readonly packaged: boolean;
  readonly preloadPath: string;
  readonly iconPath: string;
  /** The renderer: a dev-server URL in development, else the built index.html. */
  readonly rendererUrl?: string;
  readonly rendererFile: string;
  /** Opens an allow-listed link (security.ts) in the person's browser instead of in the app. */
  readonly openExternal: (url: string) => void;
}

export function windowOptions(
  deps: Pick<WindowDeps, 'preloadPath' | 'iconPath' | 'packaged'>,
): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Atmos Secrets',
    icon: deps.iconPath,
    backgroundColor: '#0f172a',
    webPreferences: { ...WEB_PREFERENCES, devTools: !deps.packaged, preload: deps.preloadPath },
  };
}

/** Applies the CSP header to every response the renderer's session serves. */
export function installContentSecurityPolicy(session: WindowDeps['session']): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  // The app needs no camera, notifications, geolocation or anything else a page may ask for; the check
  // handler answers the synchronous "is it granted?" queries the same way.
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Denies navigation, new windows and webviews on a renderer's webContents; packaged, DevTools too. */
export function lockDownWebContents(
  contents: WebContents,
  openExternal: (url: string) => void,
  packaged: boolean,
): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
  if (packaged) {
    // devTools:false already makes openDevTools a no-op; these are belt and braces should that ever change.
    contents.on('before-input-event', (event, input: KeyInput) => {
      if (isDevToolsShortcut(input)) event.preventDefault();
    });
    contents.on('devtools-opened', () => contents.closeDevTools());
  }
}

export function createMainWindow(deps: WindowDeps): BrowserWindow {
  installContentSecurityPolicy(deps.session);
  const win = new deps.BrowserWindow(windowOptions(deps));
  lockDownWebContents(win.webContents, deps.openExternal, deps.packaged);
  win.once('ready-to-show', () => win.show());
  if (deps.rendererUrl) void win.loadURL(deps.rendererUrl);
  else void win.loadFile(deps.rendererFile);
  return win;
}
