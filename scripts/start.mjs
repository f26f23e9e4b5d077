#!/usr/bin/env node
// `npm start`: build and launch the app with electron-vite, after checking that Electron's binary is there.
// `ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install` (the README's offline install) leaves it out, and electron-vite
// then fails with an error about an "Electron uninstall" that does not say what to do; this says it in a
// sentence with the command that fetches the binary.
//
// ATMOS_ELECTRON_PACKAGE_DIR points at another `electron` package folder (tests use one without a binary).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { electronBinary } from './electron-binary.mjs';

const require = createRequire(import.meta.url);

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
