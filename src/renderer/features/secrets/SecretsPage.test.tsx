// @vitest-environment happy-dom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Res } from '../../../shared/ipc/contract';
import { answer, callsTo, emitProgress } from '../../test-support/ipc-mock';
import { fakeLayout } from '../../test-support/layout';
import { documentMarkup, renderScreen } from '../../test-support/render';
import { manyRows, secretRow, stackListing } from '../../test-support/rows';
import { NavigationProvider } from '../../ui/navigation';
import { SecretsPage } from './SecretsPage';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

const STACKS = {
  stacks: [stackListing('plat-ue2-dev', ['api', 'worker']), stackListing('plat-ue2-prod', ['api'])],
  warnings: [],
};
const ROWS = [
  secretRow({ secret: 'DB_PASSWORD', component: 'api', required: true, description: 'Postgres admin' }),
  secretRow({ secret: 'QUEUE_TOKEN', component: 'worker', status: 'initialized' }),
  secretRow({
    secret: 'DATADOG_API_KEY',
    component: '*',
    scope: 'global',
    provider: 'sops:demo-sops',
    status: 'initialized',
  }),
];

function rowOf(secret: string): HTMLElement {
  const row = screen.getAllByTestId('secret-row').find((r) => r.dataset['secret'] === secret);
  if (!row) throw new Error(`no row for ${secret}`);
  return row;
}
const shownSecrets = (): string[] => screen.queryAllByTestId('secret-row').map((r) => r.dataset['secret'] ?? '');

/** The table's estimated row height (SecretRows.tsx), so estimated and measured offsets agree. */
const ROW_PX = 45;
const VIEWPORT_PX = 600;

