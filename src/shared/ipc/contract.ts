// The IPC contract: every channel the renderer may invoke, with zod schemas for its request and response.
// Main validates requests against it at the boundary; the preload allows only these channel names;
// the renderer's client derives its types from it. No Node and no DOM here.
import { z } from 'zod';
import { CHANNEL_NAMES, type ChannelName } from './channels';
import { keysContract } from './keys-contract';
import { declareContract } from './declare-contract';
import { explainContract } from './explain-contract';
import { healthContract } from './health-contract';
import { secretsContract } from './secrets-contract';
import { rotateContract } from './rotate-contract';
import { storesContract } from './stores-contract';
import { settingsContract } from './settings-contract';

const absolutePath = z
  .string()
  .min(1, 'a path is required')
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'must be an absolute path');

export const WorkspaceInfo = z.object({
  path: z.string(),
  name: z.string(),
  configFile: z.string(),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfo>;

export const RecentWorkspace = z.object({ path: z.string(), name: z.string(), openedAt: z.string() });
export type RecentWorkspace = z.infer<typeof RecentWorkspace>;

const empty = z.object({}).strict();

/**
 * Whether the open workspace may run its code (`!exec`): trusted, declined ("Not now": remembered, the app
 * does not ask again), or not asked yet (the app shows its trust prompt).
 */
export const TrustDecision = z.enum(['trusted', 'declined', 'unasked']);
export type TrustDecision = z.infer<typeof TrustDecision>;

export const StackListing = z.object({
  name: z.string(),
  manifest: z.string(),
  components: z.array(z.object({ name: z.string(), type: z.string(), abstract: z.boolean() })),
});
export type StackListing = z.infer<typeof StackListing>;

export const ConfigWarning = z.object({
  message: z.string(),
  file: z.string().optional(),
  line: z.number().optional(),
});

const name = z.string().min(1).max(512);

export const contract = {
  'app:info': {
    req: empty,
    res: z.object({ name: z.string(), version: z.string(), platform: z.string(), canPickFolder: z.boolean() }),
  },
  'workspace:pickFolder': {
    req: z.object({ title: z.string().max(200).optional() }).strict(),
    res: z.object({ path: z.string().nullable() }),
  },
  'workspace:open': {
    req: z.object({ path: absolutePath }).strict(),
    res: WorkspaceInfo,
  },
  'workspace:recent': {
    req: empty,
    res: z.object({ items: z.array(RecentWorkspace) }),
  },
  'workspace:forget': {
    req: z.object({ path: z.string().min(1).max(4096) }).strict(),
    res: z.object({ items: z.array(RecentWorkspace) }),
  },
  'workspace:openDemo': {
    req: z.object({ target: absolutePath }).strict(),
    res: WorkspaceInfo,
  },
  'trust:get': {
    req: empty,
    // The open workspace's folder and its trust decision; path null when no workspace is open.
    res: z.object({ path: z.string().nullable(), decision: TrustDecision }),
  },
  'trust:set': {
    // Trust (or decline) the open workspace: remembered in the app's data folder; it reloads on next use.
    req: z.object({ trusted: z.boolean() }).strict(),
    res: z.object({ path: z.string(), decision: TrustDecision }),
  },
  'stacks:list': {
    req: z.object({ reload: z.boolean().optional() }).strict(),
    res: z.object({ stacks: z.array(StackListing), warnings: z.array(ConfigWarning) }),
  },
  'stacks:component': {
    // `readStores`: evaluate `!store`/`!store.get` on plain stores (network calls), only when the person asks.
    req: z.object({ stack: name, component: name, readStores: z.boolean().optional() }).strict(),
    // The masked `describe component` document: every secret is <MASKED>. Without `readStores` no backend is
    // called and `!store` references are shown as written; with it they hold the stores' values, as
    // `atmos-secret describe component` shows them. `notes`: references left as written and why, in words.
    res: z.object({ described: z.record(z.string(), z.unknown()), notes: z.array(z.string()) }),
  },
  ...secretsContract,
  ...rotateContract,
  ...healthContract,
  ...storesContract,
  ...settingsContract,
  ...keysContract,
  ...declareContract,
  ...explainContract,
} as const satisfies Record<ChannelName, { req: z.ZodType; res: z.ZodType }>;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Req<C extends Channel> = z.input<Contract[C]['req']>;
export type Res<C extends Channel> = z.output<Contract[C]['res']>;

export const CHANNELS: readonly Channel[] = CHANNEL_NAMES;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** Progress of a long operation, pushed from main to the renderer. */
export const ProgressEvent = z.object({
  operationId: z.string(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  message: z.string().optional(),
});
export type ProgressEvent = z.infer<typeof ProgressEvent>;
