// The secrets part of the IPC contract: list, search, consumers, set/rotate, delete, reveal, validate, init
// ("Set what is missing"), exec line, and export/import of a .env or JSON file. A value crosses IPC only in
// `secrets:set` and `secrets:init` (renderer -> main, typed by the person) and `secrets:reveal` (main ->
// renderer, on the person's explicit request); every other response carries names and statuses only. Export and
// import read and write the file in main: its values never pass through the renderer.
import { z } from 'zod';
import { VALIDATION_KINDS } from '../validation-kinds';

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
  /** Where the value lives, by the backend's own name (never the value): a store's path, or a SOPS file and key. */
  location: z.string().optional(),
  /** For a 1Password secret, its resolved `op://vault/item/field` reference. */
  reference: z.string().optional(),
});
export type SecretRow = z.infer<typeof SecretRow>;

export const Consumer = z.object({ stack: z.string(), component: z.string() });
export type Consumer = z.infer<typeof Consumer>;

/** Which secret: stack and global secrets need no component. */
export const SecretTarget = z.object({ stack: name, component: name.optional(), secret: name });

/** The problem kinds as the CLI's `validate` names them (src/shared/validation-kinds.ts). */
export const ValidationKind = z.enum(VALIDATION_KINDS);

export const ValidationProblem = z.object({
  kind: ValidationKind,
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

/** One hit of the global search: a declared secret somewhere in the workspace (no status: no backend call). */
export const SearchHit = SecretRow.omit({ status: true });
export type SearchHit = z.infer<typeof SearchHit>;
/** The most hits one search returns; the count of all matches comes beside them. */
export const MAX_SEARCH_HITS = 500;
/** Hits a search returns when the caller does not say (the app's search box, `atmos-secret search` without --limit). */
export const DEFAULT_SEARCH_HITS = 200;

/** A secret `init` would set: declared, with no value in its backend. Component `*` for a stack-level one. */
export const InitCandidate = z.object({
  stack: z.string(),
  component: z.string(),
  secret: z.string(),
  scope: SecretScope,
  provider: z.string(),
  required: z.boolean(),
  description: z.string().optional(),
});
export type InitCandidate = z.infer<typeof InitCandidate>;
/** How many secrets one "Set what is missing" run may take (a whole estate's missing ones, with room). */
export const MAX_INIT_ITEMS = 20_000;
/** The typed values of one run together (each is bounded too): a few times the largest value any backend takes. */
const MAX_INIT_VALUE_CHARS = 4 * MAX_VALUE_CHARS;

/** One secret to set: a value the person typed, or `generate` (made in main, never seen by the renderer). */
const InitItem = z
  .object({
    stack: name,
    component: name,
    secret: name,
    value: z.string().min(1).max(MAX_VALUE_CHARS).optional(),
    generate: z.literal(true).optional(),
  })
  .strict()
  .refine((i) => (i.value === undefined) !== (i.generate === undefined), 'give either a value or generate, not both');

export const InitOutcome = InitCandidate.pick({ stack: true, component: true, secret: true }).extend({
  action: z.enum(['set', 'left-missing', 'kept', 'error']),
  detail: z.string().optional(),
});
export type InitOutcome = z.infer<typeof InitOutcome>;

export const SecretFileFormat = z.enum(['env', 'json']);
export type SecretFileFormat = z.infer<typeof SecretFileFormat>;

/** Which secrets a file export/import covers: a component's, or (no component) the stack's shared ones. */
const FileScope = z.object({ stack: name, component: name.optional() });

/** A shared secret an import would change, and whom it reaches. */
export const SharedChange = z.object({
  secret: z.string(),
  scope: SecretScope,
  consumers: z.number().int().nonnegative(),
  stacks: z.number().int().nonnegative(),
});

/** The plan of an import, shown before anything is written: key names only, never a value. */
export const ImportPlan = z.object({
  /** Opaque: names the picked file in main for `secrets:importApply`; the renderer never holds its path. */
  id: z.string(),
  /** The file's name, for people. */
  file: z.string(),
  format: SecretFileFormat,
  keys: z.array(z.string()),
  /** Keys the selection does not declare: the whole file is refused while there is one. */
  undeclared: z.array(z.string()),
  shared: z.array(SharedChange),
});
export type ImportPlan = z.infer<typeof ImportPlan>;

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
    res: z.object({
      deleted: z.boolean(),
      // A deletion the backend only scheduled (Secrets Manager): the window, and its end as the service said it.
      recovery: z
        .object({ days: z.number().int().nonnegative(), recoverableUntil: z.string().max(64).nullable() })
        .strict()
        .optional(),
    }),
  },
  'secrets:reveal': {
    req: SecretTarget.strict(),
    res: z.object({ value: z.string() }),
  },
  'secrets:validate': {
    req: z.object({ stack: name.optional(), component: name.optional(), operationId: OperationId.optional() }).strict(),
    res: z.object({ ok: z.boolean(), checked: z.number().int().nonnegative(), problems: z.array(ValidationProblem) }),
  },
  'secrets:search': {
    // Across every stack, over the model (declarations, never a backend): all terms must match.
    req: z
      .object({
        query: z.string().min(1).max(200),
        limit: z.number().int().min(1).max(MAX_SEARCH_HITS).optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    res: z.object({ hits: z.array(SearchHit), total: z.number().int().nonnegative() }),
  },
  'secrets:initPlan': {
    // The declared secrets of the scope that have no value (all stacks without `stack`).
    req: z.object({ stack: name.optional(), component: name.optional(), operationId: OperationId.optional() }).strict(),
    res: z.object({ missing: z.array(InitCandidate) }),
  },
  'secrets:init': {
    req: z
      .object({
        stack: name.optional(),
        component: name.optional(),
        items: z
          .array(InitItem)
          .min(1)
          .max(MAX_INIT_ITEMS)
          .refine(
            (items) => items.reduce((n, i) => n + (i.value?.length ?? 0), 0) <= MAX_INIT_VALUE_CHARS,
            'the typed values are too large together',
          ),
        operationId: OperationId.optional(),
      })
      .strict(),
    res: z.object({ outcomes: z.array(InitOutcome), warnings: z.array(z.string()) }),
  },
  'secrets:export': {
    // Main asks where to save (the native dialog), then writes the file itself with mode 0600.
    req: FileScope.extend({ format: SecretFileFormat, operationId: OperationId.optional() }).strict(),
    // `file` null: the person closed the dialog; nothing was read or written.
    res: z.object({ file: z.string().nullable(), written: z.array(z.string()), missing: z.array(z.string()) }),
  },
  'secrets:importPlan': {
    // Main asks which file (the native dialog), reads and parses it, and answers its plan (`plan` null: closed).
    req: FileScope.strict(),
    res: z.object({ plan: ImportPlan.nullable() }),
  },
  'secrets:importApply': {
    // Reads the planned file again and writes its values; `confirmed` answers the shared secrets' consumers.
    req: z
      .object({ id: z.string().min(1).max(64), confirmed: z.boolean(), operationId: OperationId.optional() })
      .strict(),
    res: z.object({ set: z.array(z.string()), warnings: z.array(z.string()) }),
  },
  'workspace:revealFile': {
    // A file of the open workspace (relative to it, as problems name them), shown in the OS file manager.
    req: z.object({ file: z.string().min(1).max(4096) }).strict(),
    // `shown` false with a message where there is no file manager to ask (the browser harness).
    res: z.object({ shown: z.boolean(), message: z.string().optional() }),
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
    // For a sensitive copy: when it will be cleared, and whether the clipboard-manager marks were written.
    res: z.object({ clearsAfterSeconds: z.number().int().positive().optional(), concealed: z.boolean().optional() }),
  },
} as const;
