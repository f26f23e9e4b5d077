// The OS's file dialogs and file manager for the handlers (export/import of a .env or JSON file, "Open file" on
// a Validate problem), over Electron's `dialog` and `shell`. Injected through services.ts, so the core and its
// tests never import Electron; the e2e browser harness passes its own.
import type { Dialog, Shell } from 'electron';
import type { FileDialogs } from '../services';

export function electronFileDialogs(electron: { readonly dialog: Dialog; readonly shell: Shell }): FileDialogs {
  return {
    save: async ({ title, defaultName, filters }) => {
      const r = await electron.dialog.showSaveDialog({
        title,
        defaultPath: defaultName,
        filters: filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    open: async ({ title, filters }) => {
      const r = await electron.dialog.showOpenDialog({
        title,
        filters: filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
        properties: ['openFile'],
      });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    reveal: (file) => electron.shell.showItemInFolder(file),
  };
}
