// What the preload exposes on `window.atmos`. The renderer sees only this: no Node, no files, no tokens.
import type { MenuAction, Result, WorkspaceChangedEvent } from './envelope';
import type { Channel, ProgressEvent, Req, Res } from './contract';

export interface AtmosBridge {
  invoke<C extends Channel>(channel: C, request: Req<C>): Promise<Result<Res<C>>>;
  /** Subscribes to progress events; returns the unsubscribe function. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  /** Subscribes to application-menu actions; returns the unsubscribe function. */
  onMenu(listener: (action: MenuAction) => void): () => void;
  /** Subscribes to "the open workspace's files changed on disk"; returns the unsubscribe function. */
  onWorkspaceChanged(listener: (event: WorkspaceChangedEvent) => void): () => void;
}

export const BRIDGE_GLOBAL = 'atmos';
