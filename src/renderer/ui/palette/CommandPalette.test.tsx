// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { useState, type ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { renderScreen } from '../../test-support/render';
import { ActionsProvider, filterActions, useRegisterActions, type PaletteAction } from './actions';
import { CommandPalette } from './CommandPalette';

function Page({ actions }: { actions: PaletteAction[] }): ReactNode {
  useRegisterActions(actions);
  return null;
}

function Harness({ shell, page }: { shell: PaletteAction[]; page: PaletteAction[] }): ReactNode {
  const [open, setOpen] = useState(true);
  const [pageShown, setPageShown] = useState(true);
  return (
    <ActionsProvider>
      <Page actions={shell} />
      {pageShown ? <Page actions={page} /> : null}
      <button type="button" onClick={() => setPageShown(false)}>
        leave page
      </button>
      <button type="button" onClick={() => setOpen(true)}>
        open palette
      </button>
      {open ? <CommandPalette onClose={() => setOpen(false)} /> : null}
    </ActionsProvider>
  );
}

const action = (id: string, label: string, group: string, run = vi.fn()): PaletteAction => ({ id, label, group, run });

describe('command palette', () => {
  it('lists the shell and page actions, filters by every word, and runs the chosen one with Enter', async () => {
    const validate = vi.fn();
    const { user } = renderScreen(
      <Harness
        shell={[action('page:secrets', 'Secrets', 'Go to'), action('page:validate', 'Validate', 'Go to')]}
        page={[action('validate:run', 'Run validation', 'Validate', validate)]}
      />,
    );
    const options = (): string[] => screen.getAllByRole('option').map((o) => o.textContent ?? '');
    expect(options()).toHaveLength(3);
    const box = screen.getByRole('combobox', { name: 'Type a command or a page' });
    expect(document.activeElement).toBe(box);
    await user.type(box, 'run valid');
    expect(options()).toEqual(['ValidateRun validation']);
    await user.keyboard('{Enter}');
    expect(validate).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('dialog', { name: 'Command palette' })).toBeNull();
  });

  it('moves with the arrows (wrapping), closes with Escape, and forgets a page that is gone', async () => {
    const secrets = vi.fn();
    const { user } = renderScreen(
      <Harness
        shell={[action('page:secrets', 'Secrets', 'Go to', secrets), action('page:stacks', 'Stacks', 'Go to')]}
        page={[action('validate:run', 'Run validation', 'Validate')]}
      />,
    );
    const selected = (): string | null | undefined =>
      screen.getAllByRole('option').find((o) => o.getAttribute('aria-selected') === 'true')?.textContent;
    expect(selected()).toContain('Secrets');
    await user.keyboard('{ArrowUp}');
    expect(selected()).toContain('Run validation');
    await user.keyboard('{ArrowDown}');
    expect(selected()).toContain('Secrets');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(secrets).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'leave page' }));
    await user.click(screen.getByRole('button', { name: 'open palette' }));
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Go toSecrets', 'Go toStacks']);
    await user.type(screen.getByRole('combobox'), 'nothing like it');
    expect(screen.queryAllByRole('option')).toEqual([]);
    expect(screen.getByText(/Nothing matches/)).toBeTruthy();
  });

  it('filterActions matches labels, groups and keywords case-insensitively', () => {
    const all = [{ ...action('a', 'Switch theme', 'App'), keywords: 'dark light' }, action('b', 'Secrets', 'Go to')];
    expect(filterActions(all, 'DARK').map((a) => a.id)).toEqual(['a']);
    expect(filterActions(all, 'go sec').map((a) => a.id)).toEqual(['b']);
    expect(filterActions(all, '  ').map((a) => a.id)).toEqual(['a', 'b']);
  });
});
