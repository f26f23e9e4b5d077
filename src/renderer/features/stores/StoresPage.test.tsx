// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { StoreSummary, StoreTestOutcome } from '../../../shared/ipc/stores-contract';
import { IpcError } from '../../ipc/client';
import { answer, callsTo, emitProgress } from '../../test-support/ipc-mock';
import { documentMarkup, renderScreen } from '../../test-support/render';
import { StoresPage } from './StoresPage';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

const TOKEN = 'hvs.CANARY-token-never-in-markup';

function store(over: Partial<StoreSummary> & Pick<StoreSummary, 'name' | 'kind'>): StoreSummary {
  return { secret: true, options: {}, available: true, takesToken: false, tokenSaved: false, ...over };
}

const STORES: StoreSummary[] = [
  store({ name: 'kc', kind: 'keychain', options: { prefix: 'fx' } }),
  store({
    name: 'vault',
    kind: 'hashicorp/vault',
    identity: 'ops',
    takesToken: true,
    tokenAccount: 'store-token/vault',
    options: { mount: 'secret', token: '<MASKED>', url: 'https://vault.example:8200' },
  }),
  store({ name: 'cache', kind: 'redis', secret: false, available: false }),
  store({
    name: 'broken',
    kind: 'nope',
    secret: false,
    available: false,
    problem: 'store "broken" has unknown kind "nope"',
    file: 'atmos.yaml',
    line: 9,
  }),
];

function card(name: string): HTMLElement {
  const el = screen.getAllByTestId('store-card').find((c) => c.dataset['store'] === name);
  if (!el) throw new Error(`no card for ${name}`);
  return el;
}

describe('StoresPage', () => {
  it('lists each store with kind, identity and masked options; problems in words; token field only for token kinds', async () => {
    answer({ 'stores:list': () => ({ stores: STORES }) });
    renderScreen(<StoresPage />);
    const cards = await screen.findAllByTestId('store-card');
    expect(cards.map((c) => c.dataset['store'])).toEqual(['kc', 'vault', 'cache', 'broken']);
    const v = card('vault');
    expect(v.textContent).toContain('hashicorp/vault');
    expect(v.textContent).toContain('ops');
    expect(
      within(v)
        .getAllByTestId('store-option')
        .map((o) => o.textContent),
    ).toEqual(['secret', '<MASKED>', 'https://vault.example:8200']);
    expect(within(v).getByTestId('store-token-form')).toBeTruthy();
    expect(within(card('kc')).queryByTestId('store-token-form')).toBeNull();
    expect(card('cache').textContent).toContain('not in this build');
    expect(within(card('broken')).getByRole('alert').textContent).toContain('unknown kind "nope"');
    expect(within(card('broken')).queryByRole('button', { name: /Test connection/ })).toBeNull();
  });

  it('tests a connection with progress, then shows the result; a failure shows its code, words and hint', async () => {
    let finish: (r: StoreTestOutcome) => void = () => {};
    answer({
      'stores:list': () => ({ stores: STORES }),
      'stores:test': () => new Promise<StoreTestOutcome>((resolve) => (finish = resolve)),
    });
    const { user } = renderScreen(<StoresPage />);
    await user.click(await screen.findByRole('button', { name: 'Test connection to vault' }));
    expect(within(card('vault')).getByTestId('store-test-running').textContent).toContain('Testing vault');
    expect(callsTo('stores:test')).toEqual([{ name: 'vault', operationId: 'op-test-0001' }]);
    emitProgress({ operationId: 'op-test-0001', done: 0, total: 1 });
    finish({
      store: 'vault',
      kind: 'hashicorp/vault',
      ok: false,
      code: 'AUTH',
      message: 'store "vault" refused the credentials: permission denied',
      hint: 'Save a token below.',
    });
    const result = await within(card('vault')).findByTestId('store-test-result');
    expect(result.textContent).toContain('[AUTH] store "vault" refused the credentials: permission denied');
    expect(result.textContent).toContain('Save a token below.');
    answer({
      'stores:list': () => ({ stores: STORES }),
      'stores:test': () => ({ store: 'kc', kind: 'keychain', ok: true, probe: 'fx/X' }),
    });
    await user.click(screen.getByRole('button', { name: 'Test connection to kc' }));
    expect((await within(card('kc')).findByTestId('store-test-result')).textContent).toContain(
      'Reachable; credentials accepted.',
    );
  });

  it('saves a token to the keychain; the field is emptied and the token never reaches the markup', async () => {
    answer({
      'stores:list': () => ({ stores: STORES }),
      'stores:setToken': ({ name }) => ({ service: 'atmos-secrets', account: `store-token/${name}` }),
    });
    const { user } = renderScreen(<StoresPage />);
    await screen.findAllByTestId('store-card');
    const field = within(card('vault')).getByTestId('store-token') as HTMLInputElement;
    expect(field.type).toBe('password');
    await user.type(field, TOKEN);
    expect(documentMarkup()).not.toContain(TOKEN);
    await user.click(within(card('vault')).getByRole('button', { name: 'Save token' }));
    await waitFor(() => expect(callsTo('stores:setToken')).toEqual([{ name: 'vault', token: TOKEN }]));
    expect((await within(card('vault')).findByTestId('store-token-saved')).textContent).toBe(
      'Saved in the OS keychain (service atmos-secrets, account store-token/vault).',
    );
    expect(field.value).toBe('');
    expect(documentMarkup()).not.toContain(TOKEN);
  });

  it('shows a refused token as an error and keeps the list', async () => {
    answer({
      'stores:list': () => ({ stores: STORES }),
      'stores:setToken': () =>
        Promise.reject(
          new IpcError({
            code: 'BAD_REQUEST',
            message: 'Invalid request for "stores:setToken": token: a token is one line of text.',
          }),
        ),
    });
    const { user } = renderScreen(<StoresPage />);
    await screen.findAllByTestId('store-card');
    await user.type(within(card('vault')).getByTestId('store-token'), 'abc');
    await user.click(within(card('vault')).getByRole('button', { name: 'Save token' }));
    expect((await within(card('vault')).findByRole('alert')).textContent).toContain(
      'token: a token is one line of text',
    );
    expect(within(card('vault')).queryByTestId('store-token-saved')).toBeNull();
  });

  it('shows a 1Password store with its vault and, after a test, the mode it chose and why', async () => {
    const op = store({
      name: 'op',
      kind: 'onepassword',
      takesToken: true,
      tokenAccount: 'store-token/op',
      options: { mode: 'auto', vault: 'Infra' },
    });
    const probe =
      'connect (mode: auto, and a Connect host (OP_CONNECT_HOST (environment)) and token (OS keychain) are present); 2 vaults visible';
    answer({
      'stores:list': () => ({ stores: [op] }),
      'stores:test': () => ({ store: 'op', kind: 'onepassword', ok: true, probe }),
    });
    const { user } = renderScreen(<StoresPage />);
    await screen.findAllByTestId('store-card');
    expect(
      within(card('op'))
        .getAllByTestId('store-option')
        .map((e) => e.textContent),
    ).toEqual(['auto', 'Infra']);
    expect(within(card('op')).getByTestId('store-token')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Test connection to op' }));
    expect((await within(card('op')).findByTestId('store-test-mode')).textContent).toBe(`Mode: ${probe}`);
  });

  it('says so when atmos.yaml configures no stores', async () => {
    answer({ 'stores:list': () => ({ stores: [] }) });
    renderScreen(<StoresPage />);
    expect((await screen.findByTestId('empty')).textContent).toContain('atmos.yaml configures no stores');
  });
});
