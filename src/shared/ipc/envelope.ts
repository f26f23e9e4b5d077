// The result envelope: handlers never throw across IPC; the renderer gets {ok:false} with a code and no stack.
import type { ErrorPayload } from '../errors';

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorPayload };

/** The Electron channel names the preload and main agree on; everything typed rides inside them. */
export const INVOKE_CHANNEL = 'atmos:invoke';
export const PROGRESS_CHANNEL = 'atmos:progress';
export const MENU_CHANNEL = 'atmos:menu';

/** Actions the application menu asks the renderer to perform. */
export type MenuAction = 'open-workspace';
