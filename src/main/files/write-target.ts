// The real file a write lands in: symlinks are followed (a symlinked SOPS file stays a symlink and its target
// gets the new content), and the folder is canonical so every name of one file shares one lock.
import { lstat, readlink, realpath } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { ioError } from './errors';

const MAX_HOPS = 32;

export async function resolveWriteTarget(path: string): Promise<string> {
  let p = resolve(path);
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    let isLink: boolean;
    try {
      isLink = (await lstat(p)).isSymbolicLink();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(path, 'resolve', e);
      isLink = false;
    }
    if (!isLink) {
      const dir = await realpath(dirname(p)).catch(() => dirname(p));
      return resolve(dir, basename(p));
    }
    // A dangling link is followed too: the write creates its target.
    p = resolve(dirname(p), await readlink(p));
  }
  throw ioError(path, 'resolve', Object.assign(new Error('too many symbolic links'), { code: 'ELOOP' }));
}
