// A manifest read for editing: its text and the hash of the bytes read, the edited text, a unified diff of the
// two, and a save that writes atomically (src/main/files) only if the file on disk still hashes the same.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { AppError } from '../../../shared/errors';
import { FileError, updateFileAtomic } from '../../files';
import { checkTextSize, decodeUtf8 } from '../bounded-input';

/** The hash of a file that does not exist yet (a new manifest the person picked). */
export const ABSENT_FILE_HASH = 'absent';

/** Stack manifests are shared config, readable by the team's tools: 0644 for a new one. */
const NEW_MANIFEST_MODE = 0o644;

export function contentHash(content: string | Buffer | undefined): string {
  return content === undefined ? ABSENT_FILE_HASH : createHash('sha256').update(content).digest('hex');
}

/** The file changed on disk after it was read for this edit: nothing was written. */
export class ManifestChangedError extends FileError {
  constructor(file: string) {
    super('changed', file, `${file} changed on disk since it was read; nothing was saved`, {
      hint: 'Reload it and make the change again.',
    });
    this.name = 'ManifestChangedError';
  }
}

export interface ManifestText {
  readonly file: string;
  /** The text as read ('' for a file that does not exist yet). */
  readonly text: string;
  /** `contentHash` of the bytes read. */
  readonly hash: string;
  readonly exists: boolean;
}

/** Reads a manifest for editing (strict UTF-8, size-capped as the loader reads it). */
export async function readManifest(file: string): Promise<ManifestText> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      return { file, text: '', hash: ABSENT_FILE_HASH, exists: false };
    throw new AppError('NOT_FOUND', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const text = decodeUtf8(bytes, file);
  checkTextSize(text, file);
  return { file, text, hash: contentHash(bytes), exists: true };
}

/** A unified diff of the edit, with paths shown relative to `base` (the workspace). */
export function unifiedDiff(file: string, before: string, after: string, base?: string): string {
  const shown = base ? relative(base, file) || file : file;
  const patch = createTwoFilesPatch(`a/${shown}`, `b/${shown}`, before, after, undefined, undefined, { context: 3 });
  // The package starts with a `====` rule line; `git diff` shows none, and people know that form.
  return patch.replace(/^=+\n/, '');
}

/**
 * Writes `next` over the file read as `read`, atomically, under the file's lock, only if its bytes still hash
 * to `read.hash` (a file read as absent must still be absent). ManifestChangedError otherwise.
 */
export async function saveManifest(read: Pick<ManifestText, 'file' | 'hash'>, next: string): Promise<void> {
  await updateFileAtomic(
    read.file,
    (current) => {
      if (contentHash(current) !== read.hash) throw new ManifestChangedError(read.file);
      return next;
    },
    { mode: NEW_MANIFEST_MODE },
  );
}
