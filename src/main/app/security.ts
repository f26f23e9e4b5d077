// The renderer's security settings in one place, so the window code and its tests read the same values.

/** Strict CSP: only our own scripts and styles, no inline script, no eval, no remote connections. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;

/**
 * Links the app may open in the person's browser: its documentation, nothing else. Compared on the parsed,
 * normalised URL, so `https://atmos.tools.evil.example/` or `https://atmos.tools@evil.example/` never match.
 */
export const EXTERNAL_URL_ALLOW_LIST: readonly string[] = ['https://atmos.tools/'];

export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  return EXTERNAL_URL_ALLOW_LIST.some((prefix) => parsed.href.startsWith(prefix));
}

/** The keyboard input Electron would forward to a webContents (a subset of Electron.Input). */
export interface KeyInput {
  readonly type: string;
  readonly key: string;
  readonly control: boolean;
  readonly shift: boolean;
  readonly meta: boolean;
  readonly alt: boolean;
}

/** F12, Ctrl+Shift+I/J/C and Cmd+Alt+I/J/C: the shortcuts that open DevTools or its inspector. */
export function isDevToolsShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  if (key === 'f12') return true;
  const inspectorKey = key === 'i' || key === 'j' || key === 'c';
  return inspectorKey && ((input.control && input.shift) || (input.meta && input.alt));
}
