// The app's settings (theme, timeouts, rotation age, what counts as production), kept in the user-data folder
// as settings.json and written through the one atomic, locked writer (src/main/files). Reading never fails:
// each field is validated on its own, and one that is missing or bad takes its default, so a hand-edited or
// older file loses only what is wrong in it.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../../shared/errors';
import { DEFAULT_SETTINGS, Settings, type Settings as SettingsValue } from '../../shared/ipc/settings-contract';
import { updateFileAtomic } from '../files';

/** A settings file bigger than this is not ours (it holds a handful of fields): defaults are used instead. */
const MAX_SETTINGS_BYTES = 64 * 1024;

export class SettingsStore {
  private readonly listeners = new Set<(s: SettingsValue) => void>();

  constructor(private readonly file: string) {}

  async get(): Promise<SettingsValue> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return DEFAULT_SETTINGS;
    }
    return parseSettings(text);
  }

  /** Saves the given fields (validated), keeps the others, and answers the whole settings as saved. */
  async set(change: Partial<SettingsValue>): Promise<SettingsValue> {
    const checked = Settings.partial().strict().safeParse(change);
    if (!checked.success) {
      throw new AppError('BAD_REQUEST', `Settings not saved: ${checked.error.issues[0]?.message ?? 'invalid'}.`, {
        hint: 'Change the field to an allowed value.',
      });
    }
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    let saved: SettingsValue = DEFAULT_SETTINGS;
    await updateFileAtomic(this.file, (current) => {
      const base = current === undefined ? DEFAULT_SETTINGS : parseSettings(current.toString('utf8'));
      saved = { ...base, ...checked.data };
      return `${JSON.stringify({ version: 1, ...saved }, null, 2)}\n`;
    });
    for (const listener of this.listeners) listener(saved);
    return saved;
  }

  /** Called after each save; returns the unsubscribe function. */
  onChange(listener: (s: SettingsValue) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Field by field: a bad field takes its default, the good ones are kept. */
export function parseSettings(text: string): SettingsValue {
  if (text.length > MAX_SETTINGS_BYTES) return DEFAULT_SETTINGS;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return DEFAULT_SETTINGS;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return DEFAULT_SETTINGS;
  const record = raw as Record<string, unknown>;
  const shape = Settings.shape;
  const pick = <K extends keyof SettingsValue>(key: K): SettingsValue[K] => {
    const parsed = shape[key].safeParse(record[key]);
    return parsed.success ? (parsed.data as SettingsValue[K]) : DEFAULT_SETTINGS[key];
  };
  return {
    theme: pick('theme'),
    clipboardClearSeconds: pick('clipboardClearSeconds'),
    revealHideSeconds: pick('revealHideSeconds'),
    rotationMaxAgeDays: pick('rotationMaxAgeDays'),
    productionStacks: pick('productionStacks'),
  };
}
