// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { Res } from '../../../shared/ipc/contract';
import type { HeldAgeKey } from '../../../shared/ipc/keys-contract';
import { answer, callsTo, type Handlers } from '../../test-support/ipc-mock';
import { documentMarkup, renderScreen } from '../../test-support/render';
import { ActionsProvider, usePaletteActions } from '../../ui/palette/actions';
import { KeysPage } from './KeysPage';

/** Stands in for the command palette: each registered action as a button. */
function PaletteProbe(): ReactNode {
  return (
    <ul aria-label="palette">
      {usePaletteActions().map((a) => (
        <li key={a.id}>
          <button type="button" onClick={a.run}>
            {a.label}
          </button>
        </li>
      ))}
    </ul>
  );
}

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

const R1 = 'age1qqqqfirstrecipientqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq';
const R2 = 'age1qqqqsecondrecipientqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq';

function key(recipient: string, files: HeldAgeKey['files'] = []): HeldAgeKey {
  return {
    recipient,
    postQuantum: false,
    service: 'atmos-secrets',
    account: 'atmos-demo/sops-age/demo-sops',
    providers: ['demo-sops'],
    files,
  };
}

function overview(o: Partial<Res<'keys:overview'>> = {}): Res<'keys:overview'> {
  return {
    service: 'atmos-secrets',
    workspaceOpen: true,
    canPickFile: false,
    ageKeys: [],
    tokens: [],
    otherEntries: 0,
    ...o,
  };
}

const PROVIDERS: Handlers['sops:providers'] = () => ({
  providers: [
    { name: 'demo-sops', kind: 'sops/age' },
    { name: 'kms-files', kind: 'sops/aws-kms' },
  ],
});

