// Export/import of a .env or JSON file for the secrets handlers (the CLI's pull/push in the app). Main picks the
// file through the native dialog and reads or writes it itself: the renderer gets a file name and key names,
// never a path it could send back, nor a value. A picked import file is remembered under an opaque id until
// it is applied (or pushed out by later picks).
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, relative, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { SecretFileFormat } from '../../shared/ipc/secrets-contract';
import { decodeUtf8 } from '../config/bounded-input';
import type { FileFilter } from '../services';

/** The largest file an import reads: far more than any real .env (a value is at most 64 KiB). */
export const MAX_IMPORT_BYTES = 1024 * 1024;
/** Picked files remembered at once; older picks are forgotten (the person picks again). */
const MAX_PICKS = 16;

export const SECRET_FILE_FILTERS: readonly FileFilter[] = [
  { name: 'Dotenv or JSON', extensions: ['env', 'json'] },
  { name: 'All files', extensions: ['*'] },
];

/** `.json` is JSON; anything else (`.env`, `prod.env`, `.env.local`) is dotenv. */
export function formatOfFile(file: string): SecretFileFormat {
  return extname(file).toLowerCase() === '.json' ? 'json' : 'env';
}

/** A file name to offer in the save dialog: `<stack>[.<component>].env|json`. */
export function exportFileName(stack: string, component: string | undefined, format: SecretFileFormat): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${safe(stack)}${component ? `.${safe(component)}` : ''}.${format}`;
}

/** Reads an import file: at most MAX_IMPORT_BYTES, strict UTF-8 (errors name the file, never its content). */
export async function readImportFile(file: string): Promise<string> {
  const tooLarge = (bytes: number): AppError =>
    new AppError('BAD_REQUEST', `${file} is ${bytes} bytes, over the ${MAX_IMPORT_BYTES} byte limit for an import`, {
      hint: 'Import a .env or JSON file of secrets, one KEY=value per line.',
    });
  const st = await stat(file).catch((e: unknown) => {
    throw new AppError('NOT_FOUND', `${file} cannot be read`, { cause: e });
  });
  if (!st.isFile()) throw new AppError('BAD_REQUEST', `${file} is not a file`);
  if (st.size > MAX_IMPORT_BYTES) throw tooLarge(st.size);
  const bytes = await readFile(file);
  if (bytes.length > MAX_IMPORT_BYTES) throw tooLarge(bytes.length);
  return decodeUtf8(bytes, file);
}

export interface PickedFile {
  readonly path: string;
  readonly stack: string;
  readonly component: string | undefined;
  readonly format: SecretFileFormat;
}

/** Import files picked in main, by an opaque id, so the renderer can apply a plan without naming a path. */
export class PickedFiles {
  private readonly picks = new Map<string, PickedFile>();

  remember(pick: PickedFile): string {
    const id = randomUUID();
    this.picks.set(id, pick);
    for (const old of this.picks.keys()) {
      if (this.picks.size <= MAX_PICKS) break;
      this.picks.delete(old);
    }
    return id;
  }

  /** The pick, once: applying it forgets it. */
  take(id: string): PickedFile {
    const pick = this.picks.get(id);
    if (!pick) {
      throw new AppError('NOT_FOUND', 'the picked file is no longer known to the app', {
        hint: 'Choose the file again with Import.',
      });
    }
    this.picks.delete(id);
    return pick;
  }
}

/** For display: the file's name only. */
export function fileLabel(file: string): string {
  return basename(file);
}

/**
 * A file named by the renderer (a problem's `file`, relative to the base path) resolved inside the workspace;
 * anything outside it is refused, so the renderer cannot have the app point at arbitrary paths.
 */
export function workspaceFile(basePath: string, file: string): string {
  const abs = isAbsolute(file) ? resolve(file) : resolve(basePath, file);
  const rel = relative(basePath, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new AppError('BAD_REQUEST', `${file} is not a file of the open workspace`);
  }
  return abs;
}
