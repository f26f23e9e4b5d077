// The keys channels: the age keys and backend tokens the app holds in the OS keychain (never an entry that
// holds a secret value: those are managed on the Secrets page), SOPS keygen, keys.txt import (pasted, or
// picked in the native file dialog and read here), removal after naming what a key alone opens, and SOPS
// updatekeys / data-key rotation as a plan kept here and applied on confirmation.
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { AppError } from '../../shared/errors';
import type { Workspace } from '../config';
import {
  applySopsRekey,
  describeRekeyPlan,
  importAgeKeysForProvider,
  isAgeKeyAccount,
  keygenForProvider,
  listHeldAgeKeys,
  planAgeKeyRemoval,
  planSopsRekey,
  removeHeldAgeKey,
  sopsProviders,
  type SopsOpsDeps,
  type SopsRekeyPlanSet,
} from '../secrets';
import { MAX_KEY_TEXT_BYTES } from '../sops';
import { storeTokenAccount } from '../stores/store-token';
import type { AppServices } from '../services';
import type { Handlers } from './router';

type KeysChannels =
  | 'sops:providers'
  | 'sops:keygen'
  | 'keys:list'
  | 'keys:overview'
  | 'keys:delete'
  | 'keys:import'
  | 'keys:removePlan'
  | 'keys:remove'
  | 'sops:rekeyPlan'
  | 'sops:rekeyApply';

const TOKEN_PREFIX = storeTokenAccount('');

/** What an entry of the app's keychain service is, by its name: the Keys page shows the first two kinds only. */
function entryKind(account: string): 'age-key' | 'token' | 'value' {
  if (account.startsWith(TOKEN_PREFIX)) return 'token';
  if (isAgeKeyAccount(account)) return 'age-key';
  return 'value';
}

/** Plans the renderer may still apply; a few at most (one per open confirmation), the oldest dropped first. */
const MAX_KEPT_PLANS = 8;

