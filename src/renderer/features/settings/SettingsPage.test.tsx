// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/ipc/settings-contract';
import { IpcError } from '../../ipc/client';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { renderScreen } from '../../test-support/render';
import { SettingsProvider } from '../../ui/settings';
import { ToastProvider } from '../../ui/toast';
import { SettingsPage } from './SettingsPage';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

function screenWith(saved: Settings) {
  let current = saved;
  answer({
    'settings:get': () => current,
    'settings:set': (change) => (current = { ...current, ...change } as Settings),
  });
  return renderScreen(
    <SettingsProvider>
      <ToastProvider>
        <SettingsPage />
      </ToastProvider>
    </SettingsProvider>,
  );
}

describe('SettingsPage', () => {
  it('shows the saved settings, saves a theme at once, applies it and confirms it', async () => {
    const { user } = screenWith({ ...DEFAULT_SETTINGS, clipboardClearSeconds: 45 });
    await waitFor(() =>
      expect((screen.getByLabelText('Clear a copied secret after') as HTMLInputElement).value).toBe('45'),
    );
    expect((screen.getByRole('radio', { name: 'Follow the system' }) as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByRole('radio', { name: 'Dark' }));
    await screen.findByText('Theme saved.');
    expect(callsTo('settings:set')).toEqual([{ theme: 'dark' }]);
    expect(document.documentElement.dataset['theme']).toBe('dark');
    expect((screen.getByRole('radio', { name: 'Dark' }) as HTMLInputElement).checked).toBe(true);
  });

  it('refuses a timeout out of bounds before saving, and saves one within them', async () => {
    const { user } = screenWith(DEFAULT_SETTINGS);
    const field = await screen.findByLabelText('Hide a revealed value after');
    const save = (): HTMLButtonElement =>
      field.closest('form')?.querySelector('button[type="submit"]') as HTMLButtonElement;
    await user.clear(field);
    await user.type(field, '1');
    expect(save().disabled).toBe(true);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('A whole number from 3 to 600.')).toBeTruthy();
    await user.clear(field);
    await user.type(field, '45{Enter}');
    await screen.findByText('Reveal timeout saved.');
    expect(callsTo('settings:set')).toEqual([{ revealHideSeconds: 45 }]);
  });

  it('saves the production rule as stack-name globs', async () => {
    const { user } = screenWith(DEFAULT_SETTINGS);
    const values = await screen.findByLabelText('Values');
    expect((values as HTMLInputElement).value).toBe('prod, production');
    await user.selectOptions(screen.getByLabelText('Recognise by'), 'stack-name');
    const globs = screen.getByLabelText('Globs');
    await user.clear(globs);
    await user.type(globs, '*-prod, core-*');
    // The rule's own Save is the last on the page.
    const saves = screen.getAllByRole('button', { name: 'Save' });
    await user.click(saves[saves.length - 1] as HTMLElement);
    await screen.findByText('Production stacks saved.');
    expect(callsTo('settings:set')).toEqual([
      { productionStacks: { match: 'stack-name', globs: ['*-prod', 'core-*'] } },
    ]);
  });

  it('says why a change was not saved, and keeps the saved value', async () => {
    answer({
      'settings:get': () => DEFAULT_SETTINGS,
      'settings:set': () =>
        Promise.reject(new IpcError({ code: 'BAD_REQUEST', message: 'Settings not saved: too big.' })),
    });
    const { user } = renderScreen(
      <SettingsProvider>
        <ToastProvider>
          <SettingsPage />
        </ToastProvider>
      </SettingsProvider>,
    );
    await user.click(await screen.findByRole('radio', { name: 'Light' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Theme not saved: Settings not saved: too big.');
    expect((screen.getByRole('radio', { name: 'Follow the system' }) as HTMLInputElement).checked).toBe(true);
  });
});
