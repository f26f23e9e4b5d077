// The stores by format, and the one bounded entry every reader of SOPS bytes uses.
import { checkSopsSize, tooDeep } from '../input-bounds';
import { binaryStore } from './binary-store';
import { dotenvStore } from './dotenv-store';
import { jsonStore } from './json-store';
import type { ParsedFile, SopsFormat, SopsStore } from './store';
import { yamlStore } from './yaml-store';

export const STORES: Readonly<Record<SopsFormat, SopsStore>> = {
  yaml: yamlStore,
  json: jsonStore,
  dotenv: dotenvStore,
  binary: binaryStore,
};

/**
 * Parses SOPS bytes with the input bounds: the size cap first, then the store (strict UTF-8, no YAML aliases,
 * a nesting cap). A stack overflow in a parser on pathological input becomes the same clear error.
 */
export function parseSopsBytes(format: SopsFormat, data: Uint8Array, file: string): ParsedFile {
  checkSopsSize(data, file);
  try {
    return STORES[format].parse(data, file);
  } catch (e) {
    if (e instanceof RangeError) throw tooDeep(file);
    throw e;
  }
}

export { binaryDocument } from './binary-store';
export {
  formatForPath,
  SOPS_FORMATS,
  type ParsedFile,
  type SopsFormat,
  type SopsStore,
  type StoreStyle,
} from './store';
