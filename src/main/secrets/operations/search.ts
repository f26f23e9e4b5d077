// The app's global search: a secret by name (or component, stack, provider, backend path, description) across
// every stack. Config only, never a backend call. The first search walks the model once (the way `list` does,
// one component at a time) into a flat index of lowercased texts kept for the workspace's life, so each
// keystroke after it is a plain scan: 150,000 rows of the 1,000-stack bench estate cost a few milliseconds.
import type { SecretScope } from '../../stores';
import { AppError } from '../../../shared/errors';
import type { ComponentSecrets } from '../model/secrets-index';
import { byText } from '../model/ordering';
import { backendLocation } from '../model/targets';
import { STACK_WIDE } from './list';
import { throwIfCancelled, type LongRunning, type OperationContext } from './operation-context';

export interface SearchHit {
  readonly stack: string;
  /** The component, or `*` for a declaration in a stack's top-level secrets block. */
  readonly component: string;
  readonly secret: string;
  readonly scope: SecretScope;
  readonly provider: string;
  readonly required: boolean;
  readonly description?: string | undefined;
  readonly location?: string | undefined;
  readonly reference?: string | undefined;
}

export interface SearchRequest extends LongRunning {
  readonly query: string;
  /** At most this many hits (the best first); `total` still counts every match. */
  readonly limit: number;
}

export interface SearchResult {
  readonly hits: readonly SearchHit[];
  readonly total: number;
}

interface SearchIndex {
  readonly hits: readonly SearchHit[];
  /** Per hit, in the same order: the secret's name, lowercased (ranked first). */
  readonly names: readonly string[];
  /** Per hit: everything it is found by, lowercased. */
  readonly texts: readonly string[];
}

// One index per operation context, i.e. per loaded workspace: a reload builds a new context and a new index.
const indexes = new WeakMap<OperationContext, Promise<SearchIndex>>();

/** The terms of a query: whitespace-separated, lowercased; every one must match. */
export function searchTerms(query: string): readonly string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

export async function searchSecrets(ctx: OperationContext, req: SearchRequest): Promise<SearchResult> {
  const terms = searchTerms(req.query);
  if (terms.length === 0) throw new AppError('BAD_REQUEST', 'search: the query is empty');
  const index = await indexOf(ctx, req);
  // Ranked in three bands (the name equals a term, starts with one, anything else matches), each kept in the
  // index's order (stack, component, secret). Only the first `limit` of each band are kept.
  const bands: number[][] = [[], [], []];
  let total = 0;
  for (let i = 0; i < index.texts.length; i++) {
    const text = index.texts[i] as string;
    if (!terms.every((t) => text.includes(t))) continue;
    total++;
    const name = index.names[i] as string;
    const band = terms.includes(name) ? 0 : terms.some((t) => name.startsWith(t)) ? 1 : 2;
    const list = bands[band] as number[];
    if (list.length < req.limit) list.push(i);
  }
  const hits = bands
    .flat()
    .slice(0, req.limit)
    .map((i) => index.hits[i] as SearchHit);
  return { hits, total };
}

function indexOf(ctx: OperationContext, req: LongRunning): Promise<SearchIndex> {
  let index = indexes.get(ctx);
  if (!index) {
    index = buildIndex(ctx, req);
    indexes.set(ctx, index);
    // A cancelled or failed build is not kept: the next search builds again.
    index.catch(() => {
      if (indexes.get(ctx) === index) indexes.delete(ctx);
    });
  }
  return index;
}

/**
 * Every declared secret of every deployable component, each (stack, component, secret) once; a stack-level
 * declaration once per stack (component `*`). A component that does not load is skipped: `validate` reports it.
 */
async function buildIndex(ctx: OperationContext, req: LongRunning): Promise<SearchIndex> {
  const hits: SearchHit[] = [];
  const stacks = [...ctx.workspace.stackNames()].sort(byText);
  let done = 0;
  for (const stack of stacks) {
    throwIfCancelled(req.signal);
    const seen = new Set<string>();
    const stackHits: SearchHit[] = [];
    for (const c of ctx.index.listing(stack)) {
      if (c.abstract) continue;
      let cs: ComponentSecrets;
      try {
        cs = ctx.index.componentOnce(stack, c.name, c.type);
      } catch (e) {
        if (e instanceof AppError) continue;
        throw e;
      }
      for (const s of cs.secrets) {
        const component = s.declaration.position === 'stack' ? STACK_WIDE : cs.component;
        const id = `${component}\0${s.name}`;
        if (seen.has(id)) continue;
        seen.add(id);
        stackHits.push({
          stack,
          component,
          secret: s.name,
          scope: s.declaration.scope,
          provider: s.coordinate.provider,
          required: s.declaration.required,
          ...(s.declaration.description !== undefined ? { description: s.declaration.description } : {}),
          ...backendLocation(s.coordinate),
        });
      }
    }
    stackHits.sort((a, b) => byText(a.component, b.component) || byText(a.secret, b.secret));
    hits.push(...stackHits);
    req.onProgress?.({ done: ++done, total: stacks.length, label: stack });
    // Let a cancel (and other requests) in between stacks: the first build of a large estate takes a while.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return {
    hits,
    names: hits.map((h) => h.secret.toLowerCase()),
    texts: hits.map((h) =>
      [h.secret, h.stack, h.component, h.scope, h.provider, h.location ?? '', h.description ?? '']
        .join('\n')
        .toLowerCase(),
    ),
  };
}
