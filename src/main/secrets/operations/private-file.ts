// Writes a file that holds secret values (pull's output): mode 0600 from the first byte, written to a
// temporary name beside the target and renamed over it, so no reader ever sees a partial or world-readable file.
import { randomBytes } from 'node:crypto';
import { chmod, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;

export async function writePrivateFileAtomic(file: string, content: string): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx': never follow or reuse an existing file at the temporary name.
  const handle = await open(tmp, 'wx', PRIVATE_FILE_MODE);
  let renamed = false;
  try {
    await handle.writeFile(content, 'utf8');
    // The umask cannot widen 0600, but an explicit chmod keeps it exact whatever the umask.
    await handle.chmod(PRIVATE_FILE_MODE);
    await handle.sync();
    await handle.close();
    await rename(tmp, file);
    renamed = true;
    await chmod(file, PRIVATE_FILE_MODE);
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
    }
  }
}
