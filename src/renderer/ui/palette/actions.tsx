// The command palette's actions: the shell registers pages and app actions, and any page adds its own while it
// is mounted (`useRegisterActions`), so the palette grows with the pages without knowing them.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export interface PaletteAction {
  /** Unique across the app, e.g. "page:secrets", "validate:run". */
  readonly id: string;
  readonly label: string;
  /** Heading it is listed under: "Go to", "App", or the page's name. */
  readonly group: string;
  /** A shortcut that also runs it, as `shortcuts.ts` writes them ("Mod+K"); shown beside it. */
  readonly shortcut?: string;
  /** Extra words the filter matches ("theme", "dark"). */
  readonly keywords?: string;
  run(): void;
}

type Register = (actions: readonly PaletteAction[]) => () => void;

// Two contexts: registering is stable (pages do it in effects), the list changes as pages come and go.
const RegisterContext = createContext<Register>(() => () => undefined);
const ListContext = createContext<readonly PaletteAction[]>([]);

export function ActionsProvider({ children }: { readonly children: ReactNode }): ReactNode {
  const [sets, setSets] = useState<ReadonlyMap<symbol, readonly PaletteAction[]>>(new Map());
  const register = useCallback<Register>((actions) => {
    const key = Symbol('actions');
    setSets((m) => new Map(m).set(key, actions));
    return () =>
      setSets((m) => {
        const next = new Map(m);
        next.delete(key);
        return next;
      });
  }, []);
  const list = useMemo(() => [...sets.values()].flat(), [sets]);
  return (
    <RegisterContext.Provider value={register}>
      <ListContext.Provider value={list}>{children}</ListContext.Provider>
    </RegisterContext.Provider>
  );
}

/**
 * Lists `actions` in the palette while the calling component is mounted. The list is read again when an id or
 * label changes; `run` always calls the latest closure, so passing a fresh array each render is fine.
 */
export function useRegisterActions(actions: readonly PaletteAction[]): void {
  const register = useContext(RegisterContext);
  const latest = useRef(actions);
  useEffect(() => {
    latest.current = actions;
  });
  const signature = actions.map((a) => `${a.id}\u0000${a.label}\u0000${a.group}\u0000${a.shortcut ?? ''}`).join('\n');
  useEffect(() => {
    const stable = latest.current.map((a) => ({
      ...a,
      run: () => latest.current.find((b) => b.id === a.id)?.run(),
    }));
    return register(stable);
    // `signature` stands for the actions' identity; their closures are read through `latest`.
  }, [register, signature]);
}

export function usePaletteActions(): readonly PaletteAction[] {
  return useContext(ListContext);
}

/** Every word of the query appears in the label, group or keywords (case-insensitive). */
export function filterActions(actions: readonly PaletteAction[], query: string): PaletteAction[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return actions.filter((a) => {
    const text = `${a.label} ${a.group} ${a.keywords ?? ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
