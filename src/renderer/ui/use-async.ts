// Loads data over IPC and tracks the three states every screen draws: loading, error, and loaded.
// `reload()` loads again (after a change); the latest `load` is always the one called. When the workspace
// changes on disk or the person presses Reload (refresh.tsx), it loads again in place: the last value or error
// stays on screen until the new one arrives, so a page does not flash or lose its scroll. `refresh()` (the third
// element) does the same on the screen's own account: after a change made in a dialog that stays open over it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useRefreshGeneration } from './refresh';

export type AsyncState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: unknown }
  | { readonly status: 'ready'; readonly value: T };

export function useAsync<T>(load: () => Promise<T>): [AsyncState<T>, () => void, () => void] {
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const refresh = useRefreshGeneration();
  useEffect(() => {
    let live = true;
    loadRef.current().then(
      (value) => live && setState({ status: 'ready', value }),
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [generation, refresh]);
  const reload = useCallback(() => {
    setState({ status: 'loading' });
    setGeneration((g) => g + 1);
  }, []);
  const refreshInPlace = useCallback(() => setGeneration((g) => g + 1), []);
  return [state, reload, refreshInPlace];
}
