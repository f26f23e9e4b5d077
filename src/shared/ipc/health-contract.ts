// The Health page's channels: the estate audit (`atmos-secret audit`) over the open workspace, with progress and
// cancel, and deleting an orphan ("Delete it"). The answers carry names and places only: never a value, nor a
// hash of one. The production rule and the maximum rotation age come from the app's settings, read in main.
import { z } from 'zod';
import { OperationId } from './secrets-contract';

const name = z.string().min(1).max(512);

/** Findings a response carries at most; `omittedFindings` counts the rest (the CLI prints them all). */
export const MAX_HEALTH_FINDINGS = 2000;

/**
 * The finding kinds, in the order the CLI, the SARIF rules and the Health page list them: the one list (main's
 * health/findings.ts re-exports it; the renderer orders its counts by it).
 */
export const FINDING_KINDS = [
  'missing', // a required, declared secret has no value (what `validate` reports)
  'config', // a declaration, component or store record that does not load
  'unreadable', // a backend could not be read: nothing under it was checked (once per store)
  'reused-across-environments', // one value in a production stack and in a non-production one
  'reused-across-names', // one value under secrets of different names
  'empty', // the value is empty
  'short', // fewer than MIN_LENGTH characters
  'low-entropy', // repetitive: few bits per character or in all
  'stale', // last changed longer ago than the maximum age
  'orphan', // present in a store under its managed prefix, declared nowhere
  'cannot-list', // a store that cannot be listed, so its orphans cannot be found
] as const;
export const FindingKind = z.enum(FINDING_KINDS);
export type FindingKind = z.infer<typeof FindingKind>;

export const FindingSeverity = z.enum(['warning', 'error']);
export type FindingSeverity = z.infer<typeof FindingSeverity>;

export const FindingAction = z.object({
  kind: z.enum(['set', 'rotate', 'fix-config', 'check-access', 'declare-or-delete']),
  text: z.string(),
});

export const FindingPlace = z.object({
  stack: z.string().optional(),
  /** The component, or `*` for a stack-level declaration. */
  component: z.string().optional(),
  secret: z.string().optional(),
  provider: z.string().optional(),
  where: z.string().optional(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
});
export type FindingPlace = z.infer<typeof FindingPlace>;

export const HealthFinding = z.object({
  kind: FindingKind,
  severity: FindingSeverity,
  message: z.string(),
  action: FindingAction,
  places: z.array(FindingPlace).max(100),
  omittedPlaces: z.number().int().nonnegative(),
  lastChanged: z.string().optional(),
});
export type HealthFinding = z.infer<typeof HealthFinding>;

const count = z.number().int().nonnegative();

export const HealthReport = z.object({
  checkedAt: z.string(),
  maxAgeDays: z.number().int().positive(),
  productionRule: z.string(),
  summary: z.object({
    stacks: count,
    components: count,
    secrets: count,
    valuesRead: count,
    unchecked: count,
    ageKnown: count,
    ageUnknown: count,
    byKind: z.record(FindingKind, count),
    bySeverity: z.record(FindingSeverity, count),
  }),
  findings: z.array(HealthFinding).max(MAX_HEALTH_FINDINGS),
  omittedFindings: count,
});
export type HealthReport = z.infer<typeof HealthReport>;

export const healthContract = {
  'health:audit': {
    // `stacks`: audit only these (empty or absent: every stack).
    req: z.object({ stacks: z.array(name).max(50).optional(), operationId: OperationId.optional() }).strict(),
    res: HealthReport,
  },
  'health:deleteOrphan': {
    // One store value no declaration resolves to (a finding's provider and `where`), after the person confirmed.
    // Main lists the store again first: a value declared since is not deleted.
    req: z
      .object({
        provider: z
          .string()
          .regex(/^store:/, 'must name a store (store:<name>)')
          .max(520),
        path: z.string().min(1).max(2048),
        confirmed: z.literal(true),
      })
      .strict(),
    res: z.object({ deleted: z.boolean() }),
  },
} as const;
