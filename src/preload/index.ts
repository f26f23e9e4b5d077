// The only bridge between the sandboxed renderer and main: `window.atmos` with invoke (allow-listed channels)
// and event subscriptions. Sandboxed preloads may require only 'electron', so this file stays tiny.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNEL_NAMES } from '../shared/ipc/channels';
import { INVOKE_CHANNEL, MENU_CHANNEL, PROGRESS_CHANNEL, WORKSPACE_CHANNEL } from '../shared/ipc/envelope';
import { BRIDGE_GLOBAL, type AtmosBridge } from '../shared/ipc/bridge';

const allowed = new Set<string>(CHANNEL_NAMES);

function subscribe<T>(channel: string, listener: (payload: T) => void): () => void {
  const wrapped = (_event: IpcRendererEvent, payload: T): void => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
}

const bridge: AtmosBridge = {
  invoke: (channel, request) => {
    if (!allowed.has(channel)) {
      return Promise.resolve({
        ok: false,
        // Never String() an arbitrary value: an object without a prototype throws.
        error: {
          code: 'UNKNOWN_CHANNEL',
          message: `Unknown IPC channel ${typeof channel === 'string' ? `"${channel.slice(0, 100)}"` : `of type ${typeof channel}`}.`,
        },
      });
    }
    return ipcRenderer.invoke(INVOKE_CHANNEL, channel, request);
  },
  onProgress: (listener) => subscribe(PROGRESS_CHANNEL, listener),
  onMenu: (listener) => subscribe(MENU_CHANNEL, listener),
  onWorkspaceChanged: (listener) => subscribe(WORKSPACE_CHANNEL, listener),
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
