// The composition root with every Electron object faked: single-instance lock, window, menu and IPC wiring.
import { describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INVOKE_CHANNEL } from '../../shared/ipc/envelope';
import { processRedactor } from '../log/redactor';
import { bootstrap, type ElectronApi } from './bootstrap';

type Listener = (...args: unknown[]) => unknown;

function fakeElectron(gotLock = true, isPackaged = true) {
  const appListeners = new Map<string, Listener>();
  const handlers = new Map<string, Listener>();
  const windows: FakeWindow[] = [];
  let menuTemplate: unknown;
  let ready: () => void = () => {};
  const readyPromise = new Promise<void>((r) => (ready = r));
  const userData = mkdtempSync(join(tmpdir(), 'atmos-userdata-'));

  class FakeWindow {
    private static nextId = 1;
    readonly webContents = {
      id: FakeWindow.nextId++,
      mainFrame: {},
      on: vi.fn(),
      send: vi.fn(),
      setWindowOpenHandler: vi.fn(),
      isDestroyed: () => false,
    };
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    constructor(readonly options: unknown) {
      windows.push(this);
    }
    once = vi.fn();
    on = vi.fn();
    isMinimized = () => true;
    loadFile = vi.fn(async () => {});
    loadURL = vi.fn(async () => {});
  }

  const app = {
    isPackaged,
    requestSingleInstanceLock: vi.fn(() => gotLock),
    quit: vi.fn(),
    on: vi.fn((event: string, l: Listener) => appListeners.set(event, l)),
    whenReady: () => readyPromise,
    getVersion: () => '9.9.9',
    getName: () => 'Atmos Secrets',
    getPath: () => userData,
  };
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: { handle: vi.fn((ch: string, l: Listener) => handlers.set(ch, l)) },
    Menu: { buildFromTemplate: vi.fn((t: unknown) => ((menuTemplate = t), { t })), setApplicationMenu: vi.fn() },
    dialog: { showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] })) },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: vi.fn() },
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
      },
    },
    shell: { openExternal: vi.fn() },
    clipboard: { writeText: vi.fn(), write: vi.fn(), readText: vi.fn(), clear: vi.fn() },
    ClipboardItem: class {
      constructor(readonly items: Record<string, unknown>) {}
    },
  } as unknown as ElectronApi;
  return { electron, app, appListeners, handlers, windows, getMenu: () => menuTemplate, ready, userData };
}

const processEvents = new EventEmitter();
const options = {
  outDir: '/app/out/main',
  resourcesDir: '/app/resources',
  demoDir: '/app/examples/demo',
  processEvents,
};