beforeEach(() => {
  // happy-dom lays nothing out: give the table's viewport and rows a size, as a browser would.
  fakeLayout({ viewport: VIEWPORT_PX, row: ROW_PX });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SecretsPage', () => {
  it("lists the first stack's secrets with scope, provider, status and required badges", async () => {
    answer({ 'stacks:list': () => STACKS, 'secrets:list': () => ({ rows: ROWS }) });
    renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    expect(callsTo('secrets:list')).toEqual([{ stack: 'plat-ue2-dev' }]);
    expect(shownSecrets()).toEqual(['DB_PASSWORD', 'QUEUE_TOKEN', 'DATADOG_API_KEY']);
    const db = within(rowOf('DB_PASSWORD'));
    expect(db.getByText('required').className).toContain('badge');
    expect(db.getByText('Postgres admin')).toBeTruthy();
    expect(db.getByTestId('secret-status').textContent).toBe('missing');
    expect(db.getByRole('button', { name: 'Set DB_PASSWORD' }).textContent).toBe('Set');
    const dd = within(rowOf('DATADOG_API_KEY'));
    expect(dd.getByText('global').className).toBe('badge scope-global');
    expect(dd.getByText('whole stack')).toBeTruthy();
    expect(dd.getByText('sops:demo-sops')).toBeTruthy();
    expect(dd.getByRole('button', { name: 'Rotate DATADOG_API_KEY' }).textContent).toBe('Rotate');
    expect(screen.getByTestId('secrets-count').textContent).toBe('3 secrets');
  });

  it('filters by every typed term and says when nothing matches', async () => {
    answer({ 'stacks:list': () => STACKS, 'secrets:list': () => ({ rows: ROWS }) });
    const { user } = renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    const filter = screen.getByLabelText('Filter secrets');
    await user.type(filter, 'initialized');
    expect(shownSecrets()).toEqual(['QUEUE_TOKEN', 'DATADOG_API_KEY']);
    expect(screen.getByTestId('secrets-count').textContent).toBe('2 of 3');
    await user.type(filter, ' sops');
    expect(shownSecrets()).toEqual(['DATADOG_API_KEY']);
    await user.type(filter, ' nope');
    expect(shownSecrets()).toEqual([]);
    expect(screen.getByTestId('empty').textContent).toContain('No secret matches the filter');
  });

  it('asks for one component when it is picked, and shows its exec line', async () => {
    answer({
      'stacks:list': () => STACKS,
      'secrets:list': (r) => ({ rows: ROWS.filter((row) => !r.component || row.component === r.component) }),
      'secrets:execLine': () => ({ command: 'atmos-secret exec -s plat-ue2-dev -c worker -- terraform plan' }),
    });
    const { user } = renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    await user.selectOptions(screen.getByTestId('component-select'), 'worker');
    await waitFor(() => expect(shownSecrets()).toEqual(['QUEUE_TOKEN']));
    expect(callsTo('secrets:list').at(-1)).toEqual({ stack: 'plat-ue2-dev', component: 'worker' });
    expect((await screen.findByTestId('exec-line')).textContent).toBe(
      'atmos-secret exec -s plat-ue2-dev -c worker -- terraform plan',
    );
  });

  it('reveals a value on request and hides it again by itself', async () => {
    const CANARY = 'reveal-CANARY-91c2';
    answer({
      'stacks:list': () => STACKS,
      'secrets:list': () => ({ rows: ROWS }),
      'secrets:reveal': () => ({ value: CANARY }),
    });
    renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    expect(documentMarkup()).not.toContain(CANARY);
    // Only the reveal's own timer is faked, from here on.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await act(async () => {
      fireEvent.click(within(rowOf('QUEUE_TOKEN')).getByRole('button', { name: 'Reveal QUEUE_TOKEN' }));
    });
    expect(screen.getByTestId('revealed-value').textContent).toBe(CANARY);
    expect(callsTo('secrets:reveal')).toEqual([{ stack: 'plat-ue2-dev', component: 'worker', secret: 'QUEUE_TOKEN' }]);
    act(() => {
      vi.advanceTimersByTime(19_000);
    });
    expect(screen.getByTestId('revealed-value').textContent).toBe(CANARY);
    act(() => {
      vi.advanceTimersByTime(1_000);
    });
    expect(screen.queryByTestId('revealed-value')).toBeNull();
    expect(documentMarkup()).not.toContain(CANARY);
  });

  it('hides a revealed value at once with Hide', async () => {
    answer({
      'stacks:list': () => STACKS,
      'secrets:list': () => ({ rows: ROWS }),
      'secrets:reveal': () => ({ value: 'hide-me-CANARY' }),
    });
    const { user } = renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    await user.click(screen.getByRole('button', { name: 'Reveal QUEUE_TOKEN' }));
    await screen.findByTestId('revealed-value');
    await user.click(screen.getByRole('button', { name: 'Hide' }));
    expect(documentMarkup()).not.toContain('hide-me-CANARY');
  });

  it('shows a failed reveal inline, with no value', async () => {
    answer({
      'stacks:list': () => STACKS,
      'secrets:list': () => ({ rows: ROWS }),
      'secrets:reveal': () => Promise.reject(new Error('The keychain is locked.')),
    });
    const { user } = renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    await user.click(screen.getByRole('button', { name: 'Reveal QUEUE_TOKEN' }));
    expect((await within(rowOf('QUEUE_TOKEN')).findByText('The keychain is locked.')).className).toBe('inline-error');
    expect(screen.queryByTestId('revealed-value')).toBeNull();
  });

  it('keeps the delete dialog open with the error when the delete fails', async () => {
    answer({
      'stacks:list': () => STACKS,
      'secrets:list': () => ({ rows: ROWS }),
      'secrets:delete': () => Promise.reject(new Error('The keychain is locked.')),
    });
    const { user } = renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    await user.click(screen.getByRole('button', { name: 'Delete QUEUE_TOKEN' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Delete QUEUE_TOKEN?' }));
    await user.click(dialog.getByRole('button', { name: 'Delete' }));
    expect((await dialog.findByRole('alert')).textContent).toContain('The keychain is locked.');
    expect(callsTo('secrets:delete')).toEqual([
      { stack: 'plat-ue2-dev', component: 'worker', secret: 'QUEUE_TOKEN', confirmed: true },
    ]);
  });

  it('offers no reveal for a missing value', async () => {
    answer({ 'stacks:list': () => STACKS, 'secrets:list': () => ({ rows: ROWS }) });
    renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Reveal DB_PASSWORD' }).disabled).toBe(true);
  });

  it('deletes a global value only after listing every consumer, then reloads', async () => {
    let rows = ROWS;
    answer({
      'stacks:list': () => STACKS,
      'secrets:list': () => ({ rows }),
      'secrets:consumers': () => ({
        scope: 'global',
        provider: 'sops:demo-sops',
        consumers: [
          { stack: 'plat-ue2-dev', component: 'api' },
          { stack: 'plat-ue2-prod', component: 'api' },
        ],
      }),
      'secrets:delete': () => {
        rows = ROWS.map((r) => (r.secret === 'DATADOG_API_KEY' ? { ...r, status: 'missing' } : r));
        return { deleted: true };
      },
    });
    const { user } = renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    await user.click(screen.getByRole('button', { name: 'Delete DATADOG_API_KEY' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Delete DATADOG_API_KEY?' }));
    expect((await dialog.findByTestId('consumers-count')).textContent).toBe('2 components in 2 stacks');
    expect(dialog.getByTestId('consumers').textContent).toContain('plat-ue2-prod / api');
    expect(callsTo('secrets:delete')).toEqual([]);
    await user.click(dialog.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(callsTo('secrets:delete')).toEqual([
      { stack: 'plat-ue2-dev', component: '*', secret: 'DATADOG_API_KEY', confirmed: true },
    ]);
    await waitFor(() =>
      expect(within(rowOf('DATADOG_API_KEY')).getByTestId('secret-status').textContent).toBe('missing'),
    );
  });

  it('keeps the value when a delete is cancelled', async () => {
    answer({ 'stacks:list': () => STACKS, 'secrets:list': () => ({ rows: ROWS }) });
    const { user } = renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    await user.click(screen.getByRole('button', { name: 'Delete QUEUE_TOKEN' }));
    expect(screen.queryByTestId('consumers')).toBeNull();
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(callsTo('secrets:delete')).toEqual([]);
  });

  it('checks backends with progress, then shows the verified statuses', async () => {
    let finish: (v: Res<'secrets:list'>) => void = () => {};
    answer({
      'stacks:list': () => STACKS,
      'secrets:list': (r) =>
        r.verify ? new Promise<Res<'secrets:list'>>((resolve) => (finish = resolve)) : { rows: ROWS },
    });
    const { user } = renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    await user.click(screen.getByTestId('check-backends'));
    expect(callsTo('secrets:list').at(-1)).toEqual({
      stack: 'plat-ue2-dev',
      verify: true,
      operationId: 'op-test-0001',
    });
    act(() => emitProgress({ operationId: 'op-test-0001', done: 2, total: 3 }));
    expect(screen.getByTestId('check-progress').textContent).toBe('Checking 2/3');
    await act(async () => finish({ rows: ROWS.map((r) => ({ ...r, status: 'error' as const })) }));
    expect(screen.getAllByTestId('secret-status').map((s) => s.textContent)).toEqual(['error', 'error', 'error']);
    expect(screen.getByTestId('check-backends')).toBeTruthy();
  });
});

describe('SecretsPage at estate scale', () => {
  it('puts only the rows in view into the DOM for 10,000 rows, and follows the scroll', async () => {
    const rows = manyRows(10_000);
    answer({ 'stacks:list': () => STACKS, 'secrets:list': () => ({ rows }) });
    renderScreen(<SecretsPage />);
    const table = await screen.findByTestId('secrets-table');
    expect(table.getAttribute('aria-rowcount')).toBe('10001');
    const inView = VIEWPORT_PX / ROW_PX;
    const first = shownSecrets();
    expect(first[0]).toBe('SECRET_0');
    expect(first.length).toBeGreaterThanOrEqual(inView);
    expect(first.length).toBeLessThan(inView * 3);
    expect(screen.getAllByTestId('secret-row')[0]?.getAttribute('aria-rowindex')).toBe('2');

    const scroller = screen.getByTestId('secrets-scroll');
    act(() => {
      scroller.scrollTop = 5_000 * ROW_PX;
      fireEvent.scroll(scroller);
    });
    const later = shownSecrets();
    expect(later).toContain('SECRET_5000');
    expect(later).not.toContain('SECRET_0');
    expect(later.length).toBeLessThan(inView * 3);
    const at5000 = screen.getAllByTestId('secret-row').find((r) => r.dataset['secret'] === 'SECRET_5000');
    expect(at5000?.getAttribute('aria-rowindex')).toBe('5002');
  });

  it('filters 10,000 rows down to the matching ones', async () => {
    answer({ 'stacks:list': () => STACKS, 'secrets:list': () => ({ rows: manyRows(10_000) }) });
    const { user } = renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    await user.type(screen.getByLabelText('Filter secrets'), 'secret_9999');
    expect(shownSecrets()).toEqual(['SECRET_9999']);
    expect(screen.getByTestId('secrets-count').textContent).toBe('1 of 10000');
    expect(screen.getByTestId('secrets-table').getAttribute('aria-rowcount')).toBe('2');
  });
});

describe('SecretsPage fixes a new user asked for', () => {
  it('reveals into the row’s own value cell: the cells stay where they were, and Copy sends the value to the clipboard', async () => {
    const CANARY = 'copy-CANARY-7d1e';
    answer({
      'stacks:list': () => STACKS,
      'secrets:list': () => ({ rows: ROWS }),
      'secrets:reveal': () => ({ value: CANARY }),
      'clipboard:write': () => ({}),
    });
    const { user } = renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    const headers = screen.getAllByRole('columnheader').map((h) => h.className);
    const cellsBefore = [...rowOf('QUEUE_TOKEN').children].map((c) => c.className);
    expect(headers).toEqual(cellsBefore);
    const valueColumn = headers.indexOf('col-value');
    expect(valueColumn).toBeGreaterThan(0);
    await user.click(screen.getByRole('button', { name: 'Reveal QUEUE_TOKEN' }));
    const revealed = await screen.findByTestId('revealed-value');
    // The same cells, in the same columns; the value sits in the reserved value cell, not among the actions.
    expect([...rowOf('QUEUE_TOKEN').children].map((c) => c.className)).toEqual(cellsBefore);
    expect(rowOf('QUEUE_TOKEN').children[valueColumn]?.contains(revealed)).toBe(true);
    await user.click(within(rowOf('QUEUE_TOKEN')).getByRole('button', { name: 'Copy QUEUE_TOKEN' }));
    expect(callsTo('clipboard:write')).toEqual([{ text: CANARY }]);
    expect(within(rowOf('QUEUE_TOKEN')).getByTestId('copy-value').textContent).toBe('Copied');
  });

  it('disables Delete on a row with no value, and keeps it for set or unchecked ones', async () => {
    const rows = [...ROWS, secretRow({ secret: 'REMOTE', component: 'api', status: 'unknown' })];
    answer({ 'stacks:list': () => STACKS, 'secrets:list': () => ({ rows }) });
    const { user } = renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    const del = (s: string) =>
      screen.getByRole<HTMLButtonElement>('button', { name: `Delete ${s}` }).getAttribute('aria-disabled');
    expect([del('DB_PASSWORD'), del('QUEUE_TOKEN'), del('DATADOG_API_KEY'), del('REMOTE')]).toEqual([
      'true',
      null,
      null,
      null,
    ]);
    // It does nothing when pressed (and stays reachable from the keyboard).
    await user.click(screen.getByRole('button', { name: 'Delete DB_PASSWORD' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('lets the person dismiss a notice, and does not show the same one again', async () => {
    localStorage.clear();
    const NOTICE = 'SOPS provider "demo-sops" had no age key: generated one (recipient age1xyz)';
    answer({
      'stacks:list': () => STACKS,
      'secrets:list': () => ({ rows: ROWS }),
      'secrets:set': () => ({ consumers: 1, warnings: [NOTICE] }),
    });
    const { user } = renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    const setOnce = async (): Promise<void> => {
      await user.click(screen.getByRole('button', { name: 'Set DB_PASSWORD' }));
      await user.type(screen.getByTestId('secret-value'), 'v');
      await user.click(screen.getByTestId('save-secret'));
      await waitFor(() => expect(screen.queryByTestId('set-dialog')).toBeNull());
    };
    await setOnce();
    expect((await screen.findByTestId('notice')).textContent).toContain(NOTICE);
    await user.click(screen.getByRole('button', { name: 'Dismiss this notice' }));
    expect(screen.queryByTestId('notice')).toBeNull();
    await setOnce();
    expect(callsTo('secrets:set')).toHaveLength(2);
    expect(screen.queryByTestId('notice')).toBeNull();
    expect(localStorage.getItem('atmos-secrets.dismissed-notices')).toContain('age1xyz');
  });

  it('shows a secret’s backend path and its resolved 1Password reference, never a value', async () => {
    const ref = 'op://Platform/plat-ue2-dev-api/password';
    const rows = [
      secretRow({ secret: 'OP_TOKEN', provider: 'store:op', location: ref, reference: ref, status: 'initialized' }),
      secretRow({ secret: 'DB_PASSWORD', location: 'atmos-demo/plat/ue2/dev/api/DB_PASSWORD' }),
    ];
    answer({ 'stacks:list': () => STACKS, 'secrets:list': () => ({ rows }) });
    const { user } = renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    await user.click(screen.getByRole('button', { name: 'Details of OP_TOKEN' }));
    const dialog = within(await screen.findByTestId('secret-detail'));
    expect(dialog.getByTestId('detail-reference').textContent).toBe(ref);
    expect(dialog.getByTestId('detail-location').textContent).toBe(ref);
    await user.click(dialog.getByRole('button', { name: 'Close' }));
    await user.click(screen.getByRole('button', { name: 'Details of DB_PASSWORD' }));
    const db = within(await screen.findByTestId('secret-detail'));
    expect(db.getByTestId('detail-location').textContent).toBe('atmos-demo/plat/ue2/dev/api/DB_PASSWORD');
    expect(db.queryByTestId('detail-reference')).toBeNull();
    expect(callsTo('secrets:reveal')).toEqual([]);
  });

  it('opens on the stack, component and secret it was sent to, with the Set dialog for "Set"', async () => {
    answer({
      'stacks:list': () => STACKS,
      'secrets:list': (r) => ({ rows: ROWS.map((row) => ({ ...row, stack: r.stack ?? '' })) }),
    });
    renderScreen(
      <NavigationProvider
        target={{ page: 'secrets', stack: 'plat-ue2-prod', component: 'api', secret: 'DB_PASSWORD', action: 'set' }}
        navigate={() => undefined}
      >
        <SecretsPage />
      </NavigationProvider>,
    );
    const dialog = await screen.findByTestId('set-dialog');
    expect(within(dialog).getByRole('heading').textContent).toBe('Set DB_PASSWORD');
    expect(callsTo('secrets:list')).toEqual([{ stack: 'plat-ue2-prod', component: 'api' }]);
    expect((screen.getByTestId('secrets-filter') as HTMLInputElement).value).toBe('DB_PASSWORD');
    expect((screen.getByTestId('stack-select') as HTMLSelectElement).value).toBe('plat-ue2-prod');
  });
});

describe('SecretsPage follow-ups (issue 12)', () => {
  it('lists the rows again in place after a rotation in the wizard, which stays open on its report', async () => {
    const where = 'store "keychain" (keychain) at atmos-demo/DB_PASSWORD';
    const consumer = { stack: 'plat-ue2-dev', component: 'api', where };
    let rotated = false;
    answer({
      'stacks:list': () => STACKS,
      'secrets:list': () => ({
        rows: [secretRow({ secret: 'DB_PASSWORD', component: 'api', status: rotated ? 'initialized' : 'missing' })],
      }),
      'rotate:consumers': () => ({
        secret: 'DB_PASSWORD',
        scope: 'instance',
        provider: 'store:keychain',
        where,
        consumers: [consumer],
        stacks: [{ stack: 'plat-ue2-dev', components: ['api'] }],
        skipped: [],
      }),
      'rotate:run': () => {
        rotated = true;
        return {
          consumers: 1,
          stacks: 1,
          generated: true,
          entropyBits: 190,
          verified: true,
          verifyCancelled: false,
          ok: true,
          checks: [{ ...consumer, status: 'ok' as const }],
          failures: [],
          rollback: { id: 'rollback-id-0123456789', method: 'value' as const },
          warnings: [],
        };
      },
    });
    const { user } = renderScreen(<SecretsPage />);
    await screen.findByTestId('secrets-table');
    expect(within(rowOf('DB_PASSWORD')).getByTestId('secret-status').textContent).toBe('missing');
    await user.click(screen.getByRole('button', { name: 'Consumers of DB_PASSWORD' }));
    await user.click(await screen.findByTestId('open-rotate-wizard'));
    await user.click(screen.getByTestId('wizard-next'));
    await screen.findByTestId('consumers-table');
    await user.click(screen.getByRole('button', { name: 'Rotate and verify' }));
    await waitFor(() =>
      expect(within(rowOf('DB_PASSWORD')).getByTestId('secret-status').textContent).toBe('initialized'),
    );
    expect(callsTo('secrets:list')).toHaveLength(2);
    // The row's main action now says what it does to a value that exists.
    expect(within(rowOf('DB_PASSWORD')).getByRole('button', { name: 'Rotate DB_PASSWORD' }).textContent).toBe(
      'Rotate',
    );
    expect(screen.getByTestId('verify-summary').textContent).toBe('All 1 consumer read the new value.');
    expect(screen.getByTestId('rotate-wizard')).toBeTruthy();
  });

  it('shows a stacks load error inline with its file and line, above the page, and tries again', async () => {
    const { IpcError } = await import('../../ipc/client');
    let broken = true;
    answer({
      'stacks:list': () => {
        if (broken) {
          throw new IpcError({
            code: 'YAML',
            message: 'Map keys must be unique',
            location: { file: 'stacks/dev.yaml', line: 7 },
          });
        }
        return STACKS;
      },
      'secrets:list': () => ({ rows: ROWS }),
    });
    const { user } = renderScreen(<SecretsPage />);
    const error = await screen.findByTestId('error');
    // The page stays: its heading and the global search are still there, the error sits under them.
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Secrets');
    expect(screen.getByTestId('global-search')).toBeTruthy();
    expect(within(error).getByTestId('error-where').textContent).toBe('In stacks/dev.yaml:7');
    broken = false;
    await user.click(within(error).getByRole('button', { name: 'Try again' }));
    await screen.findByTestId('secrets-table');
    expect(screen.queryByTestId('error')).toBeNull();
  });
});
