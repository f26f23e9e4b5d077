// The age keys the app holds in the OS keychain, and what each opens: the keychain entries of the workspace's
// sops/age providers (age_key.store, else the app's default entry) and every `<prefix>/sops-age/<key>` account
// of the app's own service. What a key opens comes from the files' recipient stanzas (metadata only: nothing
// is decrypted). Import puts a validated keys.txt into a provider's entry; removal first says which files no
// other held key would open, then takes the key out of its entry and its recipient out of the recipients files.
// Private keys are read here to derive their recipients and never leave this module.
import type { Workspace } from '../../config';
import { DEFAULT_KEYCHAIN_SERVICE, type Keychain } from '../../keychain/keychain';
import {
  heldAgeKeys,
  importAgeKeys,
  parseKeyImport,
  readSopsFileKeys,
  removeKeysFromText,
  rulesListingRecipient,
  unrecordRecipient,
  unreadableWithout,
  usesAgeRecipient,
  withFileLock,
  type ImportAgeKeysResult,
  type SopsFileKeys,
} from '../../sops';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { AppError } from '../../../shared/errors';
import { throwIfCancelled, type LongRunning } from '../operations/operation-context';
import { sopsKeySpec } from './sops-keys';
import { keysFor, resolveSopsProvider, sopsProviderFiles, sopsProviders, type SopsOpsDeps } from './sops-ops';

/** A keychain account that holds age keys by the app's naming (`<prefix>/sops-age/<key>`). */
export function isAgeKeyAccount(account: string): boolean {
  return account.includes('/sops-age/');
}

/** A SOPS file encrypted to a key, and what removing the key would cost. */
export interface AgeKeyFileUse {
  /** Relative to the base path. */
  readonly file: string;
  readonly provider: string;
  /** No other key this app holds (nor a KMS/pgp key of the file) opens it: this machine loses it. */
  readonly lostHere: boolean;
  /** No other master key of the file at all: nobody can open it any more. */
  readonly lostForAll: boolean;
}

export interface HeldAgeKeyInfo {
  readonly recipient: string;
  readonly postQuantum: boolean;
  readonly created?: string | undefined;
  readonly service: string;
  readonly account: string;
  /** Providers whose age key source reads this entry. */
  readonly providers: readonly string[];
  /** The files encrypted to it (sorted). */
  readonly files: readonly AgeKeyFileUse[];
}

interface Entry {
  readonly keychain: Keychain;
  readonly account: string;
  readonly providers: string[];
}

/** Every keychain entry that may hold age keys: the providers' places, then the app's own sops-age accounts. */
async function heldEntries(ws: Workspace | undefined, deps: SopsOpsDeps, opts: LongRunning): Promise<Entry[]> {
  const entries = new Map<string, Entry>();
  const add = (keychain: Keychain, account: string, provider?: string): void => {
    const id = `${keychain.service}\0${account}`;
    const e = entries.get(id) ?? { keychain, account, providers: [] };
    if (provider !== undefined && !e.providers.includes(provider)) e.providers.push(provider);
    entries.set(id, e);
  };
  if (ws) {
    const keys = keysFor(ws, deps);
    for (const p of sopsProviders(ws, opts)) {
      let place;
      try {
        place = keys.heldPlace(p);
      } catch {
        continue; // a provider whose age_key.store is not a keychain store: validate says so
      }
      if (place) add(place.keychain, place.account, p.name);
    }
  }
  const own = deps.keychain(DEFAULT_KEYCHAIN_SERVICE);
  for (const account of await own.list()) if (isAgeKeyAccount(account)) add(own, account);
  return [...entries.values()];
}

interface ScannedFile {
  readonly file: string;
  readonly provider: string;
  readonly keys: SopsFileKeys;
}

/** Each existing SOPS file of the workspace once, with its master keys (metadata only). */
async function scanFiles(ws: Workspace, opts: LongRunning): Promise<ScannedFile[]> {
  const out: ScannedFile[] = [];
  const seen = new Set<string>();
  for (const p of sopsProviders(ws, opts)) {
    let files;
    try {
      files = await sopsProviderFiles(ws, p.name, opts);
    } catch (e) {
      if (e instanceof AppError && e.code === 'CANCELLED') throw e;
      continue; // a provider placing files outside the workspace: validate reports it
    }
    for (const f of files) {
      throwIfCancelled(opts.signal);
      if (seen.has(f.absoluteFile)) continue;
      seen.add(f.absoluteFile);
      try {
        out.push({ file: f.file, provider: p.name, keys: await readSopsFileKeys(f.absoluteFile) });
      } catch {
        // a file that does not parse is validate's business; it opens with no key
      }
    }
  }
  return out;
}