export function createKeysHandlers(s: AppServices): Pick<Handlers, KeysChannels> {
  const deps: SopsOpsDeps = { keychain: s.keychainFor };
  const plans = new Map<string, SopsRekeyPlanSet>();
  const workspace = async (): Promise<Workspace | undefined> => (s.session.current ? s.session.workspace() : undefined);
  const requireWorkspace = async (): Promise<Workspace> => {
    const ws = await workspace();
    if (!ws) throw new AppError('USAGE', 'No workspace is open.', { hint: 'Open a workspace first.' });
    return ws;
  };

  return {
    'sops:providers': async () => {
      const ws = await requireWorkspace();
      return { providers: sopsProviders(ws).map((p) => ({ name: p.name, kind: p.kind })) };
    },
    'sops:keygen': async ({ provider, force }) => {
      const r = await keygenForProvider(await requireWorkspace(), deps, { provider, force });
      return {
        recipient: r.recipient,
        storedIn: r.storedIn,
        recipientsFile: r.recipientsFile,
        ruleCreated: r.ruleCreated,
      };
    },
    'keys:list': async () => ({
      service: s.keychain.service,
      names: (await s.keychain.list()).filter((n) => entryKind(n) !== 'value'),
    }),
    'keys:overview': async (_req, ctx) => {
      const ws = await workspace();
      const names = await s.keychain.list();
      return {
        service: s.keychain.service,
        workspaceOpen: ws !== undefined,
        canPickFile: s.files !== null,
        ageKeys: (await listHeldAgeKeys(ws, deps, { signal: ctx.signal })).map((k) => ({
          recipient: k.recipient,
          postQuantum: k.postQuantum,
          ...(k.created ? { created: k.created } : {}),
          service: k.service,
          account: k.account,
          providers: [...k.providers],
          files: k.files.map((f) => ({ ...f })),
        })),
        tokens: names
          .filter((n) => entryKind(n) === 'token')
          .map((account) => ({ account, store: account.slice(TOKEN_PREFIX.length) })),
        otherEntries: names.filter((n) => entryKind(n) === 'value').length,
      };
    },
    'keys:delete': async ({ name, confirmed }, ctx) => {
      const kind = entryKind(name);
      switch (kind) {
        case 'token':
          return { deleted: await s.keychain.delete(name) };
        case 'age-key': {
          if (!(await s.keychain.list()).includes(name)) return { deleted: false };
          // An entry with no valid key in it is deleted as it is; else through the removal that names lost files.
          const ws = await workspace();
          const held = await listHeldAgeKeys(ws, deps, { signal: ctx.signal });
          if (!held.some((k) => k.account === name && k.service === s.keychain.service))
            return { deleted: await s.keychain.delete(name) };
          const r = await removeHeldAgeKey(ws, deps, { name, confirmed }, { signal: ctx.signal });
          const unreadable = r.plan.files.filter((f) => f.lostHere).map((f) => f.file);
          return { deleted: r.removed, unreadable };
        }
        case 'value':
          throw new AppError('USAGE', 'That entry holds a secret value, not a key or a token.', {
            hint: 'Delete values on the Secrets page, which shows every consumer first.',
          });
        default: {
          const never: never = kind;
          throw new AppError('INTERNAL', `unexpected entry kind ${String(never)}`);
        }
      }
    },
    'keys:import': async ({ provider, source }) => {
      const ws = await requireWorkspace();
      let text: string;
      let from: string;
      switch (source.from) {
        case 'text':
          text = source.text;
          from = 'the pasted text';
          break;
        case 'file': {
          if (!s.files)
            throw new AppError('USAGE', 'This app has no file dialog here.', { hint: 'Paste the keys instead.' });
          const file = await s.files.open({
            title: 'Import age keys (keys.txt)',
            filters: [
              { name: 'age key files', extensions: ['txt', 'key', 'agekey'] },
              { name: 'All files', extensions: ['*'] },
            ],
          });
          if (file === null) return { cancelled: true, added: [], alreadyHeld: [], recorded: [] };
          text = await readKeyFile(file);
          from = file;
          break;
        }
        default: {
          const never: never = source;
          throw new AppError('INTERNAL', `unexpected import source ${String(never)}`);
        }
      }
      const r = await importAgeKeysForProvider(ws, deps, { provider, text, source: from });
      return {
        cancelled: false,
        provider: r.provider,
        added: [...r.added],
        alreadyHeld: [...r.alreadyHeld],
        recorded: [...r.recorded],
        storedIn: r.storedIn,
        ...(r.recipientsFile ? { recipientsFile: r.recipientsFile } : {}),
      };
    },
    'keys:removePlan': async ({ name }, ctx) => {
      const plan = await planAgeKeyRemoval(await workspace(), deps, name, { signal: ctx.signal });
      return { ...plan, keys: [...plan.keys], files: [...plan.files], recipientsFiles: [...plan.recipientsFiles] };
    },
    'keys:remove': async ({ name, confirmed }, ctx) => {
      const r = await removeHeldAgeKey(await workspace(), deps, { name, confirmed }, { signal: ctx.signal });
      return {
        removed: r.removed,
        plan: {
          ...r.plan,
          keys: [...r.plan.keys],
          files: [...r.plan.files],
          recipientsFiles: [...r.plan.recipientsFiles],
        },
        entriesDeleted: [...r.entriesDeleted],
      };
    },
    'sops:rekeyPlan': async ({ action, provider }, ctx) => {
      const ws = await requireWorkspace();
      const set = await planSopsRekey(ws, deps, { action, provider, signal: ctx.signal });
      const planId = randomUUID();
      plans.set(planId, set);
      for (const old of plans.keys()) if (plans.size > MAX_KEPT_PLANS) plans.delete(old);
      return {
        planId,
        action: set.action,
        provider: set.provider,
        changes: set.changes,
        files: set.files.map((f) => ({
          file: f.file,
          changes: f.plan.changes,
          added: [...f.plan.added],
          removed: [...f.plan.removed],
          valuesReencrypted: f.plan.valuesReencrypted,
        })),
        lines: describeRekeyPlan(set, ws.basePath),
      };
    },
    'sops:rekeyApply': async ({ planId }, ctx) => {
      const set = plans.get(planId);
      if (!set)
        throw new AppError('USAGE', 'This plan is no longer available; nothing was written.', {
          hint: 'Make the plan again and review it.',
        });
      plans.delete(planId);
      const written = await applySopsRekey(await requireWorkspace(), deps, set, {
        signal: ctx.signal,
        onProgress: (p) => ctx.progress({ done: p.done, total: p.total, ...(p.label ? { message: p.label } : {}) }),
      });
      return { written };
    },
  };
}

/** A picked keys.txt, bounded before it is read (the import checks it line by line). */
async function readKeyFile(file: string): Promise<string> {
  const size = (await stat(file)).size;
  if (size > MAX_KEY_TEXT_BYTES) {
    throw new AppError(
      'CONFIG',
      `${file} is larger than ${MAX_KEY_TEXT_BYTES / 1024} KiB: it is not an age key file.`,
      {
        hint: 'Pick a keys.txt with AGE-SECRET-KEY-1… lines (as age-keygen writes it).',
      },
    );
  }
  return readFile(file, 'utf8');
}
