// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { applyTheme, nextTheme } from './theme';
import { formatShortcut, matchesShortcut } from './shortcuts';

describe('applyTheme', () => {
  it('pins a chosen theme on <html> and removes the pin to follow the OS', () => {
    const root = document.createElement('html');
    applyTheme('dark', root);
    expect(root.dataset['theme']).toBe('dark');
    applyTheme('light', root);
    expect(root.dataset['theme']).toBe('light');
    applyTheme('system', root);
    expect(root.hasAttribute('data-theme')).toBe(false);
  });

  it('the quick toggle cycles system, light, dark', () => {
    expect([nextTheme('system'), nextTheme('light'), nextTheme('dark')]).toEqual(['light', 'dark', 'system']);
  });
});

describe('shortcuts', () => {
  const key = (init: KeyboardEventInit): KeyboardEvent => new KeyboardEvent('keydown', init);

  it('Mod is Ctrl elsewhere and Cmd on macOS, and the other one does not count', () => {
    expect(matchesShortcut(key({ key: 'k', ctrlKey: true }), 'Mod+K', false)).toBe(true);
    expect(matchesShortcut(key({ key: 'k', metaKey: true }), 'Mod+K', false)).toBe(false);
    expect(matchesShortcut(key({ key: 'k', metaKey: true }), 'Mod+K', true)).toBe(true);
    expect(matchesShortcut(key({ key: 'k', ctrlKey: true }), 'Mod+K', true)).toBe(false);
    expect(matchesShortcut(key({ key: 'K', ctrlKey: true, shiftKey: true }), 'Mod+K', false)).toBe(false);
    expect(matchesShortcut(key({ key: 'L', ctrlKey: true, shiftKey: true }), 'Mod+Shift+L', false)).toBe(true);
    expect(matchesShortcut(key({ key: 'F5' }), 'F5', false)).toBe(true);
  });

  it('reads as each platform writes it', () => {
    expect(formatShortcut('Mod+Shift+L', false)).toBe('Ctrl+Shift+L');
    expect(formatShortcut('Mod+K', true)).toBe('⌘K');
    expect(formatShortcut('F5', false)).toBe('F5');
  });
});
