// The workspace's data generation: it goes up when the files changed on disk (main's watcher) or the person
// pressed Reload. useAsync loads again whenever it changes, so every page refreshes in place: no remount, and
// what the person had selected stays selected. `useWorkspaceReload()` is the Reload button's action (read the
// files again in main, then refresh), for any screen that offers "Try again" on a configuration error.
import { createContext, useContext, type ReactNode } from 'react';

const GenerationContext = createContext(0);
const ReloadContext = createContext<(() => void) | null>(null);

export function RefreshProvider({
  generation,
  reload,
  children,
}: {
  generation: number;
  reload: () => void;
  children: ReactNode;
}): ReactNode {
  return (
    <ReloadContext.Provider value={reload}>
      <GenerationContext.Provider value={generation}>{children}</GenerationContext.Provider>
    </ReloadContext.Provider>
  );
}

export function useRefreshGeneration(): number {
  return useContext(GenerationContext);
}

/** Reloads the workspace from disk and refreshes every page; null outside the shell. */
export function useWorkspaceReload(): (() => void) | null {
  return useContext(ReloadContext);
}
