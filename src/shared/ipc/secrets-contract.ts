// The secrets part of the IPC contract: list, consumers, set/rotate, delete, reveal, validate, exec line.
// A value crosses IPC only in `secrets:set` (renderer -> main) and `secrets:reveal` (main -> renderer, on the
// person's explicit request); every other response carries names and statuses only.
import { z } from 'zod';

const name = z.string().min(1).max(512);
/** A renderer-chosen id for a long operation, so it can be cancelled before its first progress event. */
export const OperationId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, _ or -');

export const SecretScope = z.enum(['instance', 'stack', 'global']);
export const SecretStatus = z.enum(['initialized', 'missing', 'unknown', 'error']);

export const SecretRow = z.object({
  stack: z.string(),
  component: z.string(),
  secret: z.string(),
  scope: SecretScope,
  provider: z.string(),
  status: SecretStatus,
  required: z.boolean(),
  description: z.string().optional(),
});
export type SecretRow = z.infer<typeof SecretRow>;

export const Consumer = z.object({ stack: z.string(), component: z.string() });
export type Consumer = z.infer<typeof Consumer>;

/** Which secret: stack and global secrets need no component. */
export const SecretTarget = z.object({ stack: name, component: name.optional(), secret: name });

export const ValidationProblem = z.object({
  kind: z.enum(['missing', 'config', 'collision']),
  message: z.string(),
  hint: z.string().optional(),
  stack: z.string().optional(),
  component: z.string().optional(),
  secret: z.string().optional(),
  /** Relative to the workspace folder when it is inside it. */
  file: z.string().optional(),
  line: z.number().optional(),
});
export type ValidationProblem = z.infer<typeof ValidationProblem>;

/** The largest value any backend takes is 64 KiB; the boundary refuses far larger payloads outright. */
const MAX_VALUE_CHARS = 1024 * 1024;

export const secretsContract = {
  'secrets:list': {
    req: z
      .object({
        stack: name.optional(),
        component: name.optional(),
        verify: z.boolean().optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    res: z.object({ rows: z.array(SecretRow) }),
  },
  'secrets:consumers': {
    req: SecretTarget.strict(),
    res: z.object({ scope: SecretScope, provider: z.string(), consumers: z.array(Consumer) }),
  },
  'secrets:set': {
    req: SecretTarget.extend({ value: z.string().max(MAX_VALUE_CHARS), confirmed: z.boolean() }).strict(),
    // `warnings`: what the person should know, e.g. that an age key was generated into the keychain.
    res: z.object({ consumers: z.number().int().nonnegative(), warnings: z.array(z.string()) }),
  },
  'secrets:delete': {
    req: SecretTarget.extend({ confirmed: z.boolean() }).strict(),
    res: z.object({ deleted: z.boolean() }),
  },
  'secrets:reveal': {
    req: SecretTarget.strict(),
    res: z.object({ value: z.string() }),
  },
  'secrets:validate': {
    req: z.object({ stack: name.optional(), component: name.optional(), operationId: OperationId.optional() }).strict(),
    res: z.object({ ok: z.boolean(), checked: z.number().int().nonnegative(), problems: z.array(ValidationProblem) }),
  },
  'secrets:execLine': {
    req: z.object({ stack: name, component: name }).strict(),
    res: z.object({ command: z.string() }),
  },
  'op:cancel': {
    req: z.object({ operationId: OperationId }).strict(),
    res: z.object({ cancelled: z.boolean() }),
  },
  'clipboard:write': {
    // `sensitive` (default true): marked so clipboard managers skip it, cleared after `clipboardClearSeconds`
    // unless something else was copied since. Pass false for text that is not secret (a command line).
    req: z.object({ text: z.string().max(10_000), sensitive: z.boolean().optional() }).strict(),
    res: z.object({ clearsAfterSeconds: z.number().int().positive().optional(), concealed: z.boolean() }),
  },
} as const;
