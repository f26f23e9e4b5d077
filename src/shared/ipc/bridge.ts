// What the preload exposes on `window.atmos`. The renderer sees only this: no Node, no files, no tokens.
import type { MenuAction, Result } from './envelope';
import type { Channel, ProgressEvent, Req, Res } from './contract';

export interface AtmosBridge {
  invoke<C extends Channel>(channel: C, request: Req<C>): Promise<Result<Res<C>>>;
  /** Subscribes to progress events; returns the unsubscribe function. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  /** Subscribes to application-menu actions; returns the unsubscribe function. */
  onMenu(listener: (action: MenuAction) => void): () => void;
}

export const BRIDGE_GLOBAL = 'atmos';
