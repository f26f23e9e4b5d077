import { describe, expect, it } from 'vitest';
import { concealMarks, MemoryClipboard, SecretClipboard, type Timers } from './secret-clipboard';

/** Timers the test fires by hand: no waiting, no wall clock. */
function manualTimers(): Timers & { pending: { fn: () => void; ms: number }[]; fire(): void } {
  const pending: { fn: () => void; ms: number; cleared: boolean }[] = [];
  return {
    pending,
    set: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      pending.push(t);
      return t;
    },
    clear: (h) => {
      (h as { cleared: boolean }).cleared = true;
    },
    fire() {
      for (const t of pending.splice(0)) if (!t.cleared) t.fn();
    },
  };
}

/** Lets the clear that a fired timer starts (it reads the clipboard, then clears it) run to its end. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function setup(platform: NodeJS.Platform = 'linux', seconds = 30) {
  const port = new MemoryClipboard();
  const timers = manualTimers();
  const clip = new SecretClipboard(port, { platform, clearAfterSeconds: async () => seconds, timers });
  return { port, timers, clip };
}

describe('concealMarks', () => {
  it('names the marker each platform honours', () => {
    expect(concealMarks('darwin').map((m) => m.format)).toEqual(['org.nspasteboard.ConcealedType']);
    expect(concealMarks('win32').map((m) => m.format)).toEqual(['ExcludeClipboardContentFromMonitorProcessing']);
    const linux = concealMarks('linux');
    expect(linux.map((m) => m.format)).toEqual(['x-kde-passwordManagerHint']);
    expect(linux[0]?.data.toString('utf8')).toBe('secret');
  });
});

describe('SecretClipboard', () => {
  it('writes a sensitive copy with the marks and clears it after the configured time', async () => {
    const { port, timers, clip } = setup('darwin', 45);
    expect(await clip.copy('s3cret', true)).toEqual({ clearsAfterSeconds: 45, concealed: true });
    expect(port.text).toBe('s3cret');
    expect(port.marks.map((m) => m.format)).toEqual(['org.nspasteboard.ConcealedType']);
    expect(timers.pending.map((t) => t.ms)).toEqual([45_000]);
    timers.fire();
    await settle();
    expect(port.text).toBe('');
  });

  it('leaves the clipboard alone when the person copied something else since', async () => {
    const { port, timers, clip } = setup();
    await clip.copy('s3cret', true);
    await port.write('something else', []);
    timers.fire();
    await settle();
    expect(port.text).toBe('something else');
  });

  it('a second copy replaces the first timer: only the latest copy is cleared, once', async () => {
    const { port, timers, clip } = setup();
    await clip.copy('first', true);
    await clip.copy('second', true);
    timers.fire();
    await settle();
    expect(port.text).toBe('');
    await port.write('later', []);
    await clip.clearIfOurs();
    expect(port.text).toBe('later');
  });

  it('a non-sensitive copy has no marks and is never cleared', async () => {
    const { port, timers, clip } = setup();
    expect(await clip.copy('atmos-secret exec -s dev -c api --', false)).toEqual({});
    expect(port.marks).toEqual([]);
    expect(timers.pending).toEqual([]);
    await clip.clearIfOurs();
    expect(port.text).toBe('atmos-secret exec -s dev -c api --');
  });

  it('clearIfOurs (the app quitting) clears a pending secret at once', async () => {
    const { port, clip } = setup();
    await clip.copy('s3cret', true);
    await clip.clearIfOurs();
    expect(port.text).toBe('');
  });

  it('reports when the platform clipboard could not take the marks', async () => {
    const port = new MemoryClipboard();
    port.write = (text) => {
      port.text = text;
      return Promise.resolve(false);
    };
    const clip = new SecretClipboard(port, {
      platform: 'linux',
      clearAfterSeconds: async () => 30,
      timers: manualTimers(),
    });
    expect(await clip.copy('s3cret', true)).toEqual({ clearsAfterSeconds: 30, concealed: false });
  });
});
