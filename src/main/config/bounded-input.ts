// Bounds on what the loader reads, so a hostile or broken repository fails fast with a clear error instead of
// hanging or exhausting memory: a size cap per file, strict UTF-8, a nesting cap checked before the YAML parser
// sees the text (a YAML parser recurses per level and can abort the process on deep nesting), and the
// alias expansion budget the converter spends.
import { readFileSync, statSync } from 'node:fs';
import { AppError } from '../../shared/errors';

/** Largest atmos.yaml, manifest or included file read (a real manifest is a few KB). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** Values YAML aliases may add to one file (`*a` of a 10-value mapping adds 10), a "billion laughs" guard. */
export const MAX_ALIAS_EXPANSION = 100_000;
/** Deepest nesting of mappings and lists accepted in one file. */
export const MAX_NESTING = 128;
/** Widest indentation accepted (deeper block nesting than MAX_NESTING needs at least this). */
export const MAX_INDENT = 512;

const MIB = 1024 * 1024;

function tooLarge(file: string, bytes: number): AppError {
  return new AppError(
    'CONFIG',
    `${file} is ${(bytes / MIB).toFixed(1)} MiB, over the ${MAX_FILE_BYTES / MIB} MiB limit for a configuration file`,
    {
      location: { file },
      hint: 'Split the file, or exclude it from stacks.included_paths if it is not a stack manifest.',
    },
  );
}

/** Decode UTF-8 strictly; invalid bytes are a YAML error naming the file and the line they are on. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Only on failure: the lossy decoding places the first invalid sequence (U+FFFD written in the file itself
    // is told apart by its bytes, EF BF BD).
    const lossy = new TextDecoder('utf-8').decode(bytes);
    let line = 1;
    let offset = 0;
    for (let i = 0; i < lossy.length; i++) {
      const ch = lossy.charCodeAt(i);
      if (ch === 0xfffd && !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) break;
      if (ch === 10) line++;
      offset += ch < 0x80 ? 1 : ch < 0x800 ? 2 : ch >= 0xd800 && ch <= 0xdbff ? (i++, 4) : 3;
    }
    return failUtf8(file, line);
  }
}

function failUtf8(file: string, line: number): never {
  throw new AppError('YAML', `${file} is not valid UTF-8 (line ${line})`, {
    location: { file, line },
    hint: 'Save the file as UTF-8 (configuration files must be UTF-8 text).',
  });
}

/** Read a configuration file as text: at most MAX_FILE_BYTES, strictly UTF-8. */
export function readTextFile(file: string): string {
  const size = statSync(file).size;
  if (size > MAX_FILE_BYTES) throw tooLarge(file, size);
  const bytes = readFileSync(file);
  // The file may have grown since stat.
  if (bytes.length > MAX_FILE_BYTES) throw tooLarge(file, bytes.length);
  return decodeUtf8(bytes, file);
}

/** Text that came from elsewhere (a remote `!include`, a rendered template) gets the same size cap. */
export function checkTextSize(text: string, file: string): void {
  // A UTF-16 length is at most the UTF-8 byte count, so this never refuses text under the cap.
  if (text.length > MAX_FILE_BYTES) throw tooLarge(file, Buffer.byteLength(text));
}

/**
 * Refuse text nested deeper than MAX_NESTING flow collections or indented wider than MAX_INDENT before the
 * parser sees it. A linear scan that skips quoted scalars and comments; block scalars are counted too, which
 * can only refuse text that is absurdly deep anyway.
 */
export function checkNesting(text: string, file: string): void {
  let depth = 0;
  let line = 1;
  let indent = 0;
  let atLineStart = true;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      indent = 0;
      atLineStart = true;
      // A single-quoted or double-quoted scalar may span lines; keep its state.
      continue;
    }
    if (atLineStart) {
      if (c === ' ' || c === '\t') {
        if (++indent > MAX_INDENT) throw tooDeep(file, line, `indented more than ${MAX_INDENT} columns`);
        continue;
      }
      atLineStart = false;
    }
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t' || text[i - 1] === '\n')) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
    } else if ((c === '"' || c === "'") && (i === 0 || ' \t\n[{,:'.includes(text[i - 1] ?? ''))) {
      // A quote opens a quoted scalar only where one may start (a quote inside plain text is text).
      quote = c;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_NESTING) throw tooDeep(file, line, `nested more than ${MAX_NESTING} levels`);
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
}

function tooDeep(file: string, line: number, what: string): AppError {
  return new AppError('YAML', `${file}: YAML ${what}`, {
    location: { file, line },
    hint: 'Flatten the structure; configuration this deep is not supported.',
  });
}
