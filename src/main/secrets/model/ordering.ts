// Ordering shared by the model and the operations: every listing sorts the same way.

/** Code-point order: stable across locales, and far cheaper than localeCompare on 100,000 rows. */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
