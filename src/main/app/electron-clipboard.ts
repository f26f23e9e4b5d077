// The system clipboard for SecretClipboard (../session/secret-clipboard.ts), over Electron's clipboard.
//
// What Electron allows: up to Electron 43 each `clipboard.write*` call replaces the whole clipboard, so
// `writeText` followed by `writeBuffer(mark)` would leave the mark alone, without the text (electron#41462,
// electron#9243). Electron 44 added `clipboard.write([ClipboardItem])` with raw OS formats as
// `electron application/osclipboard;format="<name>"` (electron#51707), which writes text and marks in one
// update. So: with ClipboardItem the marks are written alongside the text; without it, the text alone (the
// copy is still cleared after the timeout) and the caller is told the marks were not written.
import type { Clipboard } from 'electron';
import type { ClipboardMark, ClipboardPort } from '../session/secret-clipboard';

/** Electron 44's W3C-style clipboard item; absent (undefined) in older Electron. */
type ClipboardItemCtor = new (data: Record<string, string | Buffer>) => unknown;

export interface ElectronClipboardApi {
  readonly clipboard: Pick<Clipboard, 'writeText' | 'readText' | 'clear'> & {
    write(data: unknown): void;
  };
  readonly ClipboardItem?: ClipboardItemCtor | undefined;
}

export function rawFormat(format: string): string {
  return `electron application/osclipboard;format="${format}"`;
}

export function electronClipboardPort(api: ElectronClipboardApi): ClipboardPort {
  const { clipboard, ClipboardItem } = api;
  return {
    write: (text: string, marks: readonly ClipboardMark[]) => {
      if (marks.length === 0 || ClipboardItem === undefined) {
        clipboard.writeText(text);
        return marks.length === 0;
      }
      const item: Record<string, string | Buffer> = { 'text/plain': text };
      for (const m of marks) item[rawFormat(m.format)] = m.data;
      clipboard.write([new ClipboardItem(item)]);
      return true;
    },
    readText: () => clipboard.readText(),
    clear: () => clipboard.clear(),
  };
}
