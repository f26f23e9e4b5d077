// A store's invalid `options:` in words, the same for every adapter: each zod issue as `unknown option(s) a, b`
// or `options.<path>: <message>`, joined with "; ". The adapter puts it in its own CONFIG error (store, fix).
import type { z } from 'zod';

/** `known`, when given, is listed after unknown options (`(known: a, b)`), in the order given. */
export function optionIssues(error: z.ZodError, known?: readonly string[]): string {
  return error.issues
    .map((i) =>
      i.code === 'unrecognized_keys'
        ? `unknown option(s) ${i.keys.join(', ')}${known ? ` (known: ${known.join(', ')})` : ''}`
        : `options.${i.path.join('.')}: ${i.message}`,
    )
    .join('; ');
}