/**
 * True when the file cannot be opened once `removed` are gone, counting as usable only the age keys in `held`
 * (and every KMS/pgp key: whether this machine can use them cannot be told without calling them).
 */
export function lostWithout(keys: SopsFileKeys, removed: ReadonlySet<string>, held: ReadonlySet<string>): boolean {
  if (keys.unsupported.length > 0) return false;
  const usable = keys.keyGroups.filter((g) =>
    g.some((e) => e.type !== 'age' || (held.has(e.recipient) && !removed.has(e.recipient))),
  );
  return usable.length < keys.threshold;
}

/**
 * The files encrypted to any of `removed`, and what is lost once `gone` (the removed keys no other entry
 * still holds; by default all of them) are no longer held.
 */
function usesOf(
  files: readonly ScannedFile[],
  removed: ReadonlySet<string>,
  held: ReadonlySet<string>,
  gone: ReadonlySet<string> = removed,
): AgeKeyFileUse[] {
  return files
    .filter((f) => usesAgeRecipient(f.keys, removed))
    .map((f) => ({
      file: f.file,
      provider: f.provider,
      lostHere: lostWithout(f.keys, gone, held),
      lostForAll: unreadableWithout(f.keys, gone),
    }));
}

interface HeldState {
  readonly keys: (HeldAgeKeyInfo & { readonly entry: Entry })[];
  readonly files: ScannedFile[];
  readonly held: Set<string>;
}

async function heldState(ws: Workspace | undefined, deps: SopsOpsDeps, opts: LongRunning): Promise<HeldState> {
  const entries = await heldEntries(ws, deps, opts);
  const perEntry: { entry: Entry; keys: Awaited<ReturnType<typeof heldAgeKeys>> }[] = [];
  for (const entry of entries) {
    throwIfCancelled(opts.signal);
    const text = await entry.keychain.get(entry.account);
    perEntry.push({ entry, keys: text === null ? [] : await heldAgeKeys(text) });
  }
  const held = new Set(perEntry.flatMap((e) => e.keys.map((k) => k.recipient)));
  const files = ws ? await scanFiles(ws, opts) : [];
  const keys = perEntry.flatMap(({ entry, keys: ks }) =>
    ks.map((k) => ({
      recipient: k.recipient,
      postQuantum: k.postQuantum,
      created: k.created,
      service: entry.keychain.service,
      account: entry.account,
      providers: [...entry.providers].sort(),
      files: usesOf(files, new Set([k.recipient]), held),
      entry,
    })),
  );
  keys.sort((a, b) => (a.account === b.account ? 0 : a.account < b.account ? -1 : 1));
  return { keys, files, held };
}

/** The age keys the app holds, each with the providers that read it and the files it opens. */
export async function listHeldAgeKeys(
  ws: Workspace | undefined,
  deps: SopsOpsDeps,
  opts: LongRunning = {},
): Promise<HeldAgeKeyInfo[]> {
  const { keys } = await heldState(ws, deps, opts);
  return keys.map(({ entry: _entry, ...k }) => k);
}

/**
 * The held keys a name picks: a recipient (age1…), a keychain account (all its keys), or a sops/age provider
 * (the keys of the entry it reads). NOT_FOUND naming what was looked for otherwise.
 */
function pick(state: HeldState, name: string): HeldState['keys'] {
  const byRecipient = state.keys.filter((k) => k.recipient === name);
  if (byRecipient.length > 0) return byRecipient;
  const byAccount = state.keys.filter((k) => k.account === name);
  if (byAccount.length > 0) return byAccount;
  const byProvider = state.keys.filter((k) => k.providers.includes(name));
  if (byProvider.length > 0) return byProvider;
  // The name is not repeated: over IPC no request text is echoed back (it could be a value typed in the wrong box).
  throw new AppError('NOT_FOUND', 'No age key held in the keychain matches that name.', {
    hint: 'Name a recipient (age1…), a keychain account or a sops/age provider: atmos-secret keys list',
  });
}

