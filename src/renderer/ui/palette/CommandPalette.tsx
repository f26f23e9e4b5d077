// The command palette (Mod+K): a filter box over every registered action (pages, app actions, and what the
// current page added). ARIA combobox + listbox: arrows move, Enter runs, Escape closes, focus returns to
// where it was.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { formatShortcut } from '../shortcuts';
import { filterActions, usePaletteActions, type PaletteAction } from './actions';
import './palette.css';

export function CommandPalette({ onClose }: { readonly onClose: () => void }): ReactNode {
  const actions = usePaletteActions();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const shown = filterActions(actions, query);
  const current = Math.min(active, Math.max(shown.length - 1, 0));

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    input.current?.focus();
    return () => before?.focus();
  }, []);

  const run = (a: PaletteAction | undefined): void => {
    if (!a) return;
    onClose();
    a.run();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        setActive((current + 1) % Math.max(shown.length, 1));
        return;
      case 'ArrowUp':
        e.preventDefault();
        setActive((current - 1 + shown.length) % Math.max(shown.length, 1));
        return;
      case 'Enter':
        e.preventDefault();
        run(shown[current]);
        return;
      case 'Escape':
        e.preventDefault();
        onClose();
        return;
      default:
        return;
    }
  };

  return (
    <div className="overlay palette-overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Command palette" data-testid="palette">
        <input
          ref={input}
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={shown.length ? `${listId}-${current}` : undefined}
          aria-label="Type a command or a page"
          placeholder="Type a command or a page…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          spellCheck={false}
        />
        <ul id={listId} role="listbox" aria-label="Commands" className="palette-list">
          {shown.map((a, i) => (
            <li
              key={a.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === current}
              className={i === current ? 'palette-item active' : 'palette-item'}
              onMouseMove={() => setActive(i)}
              onClick={() => run(a)}
            >
              <span className="palette-group">{a.group}</span>
              <span className="palette-label">{a.label}</span>
              {a.shortcut ? <kbd>{formatShortcut(a.shortcut)}</kbd> : null}
            </li>
          ))}
          {shown.length === 0 ? (
            <li className="palette-none muted" role="presentation">
              Nothing matches “{query}”.
            </li>
          ) : null}
        </ul>
      </div>
    </div>
  );
}