describe('bootstrap', () => {
  it('quits when another instance holds the lock', () => {
    const f = fakeElectron(false);
    bootstrap(f.electron, options);
    expect(f.app.quit).toHaveBeenCalled();
    expect(f.windows).toHaveLength(0);
  });

  it('opens one window, a menu and the IPC handler once ready', async () => {
    const f = fakeElectron();
    bootstrap(f.electron, options);
    f.ready();
    await vi.waitFor(() => expect(f.windows).toHaveLength(1));
    expect(f.handlers.has(INVOKE_CHANNEL)).toBe(true);
    const menu = JSON.stringify(f.getMenu());
    expect(menu).toContain('Open Workspace…');
    expect(f.windows[0]?.options).toMatchObject({
      webPreferences: { preload: '/app/out/preload/index.cjs', sandbox: true, contextIsolation: true },
    });
  });

  it('answers its own window and refuses any other sender', async () => {
    const f = fakeElectron();
    bootstrap(f.electron, options);
    f.ready();
    await vi.waitFor(() => expect(f.windows).toHaveLength(1));
    const handle = f.handlers.get(INVOKE_CHANNEL);
    const own = f.windows[0]?.webContents;
    if (!handle || !own) throw new Error('not wired');
    const okEvent = {
      sender: own,
      senderFrame: Object.assign(own.mainFrame, { url: 'file:///app/out/renderer/index.html' }),
    };
    expect(await handle(okEvent, 'app:info', {})).toMatchObject({ ok: true, value: { version: '9.9.9' } });

    const stranger = { id: 999, mainFrame: { url: 'file:///tmp/x.html' }, isDestroyed: () => false, send: vi.fn() };
    const badEvent = { sender: stranger, senderFrame: stranger.mainFrame };
    expect(await handle(badEvent, 'app:info', {})).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });

    const subframe = { sender: own, senderFrame: { url: 'file:///app/out/renderer/index.html' } };
    expect(await handle(subframe, 'app:info', {})).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
  });

  it('logs an unexpected handler error, redacted, to userData/logs/main.log', async () => {
    const canary = 'bootstrap-log-CANARY-51e0';
    processRedactor.remember(canary);
    const f = fakeElectron();
    // A secret copy goes through clipboard.write (the text and its clipboard-manager marks in one item).
    (f.electron.clipboard.write as unknown as ReturnType<typeof vi.fn>).mockImplementation(() => {
      throw new Error(`clipboard refused ${canary}`);
    });
    bootstrap(f.electron, options);
    f.ready();
    await vi.waitFor(() => expect(f.windows).toHaveLength(1));
    const handle = f.handlers.get(INVOKE_CHANNEL);
    const own = f.windows[0]?.webContents;
    if (!handle || !own) throw new Error('not wired');
    const event = {
      sender: own,
      senderFrame: Object.assign(own.mainFrame, { url: 'file:///app/out/renderer/index.html' }),
    };
    const res = await handle(event, 'clipboard:write', { text: 'x' });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: expect.stringContaining('application log') },
    });
    expect(JSON.stringify(res)).not.toContain(canary);
    const log = readFileSync(join(f.userData, 'logs', 'main.log'), 'utf8');
    expect(log).toContain('clipboard:write');
    expect(log).toContain('clipboard refused ***');
    expect(log).not.toContain(canary);
  });

  it('logs an uncaught main-process error or rejection, redacted, instead of showing it', () => {
    const canary = 'uncaught-CANARY-9d2c';
    processRedactor.remember(canary);
    const f = fakeElectron();
    const events = new EventEmitter();
    bootstrap(f.electron, { ...options, processEvents: events });
    events.emit('uncaughtException', new Error(`boom ${canary}`));
    events.emit('unhandledRejection', new Error(`late ${canary}`));
    const log = readFileSync(join(f.userData, 'logs', 'main.log'), 'utf8');
    expect(log).toContain('Uncaught exception in the main process');
    expect(log).toContain('Unhandled promise rejection in the main process');
    expect(log).toContain('boom ***');
    expect(log).not.toContain(canary);
  });

  it('trusts only the exact renderer URL, not any file:// page of its own window', async () => {
    const f = fakeElectron();
    bootstrap(f.electron, options);
    f.ready();
    await vi.waitFor(() => expect(f.windows).toHaveLength(1));
    const handle = f.handlers.get(INVOKE_CHANNEL);
    const own = f.windows[0]?.webContents;
    if (!handle || !own) throw new Error('not wired');
    const at = (url: string) => ({ sender: own, senderFrame: Object.assign(own.mainFrame, { url }) });
    expect(await handle(at('file:///app/out/renderer/index.html#/secrets'), 'app:info', {})).toMatchObject({
      ok: true,
    });
    for (const url of [
      'file:///tmp/evil.html',
      'file:///app/out/renderer/index.html/../../x.html',
      'file://evil/app/out/renderer/index.html',
    ]) {
      expect(await handle(at(url), 'app:info', {}), url).toMatchObject({
        ok: false,
        error: { code: 'UNTRUSTED_SENDER' },
      });
    }
  });

  it('ignores ELECTRON_RENDERER_URL in a packaged app, and honours it in development', async () => {
    const packaged = fakeElectron(true, true);
    bootstrap(packaged.electron, { ...options, rendererUrl: 'http://localhost:5173' });
    packaged.ready();
    await vi.waitFor(() => expect(packaged.windows).toHaveLength(1));
    expect(packaged.windows[0]?.loadURL).not.toHaveBeenCalled();
    expect(packaged.windows[0]?.loadFile).toHaveBeenCalledWith('/app/out/renderer/index.html');
    const handle = packaged.handlers.get(INVOKE_CHANNEL);
    const own = packaged.windows[0]?.webContents;
    if (!handle || !own) throw new Error('not wired');
    const fromDevServer = { sender: own, senderFrame: Object.assign(own.mainFrame, { url: 'http://localhost:5173/' }) };
    expect(await handle(fromDevServer, 'app:info', {})).toMatchObject({
      ok: false,
      error: { code: 'UNTRUSTED_SENDER' },
    });

    const dev = fakeElectron(true, false);
    bootstrap(dev.electron, { ...options, rendererUrl: 'http://localhost:5173' });
    dev.ready();
    await vi.waitFor(() => expect(dev.windows).toHaveLength(1));
    expect(dev.windows[0]?.loadURL).toHaveBeenCalledWith('http://localhost:5173');
  });

  it('offers no DevTools menu item in a packaged app', async () => {
    const f = fakeElectron();
    bootstrap(f.electron, options);
    f.ready();
    await vi.waitFor(() => expect(f.windows).toHaveLength(1));
    const menu = JSON.stringify(f.getMenu());
    expect(menu).not.toMatch(/toggleDevTools|viewMenu/i);
    expect(menu).toContain('togglefullscreen');
  });

  it('focuses the existing window when a second instance starts', async () => {
    const f = fakeElectron();
    bootstrap(f.electron, options);
    f.ready();
    await vi.waitFor(() => expect(f.windows).toHaveLength(1));
    f.appListeners.get('second-instance')?.();
    expect(f.windows[0]?.restore).toHaveBeenCalled();
    expect(f.windows[0]?.focus).toHaveBeenCalled();
  });

  it('denies new windows and webviews on any webContents that appears', () => {
    const f = fakeElectron();
    bootstrap(f.electron, options);
    const contents = { setWindowOpenHandler: vi.fn(), on: vi.fn() };
    f.appListeners.get('web-contents-created')?.({}, contents);
    const handler = contents.setWindowOpenHandler.mock.calls[0]?.[0] as () => unknown;
    expect(handler()).toEqual({ action: 'deny' });
    expect(contents.on).toHaveBeenCalledWith('will-attach-webview', expect.any(Function));
  });
});
