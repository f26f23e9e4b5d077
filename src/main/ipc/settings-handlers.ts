// The settings channels: read the saved settings (defaults for anything missing or bad) and save a subset.
import type { AppServices } from '../services';
import type { Handlers } from './router';

type SettingsChannels = 'settings:get' | 'settings:set';

export function createSettingsHandlers(s: AppServices): Pick<Handlers, SettingsChannels> {
  return {
    'settings:get': () => s.settings.get(),
    'settings:set': (change) => s.settings.set(change),
  };
}
