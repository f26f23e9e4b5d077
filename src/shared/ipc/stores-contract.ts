// The stores part of the IPC contract: the configured stores (credentials masked), a connection test, a token
// typed into the app (renderer -> main only: it goes to the OS keychain and is never sent back), and a secret's
// version history and restore. No value or token ever travels main -> renderer here.
import { z } from 'zod';
import { OperationId, SecretScope, SecretTarget } from './secrets-contract';

const name = z.string().min(1).max(512);

/** Long enough for any Vault or 1Password Connect token; a runaway paste is refused at the boundary. */
export const MAX_TOKEN_CHARS = 16 * 1024;

export const StoreSummary = z.object({
  name: z.string(),
  kind: z.string(),
  secret: z.boolean(),
  identity: z.string().optional(),
  /** Option values as text, anything credential-looking already masked in main. */
  options: z.record(z.string(), z.string()),
  /** This build has the kind's adapter. */
  available: z.boolean(),
  /** The kind authenticates with a token the app can keep in the keychain. */
  takesToken: z.boolean(),
  /** A token for it is saved in the keychain (the name is checked, never the value). */
  tokenSaved: z.boolean(),
  tokenAccount: z.string().optional(),
  /** Why the store's record does not load. */
  problem: z.string().optional(),
  file: z.string().optional(),
  line: z.number().optional(),
});
export type StoreSummary = z.infer<typeof StoreSummary>;

export const StoreTestOutcome = z.object({
  store: z.string(),
  kind: z.string(),
  ok: z.boolean(),
  /** The backend name read (it cannot exist). */
  probe: z.string().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  hint: z.string().optional(),
});
export type StoreTestOutcome = z.infer<typeof StoreTestOutcome>;

export const VersionEntry = z.object({
  version: z.string(),
  createdAt: z.string().optional(),
  current: z.boolean(),
  stages: z.array(z.string()).optional(),
  state: z.enum(['deleted', 'destroyed']).optional(),
});
export type VersionEntry = z.infer<typeof VersionEntry>;

export const SecretHistory = z.object({
  secret: z.string(),
  scope: SecretScope,
  provider: z.string(),
  where: z.string(),
  supported: z.boolean(),
  canRestore: z.boolean(),
  versions: z.array(VersionEntry),
  note: z.string().optional(),
});
export type SecretHistory = z.infer<typeof SecretHistory>;

/** One line of text: a pasted token's trailing newline is allowed, other control characters are not. */
const Token = z
  .string()
  .min(1, 'a token is required')
  .max(MAX_TOKEN_CHARS, `a token is at most ${MAX_TOKEN_CHARS} characters`)
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  .refine((t) => !/[\u0000-\u001f\u007f]/.test(t.replace(/\r?\n$/, '')), 'a token is one line of text')
  .refine((t) => t.trim() !== '', 'a token is required');

export const storesContract = {
  'stores:list': {
    req: z.object({}).strict(),
    res: z.object({ stores: z.array(StoreSummary) }),
  },
  'stores:test': {
    req: z.object({ name, operationId: OperationId.optional() }).strict(),
    res: StoreTestOutcome,
  },
  'stores:setToken': {
    req: z.object({ name, token: Token }).strict(),
    // Where it went; never the token.
    res: z.object({ service: z.string(), account: z.string() }),
  },
  'secrets:history': {
    req: SecretTarget.strict(),
    res: SecretHistory,
  },
  'secrets:restoreVersion': {
    req: SecretTarget.extend({ version: z.string().min(1).max(256), confirmed: z.boolean() }).strict(),
    res: z.object({ restored: z.string(), consumers: z.number().int().nonnegative() }),
  },
} as const;
