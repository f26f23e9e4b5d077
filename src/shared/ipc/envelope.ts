// The result envelope: handlers never throw across IPC; the renderer gets {ok:false} with a code and no stack.
import type { ErrorPayload } from '../errors';

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorPayload };

/** The Electron channel names the preload and main agree on; everything typed rides inside them. */
export const INVOKE_CHANNEL = 'atmos:invoke';
export const PROGRESS_CHANNEL = 'atmos:progress';
export const MENU_CHANNEL = 'atmos:menu';
/** Main -> renderer: files of the open workspace changed on disk (main dropped its cached load already). */
export const WORKSPACE_CHANNEL = 'atmos:workspace';

/** What changed: the workspace's folder and up to a few changed files, relative to it (names, never contents). */
export interface WorkspaceChangedEvent {
  readonly root: string;
  readonly files: readonly string[];
}

/** Actions the application menu asks the renderer to perform. */
export type MenuAction = 'open-workspace';
