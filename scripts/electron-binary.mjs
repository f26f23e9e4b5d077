// Where the `electron` package's executable is, found without requiring the package: from Electron 45 its
// index.js tries to download a missing binary as a side effect of `require('electron')`, which `npm start`'s
// check and the e2e launcher must never trigger (no network here; the README's install skips the binary).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Electron executable as the `electron` package would resolve it, or null when it is not installed. */
export function electronBinary(packageDir, env = process.env) {
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const overridden = join(env.ELECTRON_OVERRIDE_DIST_PATH, executable || 'electron');
    return existsSync(overridden) ? overridden : null;
  }
  if (!executable) return null;
  const binary = join(packageDir, 'dist', executable);
  return existsSync(binary) ? binary : null;
}