/** The public recipients of the held keys a name picks (see `pick`): safe to hand to a teammate. */
export async function recipientsFor(ws: Workspace | undefined, deps: SopsOpsDeps, name: string): Promise<string[]> {
  return [...new Set(pick(await heldState(ws, deps, {}), name).map((k) => k.recipient))];
}

export interface AgeKeyRemovalPlan {
  /** The keys that would go, with where each lives. */
  readonly keys: readonly { readonly recipient: string; readonly service: string; readonly account: string }[];
  /** Files encrypted to them; `lostHere`: no other held key opens it. */
  readonly files: readonly AgeKeyFileUse[];
  /** Recipients files (relative to the base path) whose creation rules list them: they are taken out there too. */
  readonly recipientsFiles: readonly string[];
  /** False when no workspace is open: the files could not be checked. */
  readonly checked: boolean;
}

/** Recipients files of the workspace's sops/age providers (absolute, each once). */
function recipientsFilesOf(ws: Workspace, deps: SopsOpsDeps): string[] {
  const keys = keysFor(ws, deps);
  const out = new Set<string>();
  for (const p of sopsProviders(ws)) {
    if (p.kind !== 'sops/age') continue;
    try {
      out.add(keys.recipientsFile(p, sopsKeySpec(p)));
    } catch {
      // a provider whose spec does not parse: validate says so
    }
  }
  return [...out].sort();
}

