// A JSON document written piece by piece: `JSON.stringify(doc, null, 2)` byte for byte, but its one large array
// (audit's 150,000 findings, SARIF's results) is produced item by item, so the text of the whole document is
// never held at once. Hand-written because the document's shape is fixed and small: the document is stringified
// with a placeholder where the array goes, and the array's items are written at the placeholder's indentation.
import { AppError } from '../../../shared/errors';

/**
 * Stands in for the streamed array. A NUL cannot occur in any text of an audit document (paths, names and
 * messages never hold one), and JSON.stringify writes it escaped, so the marker's text is unique.
 */
const PLACEHOLDER = '\u0000atmos-secret:streamed-array\u0000';

/**
 * The pieces of `JSON.stringify(template(PLACEHOLDER), null, 2)` with the placeholder replaced by `items` as an
 * array. `items` is read lazily, one item per piece: a consumer that stops early stops the reading.
 */
export function* streamedJson<T>(
  template: (placeholder: string) => unknown,
  items: Iterable<T>,
  render: (item: T) => unknown,
): Generator<string, void, undefined> {
  const text = JSON.stringify(template(PLACEHOLDER), null, 2);
  const marker = JSON.stringify(PLACEHOLDER);
  const at = text.indexOf(marker);
  if (at < 0 || text.indexOf(marker, at + 1) >= 0) {
    throw new AppError('INTERNAL', 'a streamed JSON document needs its placeholder exactly once');
  }
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const indent = ' '.repeat(text.slice(lineStart, at).length - text.slice(lineStart, at).trimStart().length);
  const inner = `${indent}  `;
  yield `${text.slice(0, at)}[`;
  let first = true;
  for (const item of items) {
    const body = JSON.stringify(render(item), null, 2).replaceAll('\n', `\n${inner}`);
    yield `${first ? '' : ','}\n${inner}${body}`;
    first = false;
  }
  yield `${first ? '' : `\n${indent}`}]${text.slice(at + marker.length)}`;
}
