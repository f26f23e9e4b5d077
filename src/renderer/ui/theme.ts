// The theme on <html>: no attribute follows the OS (prefers-color-scheme through `color-scheme: light dark`),
// `data-theme` pins one. styles.css defines every colour once with light-dark(), so this is all a switch does.
import type { Theme } from '../../shared/ipc/settings-contract';

export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  switch (theme) {
    case 'system':
      delete root.dataset['theme'];
      return;
    case 'light':
    case 'dark':
      root.dataset['theme'] = theme;
      return;
  }
}

/** The quick toggle's order: follow the OS, then light, then dark. */
export function nextTheme(theme: Theme): Theme {
  switch (theme) {
    case 'system':
      return 'light';
    case 'light':
      return 'dark';
    case 'dark':
      return 'system';
  }
}

export const THEME_LABELS: Readonly<Record<Theme, string>> = {
  system: 'Follow the system',
  light: 'Light',
  dark: 'Dark',
};
