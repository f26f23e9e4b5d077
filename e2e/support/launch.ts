// Launches the app for an e2e spec: the real Electron app where its binary exists, else the built renderer
// in Debian's Chromium with the loopback bridge to the same main-process handlers. Specs see one `page`
// either way, so the same specs pass both ways.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron, chromium, type Browser, type ElectronApplication, type Page } from 'playwright-core';
import { KeytarKeychain } from '../../src/main/keychain/keytar-keychain';
import { createServices, type FileDialogs } from '../../src/main/services';
import { MemoryClipboard } from '../../src/main/session/secret-clipboard';
import { CHANNEL_NAMES } from '../../src/shared/ipc/channels';
import { REPO_ROOT } from '../../test/support/paths';
import { BRIDGE_PATH, startBridgeServer, type BridgeServer, type ReceivedMessage } from './bridge-server';
import { installBrowserBridge } from './browser-bridge';
import { electronBinary as electronBinaryIn } from '../../scripts/electron-binary.mjs';

export const ARTIFACTS_DIR = join(REPO_ROOT, 'e2e/artifacts');
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface LaunchedApp {
  readonly mode: 'electron' | 'browser';
  readonly page: Page;
  /** The app's user-data folder for this launch (recent workspaces live here). */
  readonly userDataDir: string;
  /**
   * Full-page screenshots `<name>-light.png` and `<name>-dark.png` in e2e/artifacts/: the OS colour scheme is
   * emulated for each, which the app follows unless the person picked a theme.
   */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** The Electron binary's path when it was downloaded, else null (ELECTRON_SKIP_BINARY_DOWNLOAD installs). */
export function electronBinary(): string | null {
  if (process.env['ATMOS_E2E_MODE'] === 'browser') return null;
  // Never `require('electron')`: its index.js downloads a missing binary as a side effect.
  return electronBinaryIn(dirname(createRequire(import.meta.url).resolve('electron/package.json')));
}

export interface BrowserApp extends LaunchedApp {
  /** Every message the page received over IPC (the loopback bridge), in order. */
  readonly received: readonly ReceivedMessage[];
  /** The system clipboard as main sees it (the bridge's stand-in for Electron's). */
  readonly clipboard: MemoryClipboard;
}

export async function launchApp(): Promise<LaunchedApp> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'atmos-e2e-userdata-'));
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const binary = electronBinary();
  return binary ? launchElectron(binary, userDataDir) : launchBrowser(userDataDir);
}

/**
 * The built renderer in Chromium over the loopback bridge, even where Electron is installed: for specs that
 * read what the page received over IPC. The bridge dispatches through the same router (createAppRouter) as
 * Electron's ipcMain, so the page receives the same messages either way.
 */
export async function launchBrowserApp(o: { files?: FileDialogs } = {}): Promise<BrowserApp> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'atmos-e2e-userdata-'));
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return launchBrowser(userDataDir, o.files);
}

async function launchElectron(executablePath: string, userDataDir: string): Promise<LaunchedApp> {
  const app: ElectronApplication = await _electron.launch({
    executablePath,
    // The project folder is the app: its package.json names out/main/index.js as main.
    args: [REPO_ROOT],
    env: { ...process.env, ATMOS_SECRETS_USER_DATA: userDataDir } as Record<string, string>,
  });
  const page = await app.firstWindow();
  return finish('electron', page, userDataDir, () => app.close());
}

/** `files`: the native file dialogs' stand-in (a spec answers them); without it, there are none, as in a browser. */
async function launchBrowser(userDataDir: string, files?: FileDialogs): Promise<BrowserApp> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium (or set CHROMIUM_PATH).`);
  }
  const clipboard = new MemoryClipboard();
  const services = createServices({
    clipboard,
    version: '0.0.0-e2e',
    keychain: new KeytarKeychain(),
    keychainFor: (service) => new KeytarKeychain(service),
    userDataDir,
    demoDir: join(REPO_ROOT, 'examples/demo'),
    ...(files ? { files } : {}),
  });
  const server: BridgeServer = await startBridgeServer(join(REPO_ROOT, 'out/renderer'), services);
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_FLAGS,
    headless: true,
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  await context.addInitScript(installBrowserBridge, {
    token: server.token,
    channels: [...CHANNEL_NAMES],
    path: BRIDGE_PATH,
  });
  const page = await context.newPage();
  await page.goto(server.url);
  const app = finish('browser', page, userDataDir, async () => {
    await browser.close();
    await server.close();
  });
  return { ...app, received: server.received, clipboard };
}

function finish(
  mode: LaunchedApp['mode'],
  page: Page,
  userDataDir: string,
  closeApp: () => Promise<void>,
): LaunchedApp {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // A CSP violation shows up only as a console error; surface it so a spec fails instead of half-rendering.
    if (m.type() === 'error') errors.push(m.text());
  });
  return {
    mode,
    page,
    userDataDir,
    screenshot: async (name) => {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}-${colorScheme}.png`), fullPage: true });
      }
      await page.emulateMedia({ colorScheme: null });
    },
    close: async () => {
      await closeApp();
      rmSync(userDataDir, { recursive: true, force: true });
      if (errors.length) throw new Error(`The page reported errors:\n${errors.join('\n')}`);
    },
  };
}
