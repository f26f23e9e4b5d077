// The init script that stands in for the preload in a plain browser: `window.atmos` with the same shape
// and allow-list, carried over fetch/EventSource to the loopback bridge. Runs in the page, so it is
// self-contained: everything it needs arrives as its argument.
import type { AtmosBridge } from '../../src/shared/ipc/bridge';

export interface BrowserBridgeArgs {
  readonly token: string;
  readonly channels: readonly string[];
  readonly path: string;
}

export function installBrowserBridge({ token, channels, path }: BrowserBridgeArgs): void {
  const allowed = new Set(channels);
  const bridge: AtmosBridge = {
    invoke: async (channel, request) => {
      if (!allowed.has(channel)) {
        return {
          ok: false,
          error: { code: 'UNKNOWN_CHANNEL', message: `Unknown IPC channel "${String(channel).slice(0, 100)}".` },
        };
      }
      const res = await fetch(`${path}/invoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-atmos-bridge-token': token },
        body: JSON.stringify({ channel, request }),
      });
      return res.json();
    },
    onProgress: (listener) => {
      const source = new EventSource(`${path}/events?token=${encodeURIComponent(token)}`);
      source.onmessage = (e: MessageEvent<string>) => listener(JSON.parse(e.data));
      return () => source.close();
    },
    onMenu: () => () => {},
    onWorkspaceChanged: (listener) => {
      const source = new EventSource(`${path}/events?token=${encodeURIComponent(token)}`);
      source.addEventListener('workspace', (e: MessageEvent<string>) => listener(JSON.parse(e.data)));
      return () => source.close();
    },
  };
  Object.defineProperty(window, 'atmos', { value: Object.freeze(bridge), writable: false });
}
