// The system clipboard for SecretClipboard (../session/secret-clipboard.ts), over Electron's clipboard.
//
// Up to Electron 43 each `clipboard.write*` call replaced the whole clipboard, so a secret could not carry the
// clipboard managers' "skip me" marks beside its text (electron#41462, electron#9243). Electron 44 made
// `clipboard.write([ClipboardItem])` commit every entry of one item atomically, with raw OS formats named
// `electron application/osclipboard;format="<name>"` (electron#51707): the text and its marks go in one write.
import type { Clipboard, ClipboardItem } from 'electron';
import type { ClipboardMark, ClipboardPort } from '../session/secret-clipboard';

export interface ElectronClipboardApi {
  readonly clipboard: Pick<Clipboard, 'write' | 'writeText' | 'readText' | 'clear'>;
  readonly ClipboardItem: new (items: Record<string, string | Blob>) => ClipboardItem;
}

export function rawFormat(format: string): string {
  return `electron application/osclipboard;format="${format}"`;
}

export function electronClipboardPort(api: ElectronClipboardApi): ClipboardPort {
  const { clipboard, ClipboardItem } = api;
  return {
    write: async (text: string, marks: readonly ClipboardMark[]) => {
      if (marks.length === 0) {
        await clipboard.writeText(text);
        return true;
      }
      const item: Record<string, string | Blob> = { 'text/plain': text };
      for (const m of marks) item[rawFormat(m.format)] = new Blob([new Uint8Array(m.data)]);
      await clipboard.write([new ClipboardItem(item)]);
      return true;
    },
    readText: () => clipboard.readText(),
    clear: async () => clipboard.clear(),
  };
}
