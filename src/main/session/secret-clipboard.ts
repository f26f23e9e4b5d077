// A secret copied to the clipboard: marked so clipboard managers and OS history skip it, and cleared after the
// configured time unless the person copied something else since. The system clipboard is behind a small port
// (Electron's in the app: app/electron-clipboard.ts; a fake in tests and the e2e browser bridge), so the
// logic here (marks per platform, timers, "is it still ours?") runs and is tested without Electron.
import { createHash } from 'node:crypto';

/** One extra clipboard format written alongside the text. */
export interface ClipboardMark {
  readonly format: string;
  readonly data: Buffer;
}

/** The system clipboard, asynchronous as Electron's is (from Electron 44 its clipboard API returns promises). */
export interface ClipboardPort {
  /** Writes the text with the marks in one clipboard update; answers whether the marks could be written. */
  write(text: string, marks: readonly ClipboardMark[]): Promise<boolean>;
  readText(): Promise<string>;
  clear(): Promise<void>;
}

/**
 * The markers each platform's clipboard managers honour:
 * - macOS: `org.nspasteboard.ConcealedType` (nspasteboard.org; an empty value is enough);
 * - Windows: `ExcludeClipboardContentFromMonitorProcessing` (Windows' clipboard history and cloud sync skip it);
 * - Linux: `x-kde-passwordManagerHint` = `secret` (Klipper and the KDE/GNOME managers that follow it).
 */
export function concealMarks(platform: NodeJS.Platform): ClipboardMark[] {
  switch (platform) {
    case 'darwin':
      return [{ format: 'org.nspasteboard.ConcealedType', data: Buffer.alloc(0) }];
    case 'win32':
      return [{ format: 'ExcludeClipboardContentFromMonitorProcessing', data: Buffer.alloc(0) }];
    default:
      return [{ format: 'x-kde-passwordManagerHint', data: Buffer.from('secret', 'utf8') }];
  }
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending clear must not keep the process alive (the app clears on quit itself).
    t.unref();
    return t;
  },
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface CopyResult {
  /** Seconds until the clipboard is cleared (if nothing else was copied); absent for a non-sensitive copy. */
  readonly clearsAfterSeconds?: number;
  /** Whether the clipboard-manager marks were written (the platform's clipboard allowed them); absent when not sensitive. */
  readonly concealed?: boolean;
}

export class SecretClipboard {
  /** A digest of what we copied, never the text: enough to tell whether it is still on the clipboard. */
  private ours: string | null = null;
  private timer: unknown = null;

  constructor(
    private readonly port: ClipboardPort,
    private readonly o: {
      readonly platform: NodeJS.Platform;
      /** Read at each copy, so a changed setting applies to the next copy. */
      readonly clearAfterSeconds: () => Promise<number>;
      readonly timers?: Timers;
    },
  ) {}

  /** Copies `text`; a sensitive copy is marked and cleared later. */
  async copy(text: string, sensitive: boolean): Promise<CopyResult> {
    this.cancelTimer();
    if (!sensitive) {
      this.ours = null;
      await this.port.write(text, []);
      return {};
    }
    const seconds = await this.o.clearAfterSeconds();
    const concealed = await this.port.write(text, concealMarks(this.o.platform));
    this.ours = digest(text);
    const timers = this.o.timers ?? realTimers;
    this.timer = timers.set(() => {
      this.timer = null;
      // A clipboard that fails to clear has nothing to report to: the copy's result went out long ago.
      this.clearIfOurs().catch(() => undefined);
    }, seconds * 1000);
    return { clearsAfterSeconds: seconds, concealed };
  }

  /** Clears the clipboard now if it still holds what we copied (the timer's end, and the app's quit). */
  async clearIfOurs(): Promise<void> {
    this.cancelTimer();
    const ours = this.ours;
    this.ours = null;
    if (ours !== null && digest(await this.port.readText()) === ours) await this.port.clear();
  }

  private cancelTimer(): void {
    if (this.timer !== null) (this.o.timers ?? realTimers).clear(this.timer);
    this.timer = null;
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** An in-memory clipboard: the default where there is no system clipboard (the CLI's services, e2e bridge). */
export class MemoryClipboard implements ClipboardPort {
  text = '';
  marks: readonly ClipboardMark[] = [];

  write(text: string, marks: readonly ClipboardMark[]): Promise<boolean> {
    this.text = text;
    this.marks = marks;
    return Promise.resolve(true);
  }

  readText(): Promise<string> {
    return Promise.resolve(this.text);
  }

  clear(): Promise<void> {
    this.text = '';
    this.marks = [];
    return Promise.resolve();
  }
}
