// The app's settings: theme, clipboard and reveal timeouts, the rotation age, and how a production stack is
// recognised. Kept by main in the user-data folder (src/main/session/settings.ts); `settings:set` takes any
// subset of the fields and answers the whole, saved settings.
import { z } from 'zod';

export const Theme = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof Theme>;

const word = z.string().trim().min(1).max(128);

/**
 * How the app tells production stacks from the others (reuse of a value between production and the rest is a
 * finding): by the stack's `stage` or `environment` variable, or by globs over the stack's name.
 */
export const ProductionStacksRule = z.discriminatedUnion('match', [
  z.object({ match: z.literal('stage-or-environment'), values: z.array(word).min(1).max(50) }).strict(),
  z.object({ match: z.literal('stack-name'), globs: z.array(word).min(1).max(50) }).strict(),
]);
export type ProductionStacksRule = z.infer<typeof ProductionStacksRule>;

/** Bounds people can set; outside them a value is refused by `settings:set` and replaced by its default on read. */
export const SETTINGS_BOUNDS = {
  clipboardClearSeconds: { min: 5, max: 600 },
  revealHideSeconds: { min: 3, max: 600 },
  rotationMaxAgeDays: { min: 1, max: 3650 },
} as const;

const bounded = (b: { min: number; max: number }): z.ZodNumber => z.number().int().min(b.min).max(b.max);

export const Settings = z
  .object({
    theme: Theme,
    /** A copied secret leaves the clipboard after this long, unless something else was copied since. */
    clipboardClearSeconds: bounded(SETTINGS_BOUNDS.clipboardClearSeconds),
    /** A revealed value hides again after this long. */
    revealHideSeconds: bounded(SETTINGS_BOUNDS.revealHideSeconds),
    /** Secrets whose last change is older are flagged for rotation. */
    rotationMaxAgeDays: bounded(SETTINGS_BOUNDS.rotationMaxAgeDays),
    productionStacks: ProductionStacksRule,
  })
  .strict();
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  clipboardClearSeconds: 30,
  revealHideSeconds: 20,
  rotationMaxAgeDays: 90,
  productionStacks: { match: 'stage-or-environment', values: ['prod', 'production'] },
};

export const settingsContract = {
  'settings:get': {
    req: z.object({}).strict(),
    res: Settings,
  },
  'settings:set': {
    // Any subset of the fields; the others keep their saved values.
    req: Settings.partial().strict(),
    res: Settings,
  },
} as const;
