// reusingWriter: the bytes written are exactly the text's UTF-8, a buffer is written over only once the stream
// is done with it, and the same few buffers serve a long output.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { REUSE_MAX_CHARS, REUSE_MIN_CHARS, REUSE_POOL, reusingWriter, type ByteSink } from './stdout-writer';

/** A text of `chars` UTF-16 units mixing ASCII, 2-, 3- and 4-byte characters and a lone surrogate. */
function text(chars: number, seed: number): string {
  const pieces = ['{"k": "v"},\n', 'é', '日本', '😀', '\ud800', String(seed)];
  let s = '';
  for (let i = seed; s.length < chars; i++) s += pieces[i % pieces.length];
  return s.slice(0, chars);
}

/** A stream that writes synchronously (a file, /dev/null): it never holds a chunk. */
class SyncSink implements ByteSink {
  readonly chunks: (Uint8Array | string)[] = [];
  readonly bytes: Buffer[] = [];
  readonly writableLength = 0;
  write(chunk: Uint8Array | string, done?: () => void): boolean {
    this.chunks.push(chunk);
    this.bytes.push(Buffer.from(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    if (done) process.nextTick(done);
    return true;
  }
}

/** A stream whose reader is behind: it holds every chunk until `complete()`. */
class HoldingSink implements ByteSink {
  readonly held: { chunk: Uint8Array; done: (() => void) | undefined }[] = [];
  readonly written: Buffer[] = [];
  get writableLength(): number {
    return this.held.reduce((n, h) => n + h.chunk.length, 0);
  }
  write(chunk: Uint8Array | string, done?: () => void): boolean {
    this.held.push({ chunk: typeof chunk === 'string' ? Buffer.from(chunk) : chunk, done });
    return false;
  }
  /** The OS takes every held chunk now (copied as it is at this moment), and the stream calls back. */
  complete(): void {
    for (const h of this.held.splice(0)) {
      this.written.push(Buffer.from(h.chunk));
      h.done?.();
    }
  }
}

describe('reusingWriter', () => {
  it('hands short and very long texts over as they are', () => {
    const sink = new SyncSink();
    const write = reusingWriter(sink);
    const short = text(REUSE_MIN_CHARS - 1, 1);
    const long = text(REUSE_MAX_CHARS + 1, 2);
    write(short);
    write(long);
    expect(sink.chunks).toEqual([short, long]);
  });

  it("writes each text's exact UTF-8 through one buffer when the stream writes synchronously", async () => {
    const sink = new SyncSink();
    const write = reusingWriter(sink);
    const texts = [REUSE_MIN_CHARS, 70_000, 20_000, 150_000, 69_999, 100_000].map((n, i) => text(n, i));
    for (const t of texts) write(t);
    await new Promise((r) => process.nextTick(r));
    expect(sink.bytes.map((b, i) => b.equals(Buffer.from(texts[i] ?? '', 'utf8')))).toEqual(texts.map(() => true));
    // Each chunk a view of a buffer, kept until a text needs a larger one (70,000 and 150,000 chars do).
    const buffers = new Set(sink.chunks.map((c) => (c as Uint8Array).buffer));
    expect(sink.chunks.every((c) => c instanceof Uint8Array)).toBe(true);
    expect(buffers.size).toBe(3);
  });

  it('never writes over a buffer the stream still holds, and re-uses it once written', () => {
    const sink = new HoldingSink();
    const write = reusingWriter(sink);
    const first = [text(20_000, 1), text(30_000, 2), text(25_000, 3)];
    for (const t of first) write(t);
    // Three chunks held at once: three buffers, none written over by the next text.
    expect(new Set(sink.held.map((h) => h.chunk.buffer)).size).toBe(3);
    const heldBuffers = sink.held.map((h) => h.chunk.buffer);
    sink.complete();
    expect(sink.written.map((b, i) => b.equals(Buffer.from(first[i] ?? '', 'utf8')))).toEqual([true, true, true]);

    // Written out: the next texts take the released buffers (at most REUSE_POOL are kept).
    const second = [text(20_000, 4), text(20_000, 5), text(20_000, 6)];
    for (const t of second) write(t);
    const reused = sink.held.filter((h) => heldBuffers.includes(h.chunk.buffer));
    expect(reused).toHaveLength(REUSE_POOL);
    sink.complete();
    expect(sink.written.slice(3).map((b, i) => b.equals(Buffer.from(second[i] ?? '', 'utf8')))).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('through a real stream that writes asynchronously, the output is the texts in order', async () => {
    const out: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, done) {
        // Taken later, as a pipe's reader would: a buffer written over meanwhile would show here.
        setImmediate(() => {
          out.push(Buffer.from(chunk));
          done();
        });
      },
    });
    const write = reusingWriter(slow);
    const texts = Array.from({ length: 40 }, (_, i) => text(i % 3 === 0 ? 100 : 30_000 - (i % 7) * 2_000, i));
    for (const [i, t] of texts.entries()) {
      write(t);
      // Sometimes wait for the stream, as `describe` does between stacks (buffers come back to the pool).
      if (i % 5 === 4 && slow.writableNeedDrain) await new Promise((r) => slow.once('drain', r));
    }
    await new Promise<void>((r) => slow.end(r));
    expect(Buffer.concat(out).equals(Buffer.from(texts.join(''), 'utf8'))).toBe(true);
  });
});
