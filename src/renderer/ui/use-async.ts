// Loads data over IPC and tracks the three states every screen draws: loading, error, and loaded.
import { useCallback, useEffect, useState } from 'react';

export type AsyncState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: unknown }
  | { readonly status: 'ready'; readonly value: T };

export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [nonce, setNonce] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `deps` is the caller's dependency list for `load`.
  const stableLoad = useCallback(load, deps);
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    stableLoad().then(
      (value) => live && setState({ status: 'ready', value }),
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [stableLoad, nonce]);
  return [state, () => setNonce((n) => n + 1)];
}
