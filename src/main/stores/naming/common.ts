// Shared pieces of the per-backend name mappings: the context an error needs, the refusal, and Atmos' join.
import type { SourceLocation } from '../../../shared/errors';
import type { SecretPath } from '../paths';
import { UnmappablePathError } from '../store-errors';

/** Who is asking: the configured store's name (and where it is declared), for error messages. */
export interface NamingContext {
  readonly store: string;
  readonly location?: SourceLocation;
}

export function refuse(path: SecretPath, ctx: NamingContext, kind: string, rule: string): never {
  throw new UnmappablePathError({ secret: path.name, store: ctx.store }, kind, rule, ctx.location);
}

/**
 * Atmos' getKey: join the parts with the backend's delimiter, then collapse `//` once (Go's ReplaceAll is a
 * single left-to-right pass). Kept exact so names written by Atmos and by this app agree.
 */
export function atmosJoin(parts: readonly string[], delimiter: string): string {
  const joined = parts.join(delimiter);
  // Most names have no `//`: skip the copy (list maps 150,000 names on a large estate).
  return joined.includes('//') ? joined.replaceAll('//', '/') : joined;
}

/** The first character not matched by `allowed` (a one-character class), shown safely, or undefined. */
export function firstDisallowed(text: string, allowed: RegExp): string | undefined {
  for (const ch of text) {
    if (!allowed.test(ch)) return JSON.stringify(ch);
  }
  return undefined;
}

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u001f\u007f]/;

export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}
