// Large output (`describe stacks` writes 142 MB of JSON on the 1,000-stack estate, in chunks of about 64 KiB) is
// encoded into one reused Buffer before it is written. Handed a string, Node makes a new buffer for each chunk
// (Buffer.from for a file or /dev/null; a malloc in writeUtf8String for a pipe) and the page faults of that fresh
// memory cost more than the encoding: about 5% of `describe stacks`' CPU.
//
// Everything still goes through the one stream (process.stdout), so the order of writes, EPIPE (quietOnClosedPipe
// in main.ts), TTYs, Windows and `drain` behave as before; only what is handed to it changes. A buffer is written
// over only once the stream is done with it: at once when the write went out synchronously (a file, /dev/null, a
// TTY on POSIX, a pipe with room), else when the stream calls back (a pipe whose reader is behind: `describe`'s
// per-stack drain waits for that before the next stack, so the same few buffers serve the whole output).

/** What the writer needs of a stream (process.stdout). */
export interface ByteSink {
  /** `done` is called once the chunk is handed to the OS (or the stream failed). */
  write(chunk: Uint8Array | string, done?: (error?: Error | null) => void): boolean;
  /** Bytes the stream holds (queued, or being written asynchronously). */
  readonly writableLength: number;
}

/** Shorter texts are handed over as they are: one line of output gains nothing from the buffer. */
export const REUSE_MIN_CHARS = 8 * 1024;
/** Longer ones too: a one-off large text (a value, a whole document) would leave a buffer that large behind. */
export const REUSE_MAX_CHARS = 1024 * 1024;
/** Written-out buffers kept for re-use; more are made (and let go) while a slow reader holds them. */
export const REUSE_POOL = 2;

/** A `write(text)` for `sink` that encodes each text of REUSE_MIN_CHARS..REUSE_MAX_CHARS into a reused buffer. */
export function reusingWriter(sink: ByteSink): (text: string) => void {
  /** Buffers no write holds. */
  const free: Buffer[] = [];
  const release = (buffer: Buffer): void => {
    if (free.length < REUSE_POOL) free.push(buffer);
  };
  return (text) => {
    if (text.length < REUSE_MIN_CHARS || text.length > REUSE_MAX_CHARS) {
      sink.write(text);
      return;
    }
    // UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair, 2 units, is 4 bytes; a lone surrogate
    // becomes U+FFFD, 3 bytes), so the text always fits whole: Buffer.write would silently stop short otherwise.
    const need = text.length * 3;
    let buffer = free.pop();
    if (buffer === undefined || buffer.length < need) buffer = Buffer.allocUnsafe(need);
    const length = buffer.write(text, 0, 'utf8');
    const written = buffer;
    let held = false;
    // The callback runs after write() returns (a synchronous write's on the next tick), so `held` is settled.
    sink.write(written.subarray(0, length), () => {
      if (held) release(written);
    });
    // Nothing left in the stream: the bytes are out, the buffer is free now. Else the stream holds it (a pipe
    // whose reader is behind, an earlier chunk still queued) until its callback.
    if (sink.writableLength > 0) held = true;
    else release(written);
  };
}
