// The dotenv store: `KEY=VALUE` lines split at the first `=` (keys not trimmed), `#` comments, `\n` escapes,
// and the metadata flattened into `sops_…` keys (`sops_age__list_0__map_enc`) as stores/flatten.go does.
import { SopsComment, isEntry, newMap, type SopsMapItem } from '../tree';
import { decodeSopsText } from '../input-bounds';
import { parseError, type ParsedFile, type SopsStore } from './store';

const PREFIX = 'sops_';

/** `age__list_0__map_enc` -> ['age', 0, 'enc']. */
function flatPath(key: string): (string | number)[] {
  const parts = key.split(/__(list|map)_/);
  const out: (string | number)[] = [parts[0]];
  for (let i = 1; i < parts.length; i += 2) out.push(parts[i] === 'list' ? Number(parts[i + 1]) : parts[i + 1]);
  return out;
}

export function unflattenMetadata(flat: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const path = flatPath(key);
    let cur: Record<string | number, unknown> = root;
    for (const [i, seg] of path.entries()) {
      if (i === path.length - 1) {
        cur[seg] = value;
        break;
      }
      cur[seg] ??= typeof path[i + 1] === 'number' ? [] : {};
      cur = cur[seg] as Record<string | number, unknown>;
    }
  }
  return root;
}

export function flattenMetadata(meta: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  const walk = (v: unknown, key: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${key}__list_${i}`));
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, `${key}__map_${k}`);
    } else if (v !== null && v !== undefined) out.push([key, String(v)]);
  };
  for (const [k, v] of Object.entries(meta)) walk(v, k);
  return out;
}

export const dotenvStore: SopsStore = {
  format: 'dotenv',
  parse(data, file): ParsedFile {
    const items: SopsMapItem[] = [];
    const flat: Record<string, string> = {};
    const lines = decodeSopsText(data, file).split('\n');
    for (const [n, raw] of lines.entries()) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '') continue;
      if (line.startsWith('#')) {
        items.push(new SopsComment(line.slice(1)));
        continue;
      }
      const eq = line.indexOf('=');
      if (eq < 0) throw parseError(file, 'has a line that is not KEY=VALUE', n + 1);
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1).replaceAll('\\n', '\n');
      if (key.startsWith(PREFIX)) flat[key.slice(PREFIX.length)] = value;
      else items.push({ key, value });
    }
    const metadata = Object.keys(flat).length > 0 ? unflattenMetadata(flat) : undefined;
    return { documents: [newMap(items)], metadata, style: {} };
  },
  serialize(documents, metadata): Uint8Array {
    const lines: string[] = [];
    for (const item of documents[0]?.items ?? []) {
      if (!isEntry(item)) {
        lines.push(`#${item.value}`);
        continue;
      }
      const v = item.value;
      if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && 'kind' in v) {
        throw parseError('dotenv output', `cannot hold the nested value under "${item.key}" (dotenv is flat)`);
      }
      const text = v instanceof Uint8Array ? new TextDecoder().decode(v) : v === null ? '' : String(v);
      lines.push(`${item.key}=${text.replaceAll('\n', '\\n')}`);
    }
    if (metadata)
      for (const [k, v] of flattenMetadata(metadata)) lines.push(`${PREFIX}${k}=${v.replaceAll('\n', '\\n')}`);
    return new TextEncoder().encode(lines.map((l) => `${l}\n`).join(''));
  },
};
