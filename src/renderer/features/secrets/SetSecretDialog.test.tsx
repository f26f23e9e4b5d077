// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Res } from '../../../shared/ipc/contract';
import type { ConsumerCheck } from '../../../shared/ipc/rotate-contract';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { documentMarkup, renderScreen } from '../../test-support/render';
import { secretRow } from '../../test-support/rows';
import { SetSecretDialog } from './SetSecretDialog';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

const CANARY = 'set-dialog-CANARY-7f3a';
const ROLLBACK_ID = 'rollback-id-0123456789';

function outcome(checks: ConsumerCheck[]): Res<'rotate:run'> {
  return {
    consumers: checks.length,
    stacks: 1,
    generated: false,
    verified: true,
    verifyCancelled: false,
    ok: checks.every((c) => c.status === 'ok'),
    checks,
    failures: [],
    rollback: { id: ROLLBACK_ID, method: 'value' },
    warnings: [],
  };
}

describe('SetSecretDialog', () => {
  it('takes the value in a masked field that shows it only on request', async () => {
    const { user } = renderScreen(
      <SetSecretDialog row={secretRow({ secret: 'DB_PASSWORD' })} onClose={() => {}} onDone={() => {}} />,
    );
    const input = screen.getByLabelText<HTMLInputElement>('New value');
    expect(input.type).toBe('password');
    await user.type(input, CANARY);
    expect(input.value).toBe(CANARY);
    await user.click(screen.getByRole('button', { name: 'Show' }));
    expect(input.type).toBe('text');
    expect(screen.getByRole('button', { name: 'Hide' }).getAttribute('aria-pressed')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Hide' }));
    expect(input.type).toBe('password');
  });

  it('never writes the typed value into the document markup (no value attribute)', async () => {
    const { user } = renderScreen(
      <SetSecretDialog row={secretRow({ secret: 'DB_PASSWORD' })} onClose={() => {}} onDone={() => {}} />,
    );
    await user.type(screen.getByLabelText('New value'), CANARY);
    await user.click(screen.getByRole('button', { name: 'Show' }));
    expect(documentMarkup()).not.toContain(CANARY);
  });

  it('sets an instance secret without asking about consumers, and clears the field', async () => {
    const onDone = vi.fn();
    answer({ 'secrets:set': () => ({ consumers: 1, warnings: ['generated a key'] }) });
    const { user } = renderScreen(
      <SetSecretDialog row={secretRow({ secret: 'DB_PASSWORD' })} onClose={() => {}} onDone={onDone} />,
    );
    expect(screen.queryByTestId('consumers')).toBeNull();
    await user.type(screen.getByLabelText('New value'), CANARY);
    await user.click(screen.getByRole('button', { name: 'Set' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(['generated a key']));
    expect(callsTo('secrets:set')).toEqual([
      { stack: 'plat-ue2-dev', component: 'api', secret: 'DB_PASSWORD', value: CANARY, confirmed: true },
    ]);
    expect(screen.getByLabelText<HTMLInputElement>('New value').value).toBe('');
  });

  it('generates the value in main: the renderer sends only a length and alphabet, and never holds a value', async () => {
    const onDone = vi.fn();
    answer({ 'rotate:run': () => outcome([{ stack: 'plat-ue2-dev', component: 'api', status: 'ok', where: 'w' }]) });
    const { user } = renderScreen(
      <SetSecretDialog row={secretRow({ secret: 'DB_PASSWORD' })} onClose={() => {}} onDone={onDone} />,
    );
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect(screen.queryByLabelText('New value')).toBeNull();
    await user.clear(screen.getByTestId('generate-length'));
    await user.type(screen.getByTestId('generate-length'), '12');
    await user.selectOptions(screen.getByTestId('generate-alphabet'), 'hex');
    // 12 hex characters are 48 bits: refused here before main refuses them.
    expect(screen.getByTestId('generate-bits').textContent).toBe('48 bits (at least 64 needed)');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Set' }).disabled).toBe(true);
    await user.clear(screen.getByTestId('generate-length'));
    await user.type(screen.getByTestId('generate-length'), '40');
    await user.click(screen.getByRole('button', { name: 'Set' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith([]));
    expect(callsTo('rotate:run')).toEqual([
      {
        stack: 'plat-ue2-dev',
        component: 'api',
        secret: 'DB_PASSWORD',
        value: { kind: 'generate', length: 40, alphabet: 'hex' },
        confirmed: true,
        verify: true,
        operationId: 'op-test-0001',
      },
    ]);
  });

  it('rotates a global secret only after the person confirms every consumer, reading it back', async () => {
    const onDone = vi.fn();
    answer({
      'secrets:consumers': () => ({
        scope: 'global',
        provider: 'keychain',
        consumers: [
          { stack: 'plat-ue2-dev', component: 'api' },
          { stack: 'plat-ue2-prod', component: 'api' },
          { stack: 'plat-ue2-prod', component: 'worker' },
        ],
      }),
      'rotate:run': () => outcome([{ stack: 'plat-ue2-dev', component: 'api', status: 'ok', where: 'w' }]),
    });
    const row = secretRow({ secret: 'DATADOG_API_KEY', component: '*', scope: 'global', status: 'initialized' });
    const { user } = renderScreen(<SetSecretDialog row={row} onClose={() => {}} onDone={onDone} />);
    expect(screen.getByRole('dialog', { name: 'Rotate DATADOG_API_KEY' })).toBeTruthy();
    expect((await screen.findByTestId('consumers-count')).textContent).toBe('3 components in 2 stacks');
    expect(screen.getByTestId('consumers').textContent).toContain('plat-ue2-prod / worker');
    await user.type(screen.getByLabelText('New value'), CANARY);
    const save = screen.getByRole<HTMLButtonElement>('button', { name: 'Rotate' });
    expect(save.disabled).toBe(true);
    await user.click(screen.getByRole('checkbox', { name: 'Change it for all 3 consumers' }));
    expect(save.disabled).toBe(false);
    await user.click(save);
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(callsTo('rotate:run')).toEqual([
      {
        stack: 'plat-ue2-dev',
        component: '*',
        secret: 'DATADOG_API_KEY',
        value: { kind: 'given', value: CANARY },
        confirmed: true,
        verify: true,
        operationId: 'op-test-0001',
      },
    ]);
  });

  it('a red consumer keeps the dialog open with the report and the roll back', async () => {
    const onDone = vi.fn();
    answer({
      'rotate:run': () =>
        outcome([
          {
            stack: 'plat-ue2-dev',
            component: 'api',
            status: 'mismatch',
            where: 'w',
            detail: 'reads a different value',
          },
        ]),
      'rotate:rollback': () => ({ method: 'value', message: 'restored the previous value of DB_PASSWORD in w' }),
    });
    const row = secretRow({ secret: 'DB_PASSWORD', status: 'initialized' });
    const { user } = renderScreen(<SetSecretDialog row={row} onClose={() => {}} onDone={onDone} />);
    await user.type(screen.getByLabelText('New value'), CANARY);
    await user.click(screen.getByRole('button', { name: 'Rotate' }));
    expect((await screen.findByTestId('verify-summary')).textContent).toBe('1 of 1 consumer failed verification.');
    expect(onDone).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('roll-back'));
    expect((await screen.findByTestId('rolled-back')).textContent).toBe(
      'Rolled back: restored the previous value of DB_PASSWORD in w.',
    );
    expect(callsTo('rotate:rollback')).toEqual([{ id: ROLLBACK_ID }]);
    await user.click(screen.getByTestId('close-report'));
    expect(onDone).toHaveBeenCalledWith([]);
  });

  it('shows a failed set as an error and keeps the dialog open', async () => {
    const onDone = vi.fn();
    answer({ 'secrets:set': () => Promise.reject(new Error('The keychain is locked.')) });
    const { user } = renderScreen(
      <SetSecretDialog row={secretRow({ secret: 'DB_PASSWORD' })} onClose={() => {}} onDone={onDone} />,
    );
    await user.type(screen.getByLabelText('New value'), 'x');
    await user.click(screen.getByRole('button', { name: 'Set' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The keychain is locked.');
    expect(onDone).not.toHaveBeenCalled();
  });

  it('closes on Escape and on Cancel', async () => {
    const onClose = vi.fn();
    const { user } = renderScreen(
      <SetSecretDialog row={secretRow({ secret: 'DB_PASSWORD' })} onClose={onClose} onDone={() => {}} />,
    );
    await user.keyboard('{Escape}');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});
