// Keyboard shortcuts as data: "Mod" is Cmd on macOS and Ctrl elsewhere. One parser and one matcher, so the
// palette shows exactly the keys the shell listens for.

export interface Shortcut {
  readonly mod: boolean;
  readonly shift: boolean;
  readonly alt: boolean;
  /** KeyboardEvent.key, lower-cased for letters ("k", "1", ",", "f5"). */
  readonly key: string;
}

/** "Mod+Shift+K" -> Shortcut. */
export function parseShortcut(text: string): Shortcut {
  const parts = text.split('+');
  const key = (parts.pop() ?? '').toLowerCase();
  return { mod: parts.includes('Mod'), shift: parts.includes('Shift'), alt: parts.includes('Alt'), key };
}

export function isMac(platform: string = navigator.platform): boolean {
  return /mac/i.test(platform);
}

export function matchesShortcut(e: KeyboardEvent, text: string, mac: boolean = isMac()): boolean {
  const s = parseShortcut(text);
  const mod = mac ? e.metaKey : e.ctrlKey;
  const otherMod = mac ? e.ctrlKey : e.metaKey;
  return mod === s.mod && !otherMod && e.shiftKey === s.shift && e.altKey === s.alt && e.key.toLowerCase() === s.key;
}

/** How a shortcut reads on this platform: "⌘K" on macOS, "Ctrl+K" elsewhere. */
export function formatShortcut(text: string, mac: boolean = isMac()): string {
  const s = parseShortcut(text);
  const key = s.key.length === 1 ? s.key.toUpperCase() : s.key.toUpperCase();
  if (mac) return `${s.mod ? '⌘' : ''}${s.alt ? '⌥' : ''}${s.shift ? '⇧' : ''}${key}`;
  return [s.mod ? 'Ctrl' : '', s.alt ? 'Alt' : '', s.shift ? 'Shift' : '', key].filter(Boolean).join('+');
}

/** True when the key press is typing into a field, where single keys must not act. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
