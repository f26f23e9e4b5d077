// Filtering the secrets table, kept pure so the bench can time it on 10,000 rows and tests can pin it.
// The text a row is searched by is lowercased once per row list (`indexRows`), so each keystroke costs one
// `includes` per row and term: within a small factor of the cheapest filter there is.
import type { SecretRow } from '../../../shared/ipc/secrets-contract';

export interface RowIndex {
  readonly rows: readonly SecretRow[];
  /** Per row, in the same order: its searchable text, lowercased. */
  readonly text: readonly string[];
}

/** What a person can filter by: the secret's name, component, provider, scope, status and description. */
export function searchText(r: SecretRow): string {
  const component = r.component === '*' ? 'whole stack' : r.component;
  return `${r.secret}\n${component}\n${r.provider}\n${r.scope}\n${r.status}\n${r.required ? 'required' : ''}\n${r.description ?? ''}`.toLowerCase();
}

export function indexRows(rows: readonly SecretRow[]): RowIndex {
  return { rows, text: rows.map(searchText) };
}

/** The terms of a query: whitespace-separated, lowercased; every one must match. */
export function queryTerms(query: string): readonly string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/** The rows whose text contains every term of `query` (all rows for an empty query), in their order. */
export function filterRows(index: RowIndex, query: string): readonly SecretRow[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return index.rows;
  const out: SecretRow[] = [];
  const { rows, text } = index;
  for (let i = 0; i < rows.length; i++) {
    const t = text[i];
    if (t !== undefined && terms.every((term) => t.includes(term))) out.push(rows[i]);
  }
  return out;
}
