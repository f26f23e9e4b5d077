import { describe, expect, it, vi } from 'vitest';
import { concealMarks } from '../session/secret-clipboard';
import { electronClipboardPort, rawFormat, type ElectronClipboardApi } from './electron-clipboard';

function fakeClipboard() {
  return {
    writeText: vi.fn(() => Promise.resolve()),
    readText: vi.fn(() => Promise.resolve('now')),
    clear: vi.fn(),
    write: vi.fn((_items: unknown[]) => Promise.resolve()),
  };
}

/** Records what each item was built from, as Electron's ClipboardItem keeps its entries. */
const made: Record<string, string | Blob>[] = [];
class FakeClipboardItem {
  readonly types: string[];
  constructor(items: Record<string, string | Blob>) {
    made.push(items);
    this.types = Object.keys(items);
  }
}
// Only the constructor is used by the port; Electron's class has more that these tests never call.
const ClipboardItem = FakeClipboardItem as unknown as ElectronClipboardApi['ClipboardItem'];

describe('electronClipboardPort', () => {
  it('writes a secret and its marks in one clipboard write (one ClipboardItem, raw OS formats)', async () => {
    made.length = 0;
    const clipboard = fakeClipboard();
    const port = electronClipboardPort({ clipboard, ClipboardItem });
    expect(await port.write('s3cret', concealMarks('linux'))).toBe(true);
    expect(clipboard.write).toHaveBeenCalledTimes(1);
    expect(clipboard.writeText).not.toHaveBeenCalled();
    expect(made).toHaveLength(1);
    const item = made[0] ?? {};
    expect(Object.keys(item)).toEqual(['text/plain', rawFormat('x-kde-passwordManagerHint')]);
    expect(item['text/plain']).toBe('s3cret');
    const mark = item[rawFormat('x-kde-passwordManagerHint')];
    expect(mark).toBeInstanceOf(Blob);
    expect(await (mark as Blob).text()).toBe('secret');
  });

  it('names each platform’s mark as a raw OS format', async () => {
    for (const [platform, format] of [
      ['darwin', 'org.nspasteboard.ConcealedType'],
      ['win32', 'ExcludeClipboardContentFromMonitorProcessing'],
    ] as const) {
      made.length = 0;
      const port = electronClipboardPort({ clipboard: fakeClipboard(), ClipboardItem });
      await port.write('s3cret', concealMarks(platform));
      expect(Object.keys(made[0] ?? {})).toEqual(['text/plain', `electron application/osclipboard;format="${format}"`]);
    }
  });

  it('text with no marks is plain writeText; read and clear go to Electron', async () => {
    const clipboard = fakeClipboard();
    const port = electronClipboardPort({ clipboard, ClipboardItem });
    expect(await port.write('cmd', [])).toBe(true);
    expect(clipboard.writeText).toHaveBeenCalledWith('cmd');
    expect(clipboard.write).not.toHaveBeenCalled();
    expect(await port.readText()).toBe('now');
    await port.clear();
    expect(clipboard.clear).toHaveBeenCalled();
  });
});
