// Search every stack for a secret: by name, stack, component, provider, backend path or description. The
// search runs in main over the model (no backend call; indexed once per workspace load), answers at most
// MAX_SHOWN hits with the count of all matches, and the hits are drawn virtualized. Opening a hit shows its stack
// and component in the table below, filtered to it.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { SearchHit } from '../../../shared/ipc/secrets-contract';
import { call, newOperationId, onProgress } from '../../ipc/client';
import type { Navigate } from '../../ui/navigation';
import type { PaletteAction } from '../../ui/palette/actions';
import { ErrorState } from '../../ui/states';
import { VirtualTable } from '../../ui/virtual-rows';

/** Hits asked for per search: enough to scroll through, bounded for a 150,000-secret estate. */
export const MAX_SHOWN = 200;
/** Typing pauses this long before a search is sent. */
export const SEARCH_DEBOUNCE_MS = 150;

interface Answer {
  readonly query: string;
  readonly hits: readonly SearchHit[];
  readonly total: number;
}

export function GlobalSearch(props: {
  /** The query is the page's: while there is one, the page shows these hits instead of its table. */
  query: string;
  onQuery: (query: string) => void;
  /** The box takes the focus whenever this grows (0: never): the palette's "Search secrets". */
  focusTick?: number | undefined;
  onOpen: (hit: SearchHit) => void;
}): ReactNode {
  const { query, onQuery: setQuery } = props;
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const trimmed = query.trim();

  useEffect(() => {
    if ((props.focusTick ?? 0) > 0) input.current?.focus();
  }, [props.focusTick]);

  useEffect(() => {
    if (trimmed === '') return;
    let live = true;
    // Each search is its own operation: the first one of a workspace walks every stack once, and says how far.
    const operationId = newOperationId();
    const stopListening = onProgress((e) => {
      if (live && e.operationId === operationId) setProgress({ done: e.done, total: e.total });
    });
    const timer = setTimeout(() => {
      call('secrets:search', { query: trimmed, limit: MAX_SHOWN, operationId })
        .then(
          (r) => {
            if (!live) return;
            setError(null);
            setAnswer({ query: trimmed, hits: r.hits, total: r.total });
          },
          (e: unknown) => {
            if (live) setError(e);
          },
        )
        .finally(() => {
          stopListening();
          if (live) setProgress(null);
        });
    }, SEARCH_DEBOUNCE_MS);
    // A newer query wins: the older answer, if it still comes, is dropped.
    return () => {
      live = false;
      clearTimeout(timer);
      stopListening();
    };
  }, [trimmed]);

  const current = trimmed !== '' && answer?.query === trimmed ? answer : null;
  const searching = trimmed !== '' && current === null && error === null;

  return (
    <div className="global-search" role="search" aria-label="Search every stack">
      <div className="search-box">
        <input
          ref={input}
          type="search"
          placeholder="Search all stacks for a secret"
          aria-label="Search all stacks"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setQuery('');
          }}
          data-testid="global-search"
        />
        {trimmed !== '' ? (
          <span className="muted" data-testid="search-count" aria-live="polite">
            {searching
              ? progress && progress.total > 0
                ? `Indexing stacks ${progress.done}/${progress.total}…`
                : 'Searching…'
              : current
                ? current.total > current.hits.length
                  ? `${current.hits.length} of ${current.total} matches`
                  : `${current.total} match${current.total === 1 ? '' : 'es'}`
                : ''}
          </span>
        ) : null}
      </div>
      {trimmed !== '' && error ? <ErrorState error={error} /> : null}
      {current && current.hits.length > 0 ? (
        <VirtualTable
          rows={current.hits}
          rowKey={(h) => `${h.stack}/${h.component}/${h.secret}`}
          estimatePx={40}
          columns={5}
          headers={
            <>
              <th scope="col">Secret</th>
              <th scope="col">Stack</th>
              <th scope="col">Component</th>
              <th scope="col">Provider</th>
              <th scope="col" className="actions">
                <span className="sr-only">Open</span>
              </th>
            </>
          }
          tableTestId="search-hits"
          rowTestId="search-hit"
          rowData={(h) => ({ 'data-secret': h.secret, 'data-stack': h.stack })}
          cells={(h) => (
            <>
              <td>
                <code>{h.secret}</code> <span className={`badge scope-${h.scope}`}>{h.scope}</span>
                {h.location ? <div className="muted small clip">{h.location}</div> : null}
              </td>
              <td>
                <div className="hit-stack" title={h.stack}>
                  {h.stack}
                </div>
              </td>
              <td>{h.component === '*' ? <span className="muted">whole stack</span> : h.component}</td>
              <td>
                <code>{h.provider}</code>
              </td>
              <td className="actions">
                <button
                  type="button"
                  className="ghost"
                  onClick={() => {
                    setQuery('');
                    props.onOpen(h);
                  }}
                  aria-label={`Open ${h.secret} in ${h.stack}${h.component === '*' ? '' : ` / ${h.component}`}`}
                >
                  Open
                </button>
              </td>
            </>
          )}
        />
      ) : null}
      {current && current.hits.length === 0 ? (
        <p className="muted" data-testid="search-none">
          No secret in any stack matches “{current.query}”.
        </p>
      ) : null}
    </div>
  );
}

/** The shell's palette entry for the global search: the Secrets page, its search box focused. */
export function searchSecretsAction(navigate: Navigate): PaletteAction {
  return {
    id: 'secrets:search',
    label: 'Search secrets in every stack',
    group: 'Secrets',
    keywords: 'find global all stacks',
    run: () => navigate({ page: 'secrets', action: 'search' }),
  };
}
