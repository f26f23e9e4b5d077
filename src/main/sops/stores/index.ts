// The stores by format.
import { binaryStore } from './binary-store';
import { dotenvStore } from './dotenv-store';
import { jsonStore } from './json-store';
import type { SopsFormat, SopsStore } from './store';
import { yamlStore } from './yaml-store';

export const STORES: Readonly<Record<SopsFormat, SopsStore>> = {
  yaml: yamlStore,
  json: jsonStore,
  dotenv: dotenvStore,
  binary: binaryStore,
};

export { binaryDocument } from './binary-store';
export {
  formatForPath,
  SOPS_FORMATS,
  type ParsedFile,
  type SopsFormat,
  type SopsStore,
  type StoreStyle,
} from './store';
