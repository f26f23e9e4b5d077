#!/usr/bin/env node
// `npm start`: build and launch the app with electron-vite, after checking that Electron's binary is there.
// `ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install` (the README's offline install) leaves it out, and electron-vite
// then fails with an error about an "Electron uninstall" that does not say what to do; this says it in a
// sentence with the command that fetches the binary.
//
// ATMOS_ELECTRON_PACKAGE_DIR points at another `electron` package folder (tests use one without a binary).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const require = createRequire(import.meta.url);

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

function main() {
  const packageDir = process.env.ATMOS_ELECTRON_PACKAGE_DIR ?? dirname(require.resolve('electron/package.json'));
  if (electronBinary(packageDir) === null) {
    const installer = relative(process.cwd(), join(packageDir, 'install.js')) || 'node_modules/electron/install.js';
    process.stderr.write(
      `Electron's binary is not installed (an install with ELECTRON_SKIP_BINARY_DOWNLOAD=1 leaves it out): fetch it with \`node ${installer}\`, then run \`npm start\` again.\n`,
    );
    process.exit(1);
  }
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const child = spawn(process.execPath, [cli, 'preview', ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main();
