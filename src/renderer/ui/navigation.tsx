// In-app navigation: which page shows, and what it should focus on (a stack, component or secret). Any page can
// send the person elsewhere (a Validate row's "Set" opens the Secrets page on that component) without knowing
// the shell; the shell owns the state.
import { createContext, useContext, type ReactNode } from 'react';

/** Every page of the app; pages.tsx says what each draws. A new page adds its id here and its entry there. */
export type PageId =
  'workspace' | 'stacks' | 'secrets' | 'validate' | 'stores' | 'keys' | 'settings' | 'import' | 'health' | 'diff';

export interface NavTarget {
  readonly page: PageId;
  readonly stack?: string;
  readonly component?: string;
  readonly secret?: string;
  /** What to do there: `set` opens the Set dialog on `secret`; `search` focuses the Secrets page's global search. */
  readonly action?: 'set' | 'search';
}

export type Navigate = (target: NavTarget) => void;

const NavigateContext = createContext<Navigate>(() => undefined);
const TargetContext = createContext<NavTarget>({ page: 'workspace' });

export function NavigationProvider({
  target,
  navigate,
  children,
}: {
  target: NavTarget;
  navigate: Navigate;
  children: ReactNode;
}): ReactNode {
  return (
    <NavigateContext.Provider value={navigate}>
      <TargetContext.Provider value={target}>{children}</TargetContext.Provider>
    </NavigateContext.Provider>
  );
}

/** Sends the person to another page, optionally focused on a stack, component or secret. */
export function useNavigate(): Navigate {
  return useContext(NavigateContext);
}

/** The current page and what it was opened on. */
export function useNavTarget(): NavTarget {
  return useContext(TargetContext);
}
