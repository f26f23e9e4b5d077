// The binary store: the whole payload is one `str` value under `data` in a JSON envelope. Payload bytes stay
// bytes (a gzip file is not UTF-8), and the encryption rules do not apply (sops 3.11+).
import { decodeSopsText } from '../input-bounds';
import { isEntry, newMap, type SopsMap } from '../tree';
import { jsonStore, parseJsonTree, splitJsonMetadata } from './json-store';
import { parseError, type ParsedFile, type SopsStore } from './store';

export const binaryStore: SopsStore = {
  format: 'binary',
  parse(data, file): ParsedFile {
    const text = decodeSopsText(data, file);
    let root;
    try {
      root = parseJsonTree(text, file);
    } catch (e) {
      throw parseError(
        file,
        'is not a SOPS binary-store envelope (a JSON object with "data" and "sops")',
        undefined,
        e,
      );
    }
    const { doc, metadata } = splitJsonMetadata(root, file);
    return { documents: [doc], metadata, style: {} };
  },
  serialize(documents, metadata, style): Uint8Array {
    if (metadata) return jsonStore.serialize(documents, metadata, style);
    const data = (documents[0]?.items ?? []).find((i) => isEntry(i) && i.key === 'data');
    const v = data && isEntry(data) ? data.value : '';
    if (v instanceof Uint8Array) return v;
    if (typeof v === 'string') return new TextEncoder().encode(v);
    throw parseError('binary payload', 'has a non-string "data" value');
  },
};

/** Wraps raw bytes as the one-document tree the binary store encrypts. */
export function binaryDocument(payload: Uint8Array): SopsMap {
  return newMap([{ key: 'data', value: payload }]);
}
