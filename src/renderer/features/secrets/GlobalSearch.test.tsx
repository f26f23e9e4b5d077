// @vitest-environment happy-dom
import { act, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SearchHit } from '../../../shared/ipc/secrets-contract';
import type { Res } from '../../../shared/ipc/contract';
import { answer, callsTo, emitProgress } from '../../test-support/ipc-mock';
import { fakeLayout } from '../../test-support/layout';
import { renderScreen } from '../../test-support/render';
import { secretRow, stackListing } from '../../test-support/rows';
import { searchSecretsAction } from './GlobalSearch';
import { SecretsPage } from './SecretsPage';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

beforeEach(() => {
  fakeLayout({ viewport: 600, row: 40 });
});

const STACKS = {
  stacks: [stackListing('plat-ue2-dev', ['api', 'worker']), stackListing('plat-ue2-prod', ['api'])],
  warnings: [],
};

function hit(stack: string, component: string, secret: string): SearchHit {
  return { stack, component, secret, scope: 'instance', provider: 'store:kc', required: false };
}

describe('global search', () => {
  it('finds a secret in every stack, not only the one on screen, and opens it there', async () => {
    answer({
      'stacks:list': () => STACKS,
      'secrets:list': (r) => ({ rows: [secretRow({ secret: 'DB_PASSWORD', stack: r.stack ?? '', component: 'api' })] }),
      'secrets:search': () => ({
        hits: [hit('plat-ue2-dev', 'api', 'DB_PASSWORD'), hit('plat-ue2-prod', 'api', 'DB_PASSWORD')],
        total: 2,
      }),
    });
    const { user } = renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    await user.type(screen.getByTestId('global-search'), 'db_pass');
    const hits = await screen.findAllByTestId('search-hit');
    expect(hits.map((h) => h.getAttribute('data-stack'))).toEqual(['plat-ue2-dev', 'plat-ue2-prod']);
    // One search for the settled query (typing is debounced), bounded.
    expect(callsTo('secrets:search')).toEqual([{ query: 'db_pass', limit: 200, operationId: 'op-test-0001' }]);
    expect(screen.getByTestId('search-count').textContent).toBe('2 matches');
    // The stack's table gives way to the hits while searching.
    expect(screen.queryByTestId('secrets-table')).toBeNull();
    await user.click(
      within(hits[1] as HTMLElement).getByRole('button', { name: 'Open DB_PASSWORD in plat-ue2-prod / api' }),
    );
    await screen.findByTestId('secrets-table');
    expect(callsTo('secrets:list').at(-1)).toEqual({ stack: 'plat-ue2-prod', component: 'api' });
    expect((screen.getByTestId('secrets-filter') as HTMLInputElement).value).toBe('DB_PASSWORD');
    expect((screen.getByTestId('global-search') as HTMLInputElement).value).toBe('');
  });

  it('says how many matched when main returned only the first ones, and when nothing matched', async () => {
    answer({
      'stacks:list': () => STACKS,
      'secrets:list': () => ({ rows: [] }),
      'secrets:search': (r) =>
        r.query === 'token'
          ? { hits: Array.from({ length: 200 }, (_, i) => hit(`s${i}`, 'api', 'TOKEN')), total: 150_000 }
          : { hits: [], total: 0 },
    });
    const { user } = renderScreen(<SecretsPage />);
    const box = await screen.findByTestId('global-search');
    await user.type(box, 'token');
    await waitFor(() => expect(screen.getByTestId('search-count').textContent).toBe('200 of 150000 matches'));
    // Virtualized: only the hits in view are drawn.
    expect(screen.getAllByTestId('search-hit').length).toBeLessThan(60);
    await user.clear(box);
    await user.type(box, 'nothing-here');
    expect((await screen.findByTestId('search-none')).textContent).toBe(
      'No secret in any stack matches “nothing-here”.',
    );
  });

  it('says how far the first search of a workspace got while it indexes every stack', async () => {
    let finish: (r: Res<'secrets:search'>) => void = () => {};
    answer({
      'stacks:list': () => STACKS,
      'secrets:list': () => ({ rows: [] }),
      'secrets:search': () => new Promise<Res<'secrets:search'>>((resolve) => (finish = resolve)),
    });
    const { user } = renderScreen(<SecretsPage />);
    await user.type(await screen.findByTestId('global-search'), 'api');
    await waitFor(() => expect(callsTo('secrets:search')).toHaveLength(1));
    act(() => emitProgress({ operationId: 'op-test-0001', done: 300, total: 1000 }));
    expect(screen.getByTestId('search-count').textContent).toBe('Indexing stacks 300/1000…');
    await act(async () => finish({ hits: [hit('plat-ue2-dev', 'api', 'API_KEY')], total: 1 }));
    expect(screen.getByTestId('search-count').textContent).toBe('1 match');
  });

  it('gives the shell a palette action that opens the Secrets page on the search', () => {
    const navigate = vi.fn();
    const action = searchSecretsAction(navigate);
    expect(action.label).toBe('Search secrets in every stack');
    action.run();
    expect(navigate).toHaveBeenCalledWith({ page: 'secrets', action: 'search' });
  });
});
