// The explain and diff part of the IPC contract. `explain:secret`: where one secret comes from and lives, from
// config (a backend is asked only with `verify`, once, for the status). `diff:stacks`: two stacks (or one
// component in both) compared; values are compared in main by a keyed hash whose key never leaves main, so only
// equal/different crosses IPC, never a value, a hash or a MAC.
import { z } from 'zod';
import { OperationId, SecretScope, SecretTarget } from './secrets-contract';

const name = z.string().min(1).max(512);

export const ExplainSource = z.object({
  file: z.string(),
  line: z.number().int().positive().nullable(),
  keyPath: z.string(),
  manifest: z.string(),
  role: z.enum(['stack', 'base', 'component', 'overrides']),
  base: z.string().nullable(),
  position: z.enum(['stack', 'instance']),
  fields: z.array(z.string()).readonly(),
  wins: z.array(z.string()).readonly(),
  winner: z.boolean(),
});
export type ExplainSource = z.infer<typeof ExplainSource>;

export const ExplainBackend = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('store'),
    store: z.string(),
    storeKind: z.string(),
    scopePath: z.string(),
    nativeName: z.string(),
  }),
  z.object({
    kind: z.literal('sops'),
    provider: z.string(),
    providerKind: z.string(),
    file: z.string(),
    key: z.string(),
    exists: z.boolean(),
  }),
]);

export const ExplainRecipients = z.union([
  z.object({
    source: z.enum(['file', 'creation-rule']),
    keyGroups: z.array(z.array(z.string()).readonly()).readonly(),
    threshold: z.number().int().positive(),
    unsupported: z.array(z.string()).readonly(),
    error: z.null(),
  }),
  z.object({ error: z.string() }),
]);

export const Explanation = z.object({
  secret: z.string(),
  stack: z.string(),
  component: z.string(),
  componentGiven: z.boolean(),
  declaration: z.object({
    description: z.string().nullable(),
    required: z.boolean(),
    provider: z.string(),
    reference: z.string().nullable(),
    sources: z.array(ExplainSource).readonly(),
  }),
  scope: z.object({ value: SecretScope, rule: z.string() }),
  backend: ExplainBackend,
  identity: z.object({
    name: z.string().nullable(),
    source: z.enum(['store', 'provider', 'flag', 'component', 'default']),
    rule: z.string(),
    used: z.boolean(),
    unused: z.string().nullable(),
  }),
  recipients: ExplainRecipients.nullable(),
  consumers: z.object({
    count: z.number().int().nonnegative(),
    stacks: z.array(z.string()).readonly(),
    components: z.array(z.object({ stack: z.string(), component: z.string() })).readonly(),
  }),
  status: z
    .object({ value: z.enum(['initialized', 'missing', 'unknown', 'error']), detail: z.string().nullable() })
    .nullable(),
});
export type Explanation = z.infer<typeof Explanation>;

export const DiffSide = z.object({
  scope: SecretScope,
  provider: z.string(),
  where: z.string(),
  status: z.enum(['initialized', 'missing', 'unknown']),
});
export type DiffSide = z.infer<typeof DiffSide>;

export const DiffRow = z.object({
  component: z.string(),
  secret: z.string(),
  a: DiffSide.nullable(),
  b: DiffSide.nullable(),
  declared: z.enum(['both', 'a', 'b']),
  set: z.enum(['both', 'a', 'b', 'neither', 'unknown']),
  value: z.enum(['equal', 'different', 'same-place', 'not-comparable', 'unknown']),
  storeDiffers: z.boolean(),
  scopeDiffers: z.boolean(),
  differs: z.boolean(),
});
export type DiffRow = z.infer<typeof DiffRow>;

export const DiffReport = z.object({
  a: z.string(),
  b: z.string(),
  component: z.string().nullable(),
  rows: z.array(DiffRow).readonly(),
  summary: z.object({
    secrets: z.number().int().nonnegative(),
    differing: z.number().int().nonnegative(),
    onlyInA: z.number().int().nonnegative(),
    onlyInB: z.number().int().nonnegative(),
    differentValues: z.number().int().nonnegative(),
  }),
  problems: z.array(z.object({ provider: z.string(), message: z.string() })).readonly(),
});
export type DiffReport = z.infer<typeof DiffReport>;

export const explainContract = {
  'explain:secret': {
    req: SecretTarget.extend({ verify: z.boolean().optional() }).strict(),
    res: Explanation,
  },
  'diff:stacks': {
    req: z
      .object({
        a: name,
        b: name,
        component: name.optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    res: DiffReport,
  },
} as const;
