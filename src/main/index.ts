// Electron's main-process entry (electron-vite builds it to out/main/index.js).
import * as electron from 'electron';
import { join } from 'node:path';
import { bootstrap } from './app/bootstrap';

const outDir = import.meta.dirname;
const appRoot = join(outDir, '../..');
bootstrap(electron, {
  outDir,
  resourcesDir: join(appRoot, 'resources'),
  demoDir: join(appRoot, 'examples/demo'),
  rendererUrl: process.env['ELECTRON_RENDERER_URL'],
});
