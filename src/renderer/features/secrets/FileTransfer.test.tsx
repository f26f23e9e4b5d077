// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ImportPlan } from '../../../shared/ipc/secrets-contract';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { renderScreen } from '../../test-support/render';
import { FileTransfer } from './FileTransfer';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

const PLAN: ImportPlan = {
  id: 'pick-1',
  file: 'api.env',
  format: 'env',
  keys: ['DB_PASSWORD'],
  undeclared: [],
  shared: [],
};

describe('export and import of a file', () => {
  it('exports in the chosen format through main, and says what was written and what was not', async () => {
    answer({
      'secrets:export': () => ({ file: '/home/me/api.json', written: ['DB_PASSWORD'], missing: ['STRIPE_API_KEY'] }),
    });
    const { user } = renderScreen(<FileTransfer stack="plat-ue2-dev" component="api" onImported={() => undefined} />);
    await user.selectOptions(screen.getByTestId('export-format'), 'json');
    await user.click(screen.getByTestId('export-file'));
    expect((await screen.findByTestId('transfer-result')).textContent).toBe(
      'Exported 1 secret to /home/me/api.json (readable by you only). Not set, so not written: STRIPE_API_KEY.',
    );
    expect(callsTo('secrets:export')).toEqual([
      { stack: 'plat-ue2-dev', component: 'api', format: 'json', operationId: 'op-test-0001' },
    ]);
  });

  it('says nothing when the save dialog is closed', async () => {
    answer({ 'secrets:export': () => ({ file: null, written: [], missing: [] }) });
    const { user } = renderScreen(<FileTransfer stack="plat-ue2-dev" onImported={() => undefined} />);
    await user.click(screen.getByTestId('export-file'));
    await waitFor(() => expect(callsTo('secrets:export')).toHaveLength(1));
    expect(screen.queryByTestId('transfer-result')).toBeNull();
    expect(callsTo('secrets:export')[0]).toEqual({ stack: 'plat-ue2-dev', format: 'env', operationId: 'op-test-0001' });
  });

  it('shows an import plan that names an undeclared key, and refuses the whole file', async () => {
    answer({
      'secrets:importPlan': () => ({ plan: { ...PLAN, keys: ['DB_PASSWORD', 'NOPE'], undeclared: ['NOPE'] } }),
    });
    const { user } = renderScreen(<FileTransfer stack="plat-ue2-dev" component="api" onImported={() => undefined} />);
    await user.click(screen.getByTestId('import-file'));
    const dialog = within(await screen.findByTestId('import-dialog'));
    expect(dialog.getByTestId('import-keys').textContent).toContain('NOPEnot declared');
    expect(dialog.getByTestId('import-refused').textContent).toContain('NOPE is not declared in plat-ue2-dev / api');
    expect(dialog.getByTestId<HTMLButtonElement>('apply-import').disabled).toBe(true);
    expect(callsTo('secrets:importPlan')).toEqual([{ stack: 'plat-ue2-dev', component: 'api' }]);
  });

  it('imports after the plan, once the shared secrets it reaches are confirmed', async () => {
    const onImported = vi.fn();
    answer({
      'secrets:importPlan': () => ({
        plan: {
          ...PLAN,
          keys: ['DB_PASSWORD', 'DD'],
          shared: [{ secret: 'DD', scope: 'global', consumers: 4, stacks: 2 }],
        },
      }),
      'secrets:importApply': () => ({ set: ['DB_PASSWORD', 'DD'], warnings: [] }),
    });
    const { user } = renderScreen(<FileTransfer stack="plat-ue2-dev" component="api" onImported={onImported} />);
    await user.click(screen.getByTestId('import-file'));
    const dialog = within(await screen.findByTestId('import-dialog'));
    expect(dialog.getByTestId('import-shared').textContent).toContain('4 components in 2 stacks');
    const apply = dialog.getByTestId<HTMLButtonElement>('apply-import');
    expect(apply.disabled).toBe(true);
    await user.click(dialog.getByTestId('confirm-import-shared'));
    await user.click(apply);
    expect((await screen.findByTestId('transfer-result')).textContent).toBe('Imported 2 secrets from api.env.');
    expect(callsTo('secrets:importApply')).toEqual([{ id: 'pick-1', confirmed: true, operationId: 'op-test-0001' }]);
    expect(onImported).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('import-dialog')).toBeNull();
  });
});
