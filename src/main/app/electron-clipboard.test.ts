import { describe, expect, it, vi } from 'vitest';
import { concealMarks } from '../session/secret-clipboard';
import { electronClipboardPort, rawFormat } from './electron-clipboard';

function fakeClipboard() {
  return { writeText: vi.fn(), readText: vi.fn(() => 'now'), clear: vi.fn(), write: vi.fn() };
}

describe('electronClipboardPort', () => {
  it('with ClipboardItem (Electron 44+): text and marks in one write', () => {
    const clipboard = fakeClipboard();
    const made: Record<string, string | Buffer>[] = [];
    class ClipboardItem {
      constructor(data: Record<string, string | Buffer>) {
        made.push(data);
      }
    }
    const port = electronClipboardPort({ clipboard, ClipboardItem });
    expect(port.write('s3cret', concealMarks('linux'))).toBe(true);
    expect(made).toEqual([{ 'text/plain': 's3cret', [rawFormat('x-kde-passwordManagerHint')]: Buffer.from('secret') }]);
    expect(clipboard.write).toHaveBeenCalledTimes(1);
    expect(clipboard.writeText).not.toHaveBeenCalled();
  });

  it('without ClipboardItem: the text alone (a second write would replace it), and says the marks are missing', () => {
    const clipboard = fakeClipboard();
    const port = electronClipboardPort({ clipboard });
    expect(port.write('s3cret', concealMarks('darwin'))).toBe(false);
    expect(clipboard.writeText).toHaveBeenCalledWith('s3cret');
    expect(clipboard.write).not.toHaveBeenCalled();
  });

  it('text with no marks is plain writeText; read and clear go to Electron', () => {
    const clipboard = fakeClipboard();
    const port = electronClipboardPort({ clipboard });
    expect(port.write('cmd', [])).toBe(true);
    expect(clipboard.writeText).toHaveBeenCalledWith('cmd');
    expect(port.readText()).toBe('now');
    port.clear();
    expect(clipboard.clear).toHaveBeenCalled();
  });
});