describe('KeysPage', () => {
  it('lists age keys with what they open and tokens; secret values only as a count', async () => {
    answer({
      'keys:overview': () =>
        overview({
          ageKeys: [
            key(R1, [
              { file: 'secrets/plat-ue2-dev.enc.yaml', provider: 'demo-sops', lostHere: true, lostForAll: true },
              { file: 'secrets/plat-ue2-prod.enc.yaml', provider: 'demo-sops', lostHere: false, lostForAll: false },
            ]),
          ],
          tokens: [{ account: 'store-token/vault', store: 'vault' }],
          otherEntries: 3,
        }),
      'sops:providers': PROVIDERS,
    });
    renderScreen(<KeysPage workspaceOpen />);
    const row = await screen.findByTestId('key-row');
    expect(within(row).getByText(R1)).toBeTruthy();
    expect(within(row).getByText('demo-sops')).toBeTruthy();
    expect(within(row).getByText('2 files')).toBeTruthy();
    expect(within(row).getAllByText('only key')).toHaveLength(1);
    expect(screen.getByTestId('token-row').textContent).toContain('vault');
    expect(screen.getByTestId('value-entries').textContent).toContain('3 other keychain entries hold secret values');
    // Only sops/age providers can take a generated or imported key; every SOPS provider can be re-keyed.
    expect(
      within(screen.getByRole('group', { name: 'Generate an age key' }))
        .getAllByRole('button')
        .map((o) => o.textContent),
    ).toEqual(['Generate a key for demo-sops']);
    expect(
      within(screen.getByTestId('rekey-provider'))
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['demo-sops', 'kms-files']);
  });

  it('removes a key only after showing the files it alone opens', async () => {
    let keys = [key(R1), key(R2)];
    answer({
      'keys:overview': () => overview({ ageKeys: keys }),
      'sops:providers': PROVIDERS,
      'keys:removePlan': ({ name }) => ({
        keys: [{ recipient: name, service: 'atmos-secrets', account: 'atmos-demo/sops-age/demo-sops' }],
        files: [{ file: 'secrets/plat-ue2-dev.enc.yaml', provider: 'demo-sops', lostHere: true, lostForAll: false }],
        recipientsFiles: ['.sops.yaml'],
        checked: true,
      }),
      'keys:remove': ({ name }) => {
        keys = keys.filter((k) => k.recipient !== name);
        return {
          removed: true,
          entriesDeleted: [],
          plan: { keys: [], files: [], recipientsFiles: [], checked: true },
        };
      },
    });
    const { user } = renderScreen(<KeysPage workspaceOpen />);
    await user.click(await screen.findByRole('button', { name: `Remove key ${R1}` }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove this age key?' });
    const lost = await within(dialog).findByTestId('lost-files');
    expect(
      within(lost)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['secrets/plat-ue2-dev.enc.yaml (demo-sops)']);
    expect(dialog.textContent).toContain('.sops.yaml');
    expect(callsTo('keys:remove')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Remove anyway' }));
    await waitFor(() => expect(screen.getAllByTestId('key-row')).toHaveLength(1));
    expect(callsTo('keys:remove')).toEqual([{ name: R1, confirmed: true }]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('keeps the key when the person says so', async () => {
    answer({
      'keys:overview': () => overview({ ageKeys: [key(R1)] }),
      'sops:providers': PROVIDERS,
      'keys:removePlan': () => ({ keys: [], files: [], recipientsFiles: [], checked: true }),
    });
    const { user } = renderScreen(<KeysPage workspaceOpen />);
    await user.click(await screen.findByRole('button', { name: `Remove key ${R1}` }));
    expect(await screen.findByTestId('nothing-lost')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Keep the key' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(callsTo('keys:remove')).toEqual([]);
  });

  it('imports pasted keys through a masked field and shows only recipients back', async () => {
    const pasted = 'AGE-SECRET-KEY-1PASTEDCANARYXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';
    answer({
      'keys:overview': () => overview(),
      'sops:providers': PROVIDERS,
      'keys:import': () => ({
        cancelled: false,
        provider: 'demo-sops',
        added: [R2],
        alreadyHeld: [],
        recorded: [R2],
        storedIn: 'keychain atmos-secrets/atmos-demo/sops-age/demo-sops',
        recipientsFile: '/w/.sops.yaml',
      }),
    });
    const { user } = renderScreen(<KeysPage workspaceOpen />);
    await user.click(await screen.findByTestId('import-keys'));
    expect(screen.queryByTestId('import-pick-file')).toBeNull();
    const field = screen.getByTestId('import-text');
    expect(field.className).toContain('masked-input');
    await user.click(field);
    await user.paste(pasted);
    await user.click(screen.getByTestId('import-submit'));
    const result = await screen.findByTestId('import-result');
    expect(result.textContent).toContain(R2);
    expect(result.textContent).toContain('/w/.sops.yaml');
    expect(callsTo('keys:import')).toEqual([{ provider: 'demo-sops', source: { from: 'text', text: pasted } }]);
    expect(documentMarkup()).not.toContain(pasted);
  });

  it('imports a keys.txt picked in the native dialog; closing the dialog imports nothing', async () => {
    let cancelled = true;
    answer({
      'keys:overview': () => overview({ canPickFile: true }),
      'sops:providers': PROVIDERS,
      'keys:import': () =>
        cancelled
          ? { cancelled: true, added: [], alreadyHeld: [], recorded: [] }
          : { cancelled: false, provider: 'demo-sops', added: [], alreadyHeld: [R1], recorded: [], storedIn: 'k' },
    });
    const { user } = renderScreen(<KeysPage workspaceOpen />);
    await user.click(await screen.findByTestId('import-keys'));
    await user.click(screen.getByTestId('import-pick-file'));
    await waitFor(() => expect(callsTo('keys:import')).toHaveLength(1));
    expect(screen.queryByTestId('import-result')).toBeNull();
    cancelled = false;
    await user.click(screen.getByTestId('import-pick-file'));
    expect((await screen.findByTestId('import-result')).textContent).toContain('Every key was already held');
    expect(callsTo('keys:import')).toEqual([
      { provider: 'demo-sops', source: { from: 'file' } },
      { provider: 'demo-sops', source: { from: 'file' } },
    ]);
  });

  it('generates a key for a provider and shows its recipient, not the key', async () => {
    answer({
      'keys:overview': () => overview(),
      'sops:providers': PROVIDERS,
      'sops:keygen': () => ({
        recipient: R1,
        storedIn: 'keychain atmos-secrets/atmos-demo/sops-age/demo-sops',
        recipientsFile: '/w/.sops.yaml',
        ruleCreated: true,
      }),
    });
    const { user } = renderScreen(<KeysPage workspaceOpen />);
    await user.click(await screen.findByTestId('keygen-demo-sops'));
    expect((await screen.findByTestId('keygen-recipient')).textContent).toBe(R1);
    await user.click(screen.getByRole('checkbox', { name: /Add another key/ }));
    await user.click(screen.getByTestId('keygen-demo-sops'));
    await waitFor(() => expect(callsTo('sops:keygen')).toHaveLength(2));
    expect(callsTo('sops:keygen')).toEqual([{ provider: 'demo-sops' }, { provider: 'demo-sops', force: true }]);
  });

  it('copies a recipient as plain (not secret) text', async () => {
    answer({
      'keys:overview': () => overview({ ageKeys: [key(R1)] }),
      'sops:providers': PROVIDERS,
      'clipboard:write': () => ({ concealed: false }),
    });
    const { user } = renderScreen(<KeysPage workspaceOpen />);
    await user.click(await screen.findByRole('button', { name: `Copy recipient ${R1}` }));
    await waitFor(() => expect(callsTo('clipboard:write')).toEqual([{ text: R1, sensitive: false }]));
  });

  it('shows the updatekeys plan and runs exactly that plan on confirmation', async () => {
    answer({
      'keys:overview': () => overview({ ageKeys: [key(R1)] }),
      'sops:providers': PROVIDERS,
      'sops:rekeyPlan': ({ action, provider }) => ({
        planId: 'plan-0001',
        action,
        provider,
        changes: true,
        files: [
          { file: 'secrets/a.enc.yaml', changes: true, added: [`age ${R2}`], removed: [], valuesReencrypted: 0 },
          { file: 'secrets/b.enc.yaml', changes: false, added: [], removed: [], valuesReencrypted: 0 },
        ],
        lines: [],
      }),
      'sops:rekeyApply': () => ({ written: ['secrets/a.enc.yaml'] }),
    });
    const { user } = renderScreen(<KeysPage workspaceOpen />);
    await user.click(await screen.findByTestId('plan-updatekeys'));
    const plan = await screen.findByTestId('rekey-plan');
    expect(
      within(plan)
        .getAllByTestId('rekey-plan-file')
        .map((r) => r.textContent),
    ).toEqual([`secrets/a.enc.yaml+ age ${R2}`, 'secrets/b.enc.yaml' + 'no change']);
    expect(callsTo('sops:rekeyApply')).toEqual([]);
    await user.click(within(plan).getByRole('button', { name: 'Rewrite 1 file(s)' }));
    await waitFor(() => expect(screen.queryByTestId('rekey-plan')).toBeNull());
    expect(callsTo('sops:rekeyPlan')).toEqual([{ action: 'updatekeys', provider: 'demo-sops' }]);
    expect(callsTo('sops:rekeyApply')).toEqual([{ planId: 'plan-0001', operationId: 'op-test-0001' }]);
  });

  it('removes a token after confirmation, and keeps it on cancel', async () => {
    let tokens = [{ account: 'store-token/vault', store: 'vault' }];
    answer({
      'keys:overview': () => overview({ tokens }),
      'sops:providers': PROVIDERS,
      'keys:delete': ({ name }) => {
        tokens = tokens.filter((t) => t.account !== name);
        return { deleted: true };
      },
    });
    const { user } = renderScreen(<KeysPage workspaceOpen />);
    await user.click(await screen.findByRole('button', { name: 'Remove the token of vault' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(callsTo('keys:delete')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Remove the token of vault' }));
    await user.click(
      within(screen.getByRole('group', { name: 'Confirm removing the token of vault' })).getByRole('button', {
        name: 'Remove',
      }),
    );
    await waitFor(() => expect(screen.queryByTestId('token-row')).toBeNull());
    expect(callsTo('keys:delete')).toEqual([{ name: 'store-token/vault' }]);
  });

  it('says so when nothing is held, without a workspace', async () => {
    answer({ 'keys:overview': () => overview({ workspaceOpen: false }) });
    renderScreen(<KeysPage workspaceOpen={false} />);
    const empties = await screen.findAllByTestId('empty');
    expect(empties.map((e) => e.querySelector('strong')?.textContent)).toEqual([
      'No age key in the keychain yet',
      'No backend token saved',
    ]);
    expect(screen.queryByTestId('rekey')).toBeNull();
    expect(callsTo('sops:providers')).toEqual([]);
  });

  it('offers generate, import and the re-key plans in the command palette', async () => {
    answer({
      'keys:overview': () => overview(),
      'sops:providers': PROVIDERS,
      'sops:rekeyPlan': ({ action, provider }) => ({
        planId: 'plan-0002',
        action,
        provider,
        changes: false,
        files: [],
        lines: [],
      }),
    });
    const { user } = renderScreen(
      <ActionsProvider>
        <KeysPage workspaceOpen />
        <PaletteProbe />
      </ActionsProvider>,
    );
    const palette = await screen.findByRole('list', { name: 'palette' });
    await within(palette).findByText('Import age keys (keys.txt)…');
    expect(
      within(palette)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual([
      'Generate an age key for demo-sops',
      'Import age keys (keys.txt)…',
      'Plan SOPS updatekeys (demo-sops)',
      'Plan SOPS data-key rotation (demo-sops)',
    ]);
    await user.click(within(palette).getByRole('button', { name: 'Plan SOPS data-key rotation (demo-sops)' }));
    await screen.findByTestId('rekey-plan');
    expect(callsTo('sops:rekeyPlan')).toEqual([{ action: 'rotate', provider: 'demo-sops' }]);
    await user.click(within(palette).getByRole('button', { name: 'Import age keys (keys.txt)…' }));
    expect(await screen.findByRole('dialog', { name: 'Import age keys' })).toBeTruthy();
  });
});
