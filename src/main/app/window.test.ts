// The window's security settings, checked with Electron's objects replaced by recording fakes
// (the Electron binary cannot run in CI here, and these settings must not drift).
import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import { createMainWindow, type WindowDeps } from './window';
import { CONTENT_SECURITY_POLICY } from './security';

type Listener = (...args: unknown[]) => void;

class FakeWebContents {
  readonly listeners = new Map<string, Listener>();
  readonly closeDevTools = vi.fn();
  windowOpenHandler: ((d: { url: string }) => { action: string }) | undefined;
  on(event: string, l: Listener): this {
    this.listeners.set(event, l);
    return this;
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h;
  }
}

class FakeWindow {
  static created: FakeWindow[] = [];
  readonly webContents = new FakeWebContents();
  loaded: { kind: 'url' | 'file'; target: string } | undefined;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    FakeWindow.created.push(this);
  }
  once(): this {
    return this;
  }
  async loadURL(url: string): Promise<void> {
    this.loaded = { kind: 'url', target: url };
  }
  async loadFile(file: string): Promise<void> {
    this.loaded = { kind: 'file', target: file };
  }
}

function setup(overrides: Partial<WindowDeps> = {}) {
  FakeWindow.created = [];
  let headersHook: ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void) | undefined;
  let permissionHook: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
  let permissionCheck: ((wc: unknown, p: string) => boolean) | undefined;
  const openExternal = vi.fn();
  const deps = {
    BrowserWindow: FakeWindow,
    session: {
      webRequest: { onHeadersReceived: (h: typeof headersHook) => (headersHook = h) },
      setPermissionRequestHandler: (h: typeof permissionHook) => (permissionHook = h),
      setPermissionCheckHandler: (h: typeof permissionCheck) => (permissionCheck = h),
    },
    packaged: true,
    preloadPath: '/app/out/preload/index.cjs',
    iconPath: '/app/resources/icon.png',
    rendererFile: '/app/out/renderer/index.html',
    openExternal,
    ...overrides,
  } as unknown as WindowDeps;
  createMainWindow(deps);
  const win = FakeWindow.created[0];
  if (!win || !headersHook || !permissionHook || !permissionCheck) throw new Error('window not created');
  return { win, headersHook, permissionHook, permissionCheck, openExternal };
}

describe('main window', () => {
  it('sandboxes the renderer and isolates its context', () => {
    const { win } = setup();
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/out/preload/index.cjs',
    });
    expect(win.options.icon).toBe('/app/resources/icon.png');
  });

  it('sets a strict Content-Security-Policy on every response', () => {
    const { headersHook } = setup();
    let result: { responseHeaders: Record<string, string[]> } | undefined;
    headersHook({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (result = r as typeof result));
    expect(result?.responseHeaders['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(result?.responseHeaders['X-Other']).toEqual(['1']);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('denies navigation, redirects and webviews', () => {
    const { win } = setup();
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      win.webContents.listeners.get(event)?.({ preventDefault });
      expect(preventDefault, event).toHaveBeenCalled();
    }
  });

  it('denies new windows, sending only allow-listed documentation links to the browser', () => {
    const { win, openExternal } = setup();
    expect(win.webContents.windowOpenHandler?.({ url: 'https://atmos.tools/cli/commands/' })).toEqual({
      action: 'deny',
    });
    expect(openExternal).toHaveBeenCalledWith('https://atmos.tools/cli/commands/');
    for (const url of [
      'https://evil.example/',
      'https://atmos.tools.evil.example/',
      'https://atmos.tools@evil.example/',
      'http://atmos.tools/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(win.webContents.windowOpenHandler?.({ url }), url).toEqual({ action: 'deny' });
    }
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('refuses every permission request and answers every permission check with no', () => {
    const { permissionHook, permissionCheck } = setup();
    const cb = vi.fn();
    permissionHook({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    for (const p of ['clipboard-read', 'notifications', 'media', 'geolocation'])
      expect(permissionCheck({}, p), p).toBe(false);
  });

  it('makes DevTools unreachable in a packaged app: off in webPreferences, shortcuts swallowed, closed if opened', () => {
    const { win } = setup({ packaged: true });
    expect(win.options.webPreferences?.devTools).toBe(false);
    const onKey = win.webContents.listeners.get('before-input-event');
    if (!onKey) throw new Error('no before-input-event listener');
    const keys = [
      { key: 'F12' },
      { key: 'I', control: true, shift: true },
      { key: 'j', control: true, shift: true },
      { key: 'C', control: true, shift: true },
      { key: 'i', meta: true, alt: true },
    ];
    for (const input of keys) {
      const preventDefault = vi.fn();
      onKey({ preventDefault }, { type: 'keyDown', control: false, shift: false, meta: false, alt: false, ...input });
      expect(preventDefault, JSON.stringify(input)).toHaveBeenCalled();
    }
    const typing = vi.fn();
    onKey(
      { preventDefault: typing },
      { type: 'keyDown', key: 'i', control: false, shift: true, meta: false, alt: false },
    );
    expect(typing).not.toHaveBeenCalled();
    win.webContents.listeners.get('devtools-opened')?.();
    expect(win.webContents.closeDevTools).toHaveBeenCalled();
  });

  it('keeps DevTools in development', () => {
    const { win } = setup({ packaged: false });
    expect(win.options.webPreferences?.devTools).toBe(true);
    expect(win.webContents.listeners.has('before-input-event')).toBe(false);
  });

  it('loads the built renderer file, or the dev server when given', () => {
    expect(setup().win.loaded).toEqual({ kind: 'file', target: '/app/out/renderer/index.html' });
    expect(setup({ rendererUrl: 'http://localhost:5173/' }).win.loaded).toEqual({
      kind: 'url',
      target: 'http://localhost:5173/',
    });
  });
});
