// The app's settings in the renderer: loaded once from main (settings:get), saved through settings:set, and
// applied where they act here (the theme on <html>, the reveal timeout). Outside the provider (a page's unit
// test) the defaults apply and saving is refused, so pages never need the provider to render.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/ipc/settings-contract';
import { call } from '../ipc/client';
import { applyTheme } from './theme';

export interface SettingsApi {
  readonly settings: Settings;
  /** Saves the given fields; resolves to the settings as saved, rejects with main's error. */
  update(change: Partial<Settings>): Promise<Settings>;
}

const SettingsContext = createContext<SettingsApi>({
  settings: DEFAULT_SETTINGS,
  update: () => Promise.reject(new Error('Settings cannot be saved here.')),
});

export function SettingsProvider({ children }: { readonly children: ReactNode }): ReactNode {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);

  useEffect(() => {
    let live = true;
    // Unreadable settings are not worth blocking the app: the defaults stay (main answers them anyway).
    call('settings:get', {}).then(
      (s) => live && setSettings(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => applyTheme(settings.theme), [settings.theme]);

  const update = useCallback(async (change: Partial<Settings>) => {
    const saved = await call('settings:set', change);
    setSettings(saved);
    return saved;
  }, []);

  const api = useMemo(() => ({ settings, update }), [settings, update]);
  return <SettingsContext.Provider value={api}>{children}</SettingsContext.Provider>;
}

export function useSettings(): SettingsApi {
  return useContext(SettingsContext);
}

/** How long a revealed value stays on screen (the `revealHideSeconds` setting), in milliseconds. */
export function useRevealTimeoutMs(): number {
  return useContext(SettingsContext).settings.revealHideSeconds * 1000;
}
