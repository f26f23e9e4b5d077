// The keys part of the IPC contract: the age keys and backend tokens the app holds in the OS keychain, SOPS
// key generation, import of a keys.txt, removal after naming what a key alone opens, and SOPS updatekeys /
// data-key rotation as plan-then-apply. Private keys and tokens travel renderer -> main only (an import
// pasted into the app); main -> renderer carries recipients, entry names and file paths, never a key or a value.
import { z } from 'zod';
import { OperationId } from './secrets-contract';

const empty = z.object({}).strict();
const name = z.string().min(1).max(512);

/** A keys.txt is a few hundred bytes a key; 64 KiB holds far more than anyone keeps (main checks each line). */
export const MAX_KEY_IMPORT_CHARS = 64 * 1024;

export const AgeKeyFileUse = z.object({
  file: z.string(),
  provider: z.string(),
  /** No other key the app holds opens it: removing the key loses it on this machine. */
  lostHere: z.boolean(),
  /** No other master key of the file at all. */
  lostForAll: z.boolean(),
});
export type AgeKeyFileUse = z.infer<typeof AgeKeyFileUse>;

export const HeldAgeKey = z.object({
  recipient: z.string(),
  postQuantum: z.boolean(),
  created: z.string().optional(),
  service: z.string(),
  account: z.string(),
  providers: z.array(z.string()),
  files: z.array(AgeKeyFileUse),
});
export type HeldAgeKey = z.infer<typeof HeldAgeKey>;

export const HeldToken = z.object({ account: z.string(), store: z.string() });
export type HeldToken = z.infer<typeof HeldToken>;

export const AgeKeyRemovalPlan = z.object({
  keys: z.array(z.object({ recipient: z.string(), service: z.string(), account: z.string() })),
  files: z.array(AgeKeyFileUse),
  recipientsFiles: z.array(z.string()),
  checked: z.boolean(),
});
export type AgeKeyRemovalPlan = z.infer<typeof AgeKeyRemovalPlan>;

export const RekeyAction = z.enum(['updatekeys', 'rotate']);
export type RekeyAction = z.infer<typeof RekeyAction>;

export const RekeyFilePlan = z.object({
  file: z.string(),
  changes: z.boolean(),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  valuesReencrypted: z.number().int().nonnegative(),
});
export type RekeyFilePlan = z.infer<typeof RekeyFilePlan>;

export const keysContract = {
  'sops:providers': {
    req: empty,
    res: z.object({ providers: z.array(z.object({ name: z.string(), kind: z.string() })) }),
  },
  'sops:keygen': {
    req: z.object({ provider: name, force: z.boolean().optional() }).strict(),
    // The public recipient and where the private key went; never the key.
    res: z.object({
      recipient: z.string(),
      storedIn: z.string(),
      recipientsFile: z.string(),
      ruleCreated: z.boolean(),
    }),
  },
  'keys:list': {
    // Names of the age-key and token entries of the app's keychain service; secret values' entries are not listed.
    req: empty,
    res: z.object({ service: z.string(), names: z.array(z.string()) }),
  },
  'keys:overview': {
    req: empty,
    // Age keys (recipients and what each opens) and backend tokens (names); `otherEntries`: how many entries of
    // the service hold secret values (managed on the Secrets page, never listed here).
    res: z.object({
      service: z.string(),
      workspaceOpen: z.boolean(),
      canPickFile: z.boolean(),
      ageKeys: z.array(HeldAgeKey),
      tokens: z.array(HeldToken),
      otherEntries: z.number().int().nonnegative(),
    }),
  },
  'keys:delete': {
    // A backend token, or a whole age-key entry. `confirmed`: the person saw the files only this entry opens
    // (the `unreadable` of a refused call) and still wants it gone. Entries holding secret values are refused.
    req: z.object({ name: z.string().min(1).max(1024), confirmed: z.boolean().optional() }).strict(),
    res: z.object({ deleted: z.boolean(), unreadable: z.array(z.string()).optional() }),
  },
  'keys:import': {
    // From text pasted into the app (renderer -> main only), or from a keys.txt picked in the native dialog.
    req: z
      .object({
        provider: name.optional(),
        source: z.discriminatedUnion('from', [
          z.object({ from: z.literal('text'), text: z.string().min(1).max(MAX_KEY_IMPORT_CHARS) }).strict(),
          z.object({ from: z.literal('file') }).strict(),
        ]),
      })
      .strict(),
    // `cancelled`: the person closed the file dialog; nothing was imported.
    res: z.object({
      cancelled: z.boolean(),
      provider: z.string().optional(),
      added: z.array(z.string()),
      alreadyHeld: z.array(z.string()),
      recorded: z.array(z.string()),
      storedIn: z.string().optional(),
      recipientsFile: z.string().optional(),
    }),
  },
  'keys:removePlan': {
    // What removing a held key (by recipient, keychain account or provider) would no longer decrypt.
    req: z.object({ name: z.string().min(1).max(1024) }).strict(),
    res: AgeKeyRemovalPlan,
  },
  'keys:remove': {
    // Refused (removed false) while a file would be lost here and `confirmed` is not set.
    req: z.object({ name: z.string().min(1).max(1024), confirmed: z.boolean().optional() }).strict(),
    res: z.object({ removed: z.boolean(), plan: AgeKeyRemovalPlan, entriesDeleted: z.array(z.string()) }),
  },
  'sops:rekeyPlan': {
    // The plan is kept in main under `planId`; apply runs exactly that plan (each file refuses if it changed).
    req: z.object({ action: RekeyAction, provider: name }).strict(),
    res: z.object({
      planId: z.string(),
      action: RekeyAction,
      provider: z.string(),
      files: z.array(RekeyFilePlan),
      changes: z.boolean(),
      lines: z.array(z.string()),
    }),
  },
  'sops:rekeyApply': {
    req: z.object({ planId: z.string().min(8).max(64), operationId: OperationId.optional() }).strict(),
    res: z.object({ written: z.array(z.string()) }),
  },
} as const;
