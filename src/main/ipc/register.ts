// Binds the router to Electron's ipcMain: one invoke channel carries (channel, request); the sender is read
// from the event (frame URL, main frame, our own webContents) before anything else happens.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { INVOKE_CHANNEL, PROGRESS_CHANNEL } from '../../shared/ipc/envelope';
import type { IpcRouter, SenderInfo } from './router';

export function senderInfo(event: IpcMainInvokeEvent, ownWindows: () => readonly WebContents[]): SenderInfo {
  const frame = event.senderFrame;
  return {
    url: frame?.url ?? '',
    isMainFrame: frame !== null && frame === event.sender.mainFrame,
    isOwnWindow: ownWindows().some((w) => w.id === event.sender.id),
  };
}

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  router: IpcRouter,
  ownWindows: () => readonly WebContents[],
): void {
  ipcMain.handle(INVOKE_CHANNEL, (event, channel: unknown, request: unknown) =>
    router.dispatch(channel, request, senderInfo(event, ownWindows), (progress) => {
      if (!event.sender.isDestroyed()) event.sender.send(PROGRESS_CHANNEL, progress);
    }),
  );
}