async function readIfThere(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function planFrom(
  ws: Workspace | undefined,
  deps: SopsOpsDeps,
  state: HeldState,
  name: string,
): Promise<{
  plan: AgeKeyRemovalPlan;
  picked: HeldState['keys'];
  recipientFiles: string[];
  gone: Set<string>;
}> {
  const picked = pick(state, name);
  const removed = new Set(picked.map((k) => k.recipient));
  // A recipient whose key another entry still holds stays in the recipients files: that key is kept.
  const keptElsewhere = new Set(state.keys.filter((k) => !picked.includes(k)).map((k) => k.recipient));
  const gone = new Set([...removed].filter((r) => !keptElsewhere.has(r)));
  const recipientFiles: string[] = [];
  if (ws) {
    for (const f of recipientsFilesOf(ws, deps)) {
      const text = await readIfThere(f);
      if (text !== undefined && [...gone].some((r) => rulesListingRecipient(text, r).length > 0))
        recipientFiles.push(f);
    }
  }
  return {
    picked,
    recipientFiles,
    gone,
    plan: {
      keys: picked.map((k) => ({ recipient: k.recipient, service: k.service, account: k.account })),
      files: usesOf(state.files, removed, state.held, gone),
      recipientsFiles: recipientFiles.map((f) => (ws ? relative(ws.basePath, f) : f)),
      checked: ws !== undefined,
    },
  };
}

/** What removing the keys a name picks would cost; reads only metadata, changes nothing. */
export async function planAgeKeyRemoval(
  ws: Workspace | undefined,
  deps: SopsOpsDeps,
  name: string,
  opts: LongRunning = {},
): Promise<AgeKeyRemovalPlan> {
  return (await planFrom(ws, deps, await heldState(ws, deps, opts), name)).plan;
}

export interface AgeKeyRemoval {
  /** False when files would be lost and the request was not confirmed: nothing was changed. */
  readonly removed: boolean;
  readonly plan: AgeKeyRemovalPlan;
  /** Keychain entries deleted because no key was left in them. */
  readonly entriesDeleted: readonly string[];
}

/**
 * Removes the keys a name picks: refused (nothing changed) while some file would be lost on this machine
 * and `confirmed` is not set. Each key leaves its keychain entry (other keys and lines stay; an entry left
 * with no key is deleted) and its recipient leaves the recipients files' creation rules (comments kept).
 */
export async function removeHeldAgeKey(
  ws: Workspace | undefined,
  deps: SopsOpsDeps,
  req: { readonly name: string; readonly confirmed?: boolean | undefined },
  opts: LongRunning = {},
): Promise<AgeKeyRemoval> {
  const state = await heldState(ws, deps, opts);
  const { plan, picked, recipientFiles, gone } = await planFrom(ws, deps, state, req.name);
  if (plan.files.some((f) => f.lostHere) && req.confirmed !== true) return { removed: false, plan, entriesDeleted: [] };
  const entriesDeleted: string[] = [];
  const byEntry = new Map<string, { entry: HeldState['keys'][number]['entry']; recipients: Set<string> }>();
  for (const k of picked) {
    const id = `${k.service}\0${k.account}`;
    const e = byEntry.get(id) ?? { entry: k.entry, recipients: new Set<string>() };
    e.recipients.add(k.recipient);
    byEntry.set(id, e);
  }
  for (const { entry, recipients } of byEntry.values()) {
    throwIfCancelled(opts.signal);
    // Under the lock keygen and import of this entry's provider take (its recipients file), so none loses a key.
    await withLockOf(ws, deps, entry, async () => {
      const text = await entry.keychain.get(entry.account);
      if (text === null) return;
      const next = await removeKeysFromText(text, recipients);
      if (next.remaining === 0) {
        await entry.keychain.delete(entry.account);
        entriesDeleted.push(entry.account);
      } else await entry.keychain.set(entry.account, next.text);
    });
  }
  for (const f of recipientFiles) for (const r of gone) await unrecordRecipient(f, r);
  return { removed: true, plan, entriesDeleted };
}

/** Runs `f` under the recipients-file lock of the entry's provider; an entry no provider reads has no writer but us. */
function withLockOf<T>(ws: Workspace | undefined, deps: SopsOpsDeps, entry: Entry, f: () => Promise<T>): Promise<T> {
  const provider = entry.providers[0];
  if (!ws || provider === undefined) return f();
  const p = resolveSopsProvider(ws, provider);
  return withFileLock(keysFor(ws, deps).recipientsFile(p), f);
}

export interface AgeKeyImport extends ImportAgeKeysResult {
  readonly provider: string;
  /** Absolute; undefined when the provider pins age_recipients (they are managed by hand). */
  readonly recipientsFile: string | undefined;
}

/**
 * Imports a keys.txt (validated: every key line a valid age identity, size bounded) into the keychain entry
 * a sops/age provider reads, and records the recipients in its recipients file. `source` names the text in
 * messages ("keys.txt", "the pasted text"); the keys are never echoed.
 */
export async function importAgeKeysForProvider(
  ws: Workspace,
  deps: SopsOpsDeps,
  req: { readonly provider?: string | undefined; readonly text: string; readonly source: string },
): Promise<AgeKeyImport> {
  const provider = resolveSopsProvider(ws, req.provider ?? onlyAgeProvider(ws));
  if (provider.kind !== 'sops/age') {
    throw new AppError('CONFIG', `SOPS provider "${provider.name}" is ${provider.kind}: only age keys are imported`, {
      location: provider.record.location,
      hint: 'Name a sops/age provider.',
    });
  }
  const keys = keysFor(ws, deps);
  const place = keys.heldPlace(provider);
  if (!place) {
    throw new AppError(
      'CONFIG',
      `SOPS provider "${provider.name}" keeps its age key in a file or inline (spec.age_key), not in the keychain`,
      {
        location: provider.record.location,
        hint: 'Point spec.age_key.store at a keychain store (or remove age_key) to keep its keys in the keychain.',
      },
    );
  }
  const imported = await parseKeyImport(req.text, req.source);
  const spec = sopsKeySpec(provider);
  const recipientsFile = spec.ageRecipients.length > 0 ? undefined : keys.recipientsFile(provider, spec);
  const lockFile = keys.recipientsFile(provider, spec);
  const r = await importAgeKeys({
    keychain: place.keychain,
    account: place.account,
    keys: imported,
    record: recipientsFile ? { recipientsFile, pathRegex: keys.pathRegex(provider) } : undefined,
    lockFile,
  });
  return { ...r, provider: provider.name, recipientsFile };
}

/** The only sops/age provider, when there is exactly one (else resolveSopsProvider lists the names). */
function onlyAgeProvider(ws: Workspace): string | undefined {
  const age = sopsProviders(ws).filter((p) => p.kind === 'sops/age');
  return age.length === 1 ? age[0]?.name : undefined;
}
