// The rotation part of the IPC contract: a secret's consumers (list and graph), rotate with verification, roll
// back, and the rotation history. A value crosses IPC only into `rotate:run` when the person typed it; a
// generated value is made in main and never sent to the renderer. Roll back is by an opaque id main keeps.
import { z } from 'zod';
import { OperationId, SecretScope, SecretTarget } from './secrets-contract';

/** The largest value any backend takes is 64 KiB; the boundary refuses far larger payloads outright. */
const MAX_VALUE_CHARS = 1024 * 1024;

/** Bounds of a generated value (main checks them again, with the entropy floor). */
export const GENERATE_BOUNDS = { minLength: 8, maxLength: 4096, defaultLength: 32 } as const;
export const ALPHABET_PRESETS = ['alphanumeric', 'hex', 'base64url', 'symbols'] as const;
export type AlphabetPreset = (typeof ALPHABET_PRESETS)[number];

/** The characters of each named alphabet: printable ASCII only, so a value survives every backend and shell. */
export const ALPHABETS: Readonly<Record<AlphabetPreset, string>> = {
  alphanumeric: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  hex: '0123456789abcdef',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  symbols: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&()*+,-./:;<=>?@[]^_{|}~',
};

/** A generated value must be at least this hard to guess (length x log2(alphabet size)). */
export const MIN_ENTROPY_BITS = 64;

/** Bits of entropy of `length` characters drawn from `alphabetSize` ones. */
export function entropyBitsOf(length: number, alphabetSize: number): number {
  return Math.floor(length * Math.log2(alphabetSize));
}

export const RotateValue = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('given'), value: z.string().max(MAX_VALUE_CHARS) }).strict(),
  z
    .object({
      kind: z.literal('generate'),
      length: z.number().int().min(GENERATE_BOUNDS.minLength).max(GENERATE_BOUNDS.maxLength),
      alphabet: z.enum(ALPHABET_PRESETS),
    })
    .strict(),
]);
export type RotateValue = z.infer<typeof RotateValue>;

export const ConsumerPlace = z.object({ stack: z.string(), component: z.string(), where: z.string() });
export type ConsumerPlace = z.infer<typeof ConsumerPlace>;

export const ConsumersReport = z.object({
  secret: z.string(),
  scope: SecretScope,
  provider: z.string(),
  where: z.string(),
  consumers: z.array(ConsumerPlace),
  stacks: z.array(z.object({ stack: z.string(), components: z.array(z.string()) })),
  skipped: z.array(z.object({ stack: z.string(), component: z.string(), message: z.string() })),
});
export type ConsumersReport = z.infer<typeof ConsumersReport>;

export const CheckStatus = z.enum(['ok', 'mismatch', 'missing', 'elsewhere', 'error', 'skipped']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const ConsumerCheck = z.object({
  stack: z.string(),
  component: z.string(),
  status: CheckStatus,
  where: z.string(),
  detail: z.string().optional(),
});
export type ConsumerCheck = z.infer<typeof ConsumerCheck>;

export const RollbackMethod = z.enum(['version', 'value', 'delete']);

/** Main's handle for one rotation's roll back (it holds the previous value or version, never the renderer). */
export const RollbackId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be a roll back id from rotate:run');

export const RotationAge = z.object({
  lastChanged: z.string().optional(),
  source: z.enum(['versions', 'sops-lastmodified', 'unknown']),
  ageDays: z.number().int().optional(),
  maxAgeDays: z.number().int().positive(),
  overdue: z.boolean(),
});
export type RotationAge = z.infer<typeof RotationAge>;

export const rotateContract = {
  'rotate:consumers': {
    req: SecretTarget.strict(),
    res: ConsumersReport,
  },
  'rotate:run': {
    req: SecretTarget.extend({
      value: RotateValue,
      /** The person saw the consumers and confirmed (needed for a stack or global secret). */
      confirmed: z.boolean(),
      verify: z.boolean().optional(),
      operationId: OperationId.optional(),
    }).strict(),
    res: z.object({
      consumers: z.number().int().nonnegative(),
      stacks: z.number().int().nonnegative(),
      generated: z.boolean(),
      entropyBits: z.number().int().optional(),
      verified: z.boolean(),
      verifyCancelled: z.boolean(),
      ok: z.boolean(),
      checks: z.array(ConsumerCheck),
      failures: z.array(z.object({ provider: z.string(), code: z.string(), message: z.string() })),
      /** Present while main can restore the previous value (for a limited time). */
      rollback: z.object({ id: RollbackId, method: RollbackMethod, previousVersion: z.string().optional() }).optional(),
      warnings: z.array(z.string()),
    }),
  },
  'rotate:rollback': {
    req: z.object({ id: RollbackId }).strict(),
    res: z.object({ method: RollbackMethod, message: z.string() }),
  },
  'rotate:history': {
    req: SecretTarget.strict(),
    res: z.object({
      secret: z.string(),
      where: z.string(),
      /** Versions the backend keeps (never values); 0 where it keeps none. */
      versions: z.number().int().nonnegative(),
      note: z.string().optional(),
      age: RotationAge,
    }),
  },
} as const;
