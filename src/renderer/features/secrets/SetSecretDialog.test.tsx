// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { documentMarkup, renderScreen } from '../../test-support/render';
import { secretRow } from '../../test-support/rows';
import { SetSecretDialog } from './SetSecretDialog';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

const CANARY = 'set-dialog-CANARY-7f3a';

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

  it('generates a fresh random value on request', async () => {
    const { user } = renderScreen(
      <SetSecretDialog row={secretRow({ secret: 'DB_PASSWORD' })} onClose={() => {}} onDone={() => {}} />,
    );
    const input = screen.getByLabelText<HTMLInputElement>('New value');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    const first = input.value;
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect(input.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(input.value).not.toBe(first);
    expect(documentMarkup()).not.toContain(input.value);
  });

  it('rotates a global secret only after the person confirms every consumer', async () => {
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
      'secrets:set': () => ({ consumers: 3, warnings: [] }),
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
    expect(callsTo('secrets:set')).toEqual([
      { stack: 'plat-ue2-dev', component: '*', secret: 'DATADOG_API_KEY', value: CANARY, confirmed: true },
    ]);
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
