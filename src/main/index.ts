// Electron's main-process entry (electron-vite builds it to out/main/index.js).
import * as electron from 'electron';
import { join } from 'node:path';
import { bootstrap } from './app/bootstrap';

// Tests and portable runs may keep the app's own data (recent workspaces) elsewhere.
const userData = process.env['ATMOS_SECRETS_USER_DATA'];
if (userData) electron.app.setPath('userData', userData);

const outDir = import.meta.dirname;
const appRoot = join(outDir, '../..');
// Packaged, appRoot is the app.asar archive; the demo sits unpacked beside it (electron-builder.yml asarUnpack),
// since it is copied with fs.cp, which does not read from inside an archive.
const unpackedRoot = appRoot.endsWith('.asar') ? `${appRoot}.unpacked` : appRoot;
bootstrap(electron, {
  outDir,
  resourcesDir: join(appRoot, 'resources'),
  demoDir: join(unpackedRoot, 'examples/demo'),
  // Honoured only when the app is not packaged (bootstrap decides).
  rendererUrl: process.env['ELECTRON_RENDERER_URL'],
});
