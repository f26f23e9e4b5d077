// The declare part of the IPC contract: add, edit and remove a declaration by editing the manifest in place,
// and the `!store` import wizard (scan -> proposals -> plan -> run). The renderer sends what the person chose;
// main reads the files, makes the edit and the diff, and saves only if the file still hashes as the plan it
// showed (a file changed on disk comes back as `{ saved: false, reason: 'changed-on-disk' }`, not an error, so
// the screen can offer Reload). No value crosses here.
import { z } from 'zod';
import { OperationId, SecretScope } from './secrets-contract';

const name = z.string().min(1).max(512);
/** A secret name: it becomes an environment variable. */
const SecretName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,255}$/, 'letters, digits and _, not starting with a digit');
const Hash = z.string().min(1).max(128);
/** A manifest path relative to the workspace folder (main resolves it and keeps it inside). */
const RelativeFile = z.string().min(1).max(4096);

/** What the form sets; an edit sends every field ('' and false remove one). */
export const DeclareFields = z.strictObject({
  description: z.string().max(2000).optional(),
  /** '' leaves the store (when the declaration moves to a SOPS provider). */
  store: z.string().max(512).optional(),
  /** '' leaves the provider (when the declaration moves to a store). */
  sops: z.string().max(512).optional(),
  scope: SecretScope.optional(),
  required: z.boolean().optional(),
  reference: z.string().max(2000).optional(),
});
export type DeclareFields = z.infer<typeof DeclareFields>;

const DeclareTarget = z.strictObject({
  stack: name,
  component: name.optional(),
  secret: SecretName,
});

export const DeclareRequest = DeclareTarget.extend({
  fields: DeclareFields,
  /** For a new declaration: the manifest to write, relative to the workspace (default: the stack's own). */
  file: RelativeFile.optional(),
});
export type DeclareRequest = z.infer<typeof DeclareRequest>;

export const ExistingDeclaration = z.object({
  description: z.string().optional(),
  store: z.string().optional(),
  sops: z.string().optional(),
  scope: SecretScope,
  position: z.enum(['stack', 'instance']),
  required: z.boolean(),
  reference: z.string().optional(),
  file: z.string(),
  line: z.number().optional(),
});
export type ExistingDeclaration = z.infer<typeof ExistingDeclaration>;

export const DeclarePlanView = z.object({
  action: z.enum(['add', 'edit']),
  /** Relative to the workspace folder. */
  file: z.string(),
  hash: z.string(),
  diff: z.string(),
  unchanged: z.boolean(),
  scope: SecretScope,
  position: z.enum(['stack', 'instance']),
  provider: z.string(),
  /** Where the value lives for this stack and component: the backend's name, a 1Password secret's `op://` path. */
  where: z.string(),
  /** What to know before saving (a picked file the stack does not import). */
  notes: z.array(z.string()),
});
export type DeclarePlanView = z.infer<typeof DeclarePlanView>;

const SaveResult = z.discriminatedUnion('saved', [
  z.object({ saved: z.literal(true), file: z.string(), valueDeleted: z.boolean().optional() }),
  z.object({ saved: z.literal(false), reason: z.literal('changed-on-disk'), file: z.string() }),
]);
export type DeclareSaveResult = z.infer<typeof SaveResult>;

export const RewriteProposalView = z.object({
  id: z.string(),
  file: z.string(),
  line: z.number(),
  at: z.string(),
  expression: z.string(),
  uses: z.array(z.object({ stack: z.string(), component: z.string() })),
  name: z.string(),
  scope: SecretScope,
  store: z.string(),
});
export type RewriteProposalView = z.infer<typeof RewriteProposalView>;

export const RewriteChoiceInput = z.strictObject({
  id: z.string().min(1).max(4200),
  name: SecretName.optional(),
  scope: SecretScope.optional(),
  store: name.optional(),
  skip: z.boolean().optional(),
});
export type RewriteChoiceInput = z.infer<typeof RewriteChoiceInput>;

const StepState = z.enum(['planned', 'done', 'exists', 'skipped', 'failed']);
export const RewriteItemView = z.object({
  id: z.string(),
  expression: z.string(),
  name: z.string(),
  scope: SecretScope,
  store: z.string(),
  copies: z.array(
    z.object({
      stacks: z.array(z.string()),
      from: z.string(),
      to: z.string(),
      state: z.enum(['copy', 'copied', 'exists', 'source-missing', 'failed']),
      reason: z.string().optional(),
    }),
  ),
  declared: StepState,
  rewritten: StepState,
  outcome: z.enum(['planned', 'done', 'skipped', 'failed']),
  reason: z.string().optional(),
});
export type RewriteItemView = z.infer<typeof RewriteItemView>;

export const RewritePlanView = z.object({
  items: z.array(RewriteItemView),
  files: z.array(z.object({ file: z.string(), hash: z.string(), diff: z.string() })),
  applied: z.boolean(),
});
export type RewritePlanView = z.infer<typeof RewritePlanView>;

const Choices = z.array(RewriteChoiceInput).max(10_000);

export const declareContract = {
  'declare:options': {
    // What the form offers: the secret stores and SOPS providers it may pick, the declaration when it exists.
    req: z.strictObject({ stack: name, component: name.optional(), secret: SecretName.optional() }),
    res: z.object({
      stores: z.array(z.object({ name: z.string(), kind: z.string() })),
      providers: z.array(z.object({ name: z.string(), kind: z.string() })),
      existing: ExistingDeclaration.nullable(),
      /** The stack's own manifest, relative to the workspace: where a new declaration goes by default. */
      stackFile: z.string(),
    }),
  },
  'declare:plan': {
    // The diff and where the value lives; nothing is written. Bad input is an error naming the fix.
    req: DeclareRequest,
    res: DeclarePlanView,
  },
  'declare:save': {
    // Plans again and saves only if the file still hashes as the plan the person saw (`hash`).
    req: DeclareRequest.extend({ hash: Hash }),
    res: SaveResult,
  },
  'declare:removePlan': {
    req: DeclareTarget,
    res: z.object({
      file: z.string(),
      hash: z.string(),
      diff: z.string(),
      scope: SecretScope,
      provider: z.string(),
      /** Null when the backend could not say. */
      valueStored: z.boolean().nullable(),
    }),
  },
  'declare:remove': {
    // `deleteValue` deletes the stored value first; `confirmed` answers the consumers confirmation of a shared one.
    req: DeclareTarget.extend({ hash: Hash, deleteValue: z.boolean(), confirmed: z.boolean() }),
    res: SaveResult,
  },
  'storeImport:scan': {
    req: z.strictObject({ operationId: OperationId.optional() }),
    res: z.object({
      proposals: z.array(RewriteProposalView),
      /** The secret stores a proposal may move to. */
      stores: z.array(z.string()),
    }),
  },
  'storeImport:plan': {
    req: z.strictObject({ choices: Choices, operationId: OperationId.optional() }),
    res: RewritePlanView,
  },
  'storeImport:run': {
    // `planned`: the files and hashes of the plan the person saw; a file changed since fails its items.
    req: z.strictObject({
      choices: Choices,
      planned: z.array(z.strictObject({ file: RelativeFile, hash: Hash })).max(10_000),
      operationId: OperationId.optional(),
    }),
    res: RewritePlanView,
  },
} as const;
