// Bounds on SOPS input, so a hostile or damaged file fails fast with a clear error instead of exhausting
// memory or the stack: a size cap (read no further than it), strict UTF-8 (never silently replaced), and a
// nesting cap. YAML aliases are refused by the YAML store itself.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { AppError } from '../../shared/errors';

/** SOPS files larger than this are refused. A 10,000-value file is about 2 MB. */
export const MAX_SOPS_FILE_BYTES = 16 * 1024 * 1024;
/** Maps and lists nested deeper than this are refused (the tree walks recurse). */
export const MAX_SOPS_DEPTH = 100;

function mib(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}

export function tooLarge(file: string, size: number | undefined): AppError {
  return new AppError(
    'SOPS',
    `${basename(file)} is ${size === undefined ? 'larger than' : `${mib(size)}, over`} the ${mib(MAX_SOPS_FILE_BYTES)} limit for SOPS files; it was not read.`,
    {
      location: { file },
      hint: 'Split the secrets over several files (one per stack or component), or check that this is the right file.',
    },
  );
}

export function checkSopsSize(data: Uint8Array, file: string): void {
  if (data.byteLength > MAX_SOPS_FILE_BYTES) throw tooLarge(file, data.byteLength);
}

/** Reads at most the cap (plus one byte to notice more), so a huge file never lands in memory whole. */
export async function readBounded(file: string): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    if (size > MAX_SOPS_FILE_BYTES) throw tooLarge(file, size);
    const buf = Buffer.alloc(Math.min(size, MAX_SOPS_FILE_BYTES) + 1);
    let n = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      // The file grew past the cap while being read.
      if (n > MAX_SOPS_FILE_BYTES) throw tooLarge(file, undefined);
      if (n === buf.length) break;
    }
    return buf.subarray(0, n);
  } finally {
    await fh.close();
  }
}

/** The 1-based line of the first byte sequence that is not UTF-8. */
function firstBadLine(data: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= data.length; i++) {
    if (i === data.length || data[i] === 0x0a) {
      if (!isUtf8(data.subarray(start, i))) return line;
      line++;
      start = i + 1;
    }
  }
  return line;
}

const strict = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text of a SOPS file; a SOPS error naming the file and line when it is not UTF-8 (never replaced). */
export function decodeSopsText(data: Uint8Array, file: string): string {
  try {
    return strict.decode(data);
  } catch {
    const line = firstBadLine(data);
    throw new AppError('SOPS', `${basename(file)} (line ${line}) is not valid UTF-8 text; it was not read.`, {
      location: { file, line },
      hint: 'The file was damaged or saved in another encoding. Restore it from version control.',
    });
  }
}

export function tooDeep(file: string, line?: number): AppError {
  return new AppError(
    'SOPS',
    `${basename(file)} nests maps and lists deeper than ${MAX_SOPS_DEPTH} levels; it was not read.`,
    {
      location: { file, ...(line ? { line } : {}) },
      hint: 'SOPS files hold flat or shallow values; check that this is the right file.',
    },
  );
}
