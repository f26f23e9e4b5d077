// Provider-level SOPS operations shared by the CLI and the app: keygen (an age key into the provider's sink,
// the recipient into its recipients file), and updatekeys / rotate over every file the provider's declared
// secrets place into across all stacks (those that exist on disk), each as plan-then-apply so the caller
// shows what will change and asks before anything is written.
import { access } from 'node:fs/promises';
import { relative } from 'node:path';
import type { ProviderRecord, Workspace } from '../../config';
import type { Keychain } from '../../keychain/keychain';
import { AppError } from '../../../shared/errors';
import { applyRekeyPlan, keygen, planRotate, planUpdateKeys, type KeygenResult, type RekeyPlan } from '../../sops';
import { SecretsIndex } from '../model/secrets-index';
import { byText } from '../model/ordering';
import { throwIfCancelled, type LongRunning } from '../operations/operation-context';
import { parseSopsProvider, SopsFileOutsideError, type SopsProvider } from '../model/providers';
import { checkSopsFileInside } from './file-guard';
import { SopsKeys } from './sops-keys';
import { StoreCatalog } from '../model/store-catalog';
import { IdentityResolver } from '../../auth';

export interface SopsOpsDeps {
  /** The OS keychain for a service name. */
  readonly keychain: (service?: string) => Keychain;
  /** SOPS_AGE_KEY_FILE, SOPS_AGE_KEY, GNUPGHOME, ... (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  readonly homeDir?: string | undefined;
  /** `--identity` / `ATMOS_IDENTITY`: KMS calls of a provider without its own identity run as it. */
  readonly identity?: string | undefined;
}

export function keysFor(ws: Workspace, deps: SopsOpsDeps, stores = StoreCatalog.fromWorkspace(ws)): SopsKeys {
  return new SopsKeys({
    stores,
    basePath: ws.basePath,
    keychain: deps.keychain,
    env: deps.env,
    homeDir: deps.homeDir,
    identities: new IdentityResolver({
      auth: ws.rawConfig['auth'],
      keychain: deps.keychain,
      env: deps.env,
      basePath: ws.basePath,
    }),
  });
}

/** One file of a provider, with the provider record that places secrets into it. */
export interface SopsProviderFile {
  readonly absoluteFile: string;
  /** Relative to the base path. */
  readonly file: string;
  readonly provider: SopsProvider;
}

/**
 * Every provider record by name, in one walk: atmos.yaml's own, then for the others the first stack or
 * component that declares it.
 */
function sopsProviderRecords(ws: Workspace, opts: LongRunning = {}): Map<string, ProviderRecord> {
  const records = new Map<string, ProviderRecord>();
  for (const [name, r] of Object.entries(ws.secretProviders)) {
    records.set(name, { name, raw: r.raw, level: 'config', location: r.location });
  }
  for (const stack of ws.stackNames()) {
    throwIfCancelled(opts.signal);
    for (const c of ws.components(stack)) {
      try {
        for (const [name, r] of Object.entries(ws.componentConfig(stack, c.name, c.type).secretProviders)) {
          if (!records.has(name)) records.set(name, r);
        }
      } catch {
        // a component that does not load is validate's business
      }
    }
  }
  return records;
}

/** Providers declared in atmos.yaml, then those only stacks or components declare; sorted. */
export function sopsProviderNames(ws: Workspace, opts: LongRunning = {}): string[] {
  return [...sopsProviderRecords(ws, opts).keys()].sort();
}

/** Every configured provider, parsed, sorted by name. */
export function sopsProviders(ws: Workspace, opts: LongRunning = {}): SopsProvider[] {
  return [...sopsProviderRecords(ws, opts).values()].sort((a, b) => byText(a.name, b.name)).map(parseSopsProvider);
}

/**
 * The provider by name (atmos.yaml's record, else the first stack/component declaring it); without a name,
 * the only one configured. USAGE error listing the names otherwise.
 */
export function resolveSopsProvider(ws: Workspace, name?: string): SopsProvider {
  // atmos.yaml's own record needs no walk over the stacks.
  const direct = name !== undefined ? ws.secretProviders[name] : undefined;
  if (name !== undefined && direct)
    return parseSopsProvider({ name, raw: direct.raw, level: 'config', location: direct.location });
  const records = sopsProviderRecords(ws);
  const names = [...records.keys()].sort();
  const chosen = name ?? (names.length === 1 ? names[0] : undefined);
  const record = chosen !== undefined ? records.get(chosen) : undefined;
  if (!record) {
    throw new AppError(
      'USAGE',
      name ? `SOPS provider "${name}" is not configured` : `name a SOPS provider (${names.length} are configured)`,
      {
        hint:
          names.length > 0
            ? `Configured providers: ${names.join(', ')}.`
            : 'Declare one under secrets.providers in atmos.yaml.',
      },
    );
  }
  return parseSopsProvider(record);
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Every existing file the provider's declared secrets place into, across all stacks (sorted, each once). */
export async function sopsProviderFiles(
  ws: Workspace,
  providerName: string,
  opts: LongRunning = {},
): Promise<SopsProviderFile[]> {
  const index = new SecretsIndex(ws, StoreCatalog.fromWorkspace(ws));
  const found = new Map<string, SopsProviderFile>();
  for (const stack of ws.stackNames()) {
    throwIfCancelled(opts.signal);
    for (const c of index.deployable(stack)) {
      let component;
      try {
        component = index.component(stack, c.name, c.type);
      } catch {
        continue;
      }
      // updatekeys/rotate write these files: one placed outside the workspace is refused, not skipped unseen.
      for (const b of component.broken) {
        if (b.error instanceof SopsFileOutsideError && b.error.provider === providerName) throw b.error;
      }
      for (const s of component.secrets) {
        const co = s.coordinate;
        if (co.kind !== 'sops' || co.providerName !== providerName || found.has(co.absoluteFile)) continue;
        // updatekeys/rotate write these files: one placed outside the workspace is refused, not rewritten.
        checkSopsFileInside(co, ws.basePath);
        found.set(co.absoluteFile, { absoluteFile: co.absoluteFile, file: co.file, provider: co.sopsProvider });
      }
    }
  }
  const out: SopsProviderFile[] = [];
  for (const f of [...found.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    if (await exists(f.absoluteFile)) out.push(f);
  }
  return out;
}

export interface SopsKeygenRequest {
  /** The provider; optional when only one is configured. */
  readonly provider?: string | undefined;
  /** Add a key even when the provider already has one (the old key is kept). */
  readonly force?: boolean | undefined;
}

export interface SopsKeygenResult extends KeygenResult {
  readonly provider: string;
}

/** `keygen [PROVIDER]`: an age key into the provider's sink, its recipient into the recipients file. */
export async function keygenForProvider(
  ws: Workspace,
  deps: SopsOpsDeps,
  req: SopsKeygenRequest,
): Promise<SopsKeygenResult> {
  const provider = resolveSopsProvider(ws, req.provider);
  const keys = keysFor(ws, deps);
  const r = await keygen({
    sink: keys.ageKeySink(provider),
    recipientsFile: keys.recipientsFile(provider),
    pathRegex: keys.pathRegex(provider),
    ...(req.force ? { force: true } : {}),
  });
  return { ...r, provider: provider.name };
}

export type SopsRekeyAction = 'updatekeys' | 'rotate';

/** The plan for every file of a provider; `apply` writes it (each file refuses if it changed since). */
export interface SopsRekeyPlanSet {
  readonly action: SopsRekeyAction;
  readonly provider: string;
  readonly files: readonly { readonly file: string; readonly plan: RekeyPlan; readonly provider: SopsProvider }[];
  /** True when applying would change at least one file. */
  readonly changes: boolean;
}

/**
 * updatekeys: each file's master keys become the provider's current recipients (what a new file would get);
 * rotate: a new data key for each file's current keys, every value re-encrypted. Reads only the metadata.
 */
export async function planSopsRekey(
  ws: Workspace,
  deps: SopsOpsDeps,
  req: { readonly action: SopsRekeyAction; readonly provider: string } & LongRunning,
): Promise<SopsRekeyPlanSet> {
  const provider = resolveSopsProvider(ws, req.provider);
  const keys = keysFor(ws, deps);
  const files = await sopsProviderFiles(ws, provider.name, req);
  const planned: SopsRekeyPlanSet['files'][number][] = [];
  for (const f of files) {
    throwIfCancelled(req.signal);
    let plan: RekeyPlan;
    switch (req.action) {
      case 'updatekeys': {
        const rule = await keys.creationRule(f.provider, f.absoluteFile);
        plan = await planUpdateKeys(f.absoluteFile, {
          keyGroups: rule.keyGroups,
          ...(rule.shamirThreshold !== undefined ? { shamirThreshold: rule.shamirThreshold } : {}),
        });
        break;
      }
      case 'rotate':
        plan = await planRotate(f.absoluteFile);
        break;
      default: {
        const never: never = req.action;
        throw new AppError('INTERNAL', `unexpected action ${String(never)}`);
      }
    }
    planned.push({ file: f.file, plan, provider: f.provider });
  }
  return { action: req.action, provider: provider.name, files: planned, changes: planned.some((p) => p.plan.changes) };
}

/** Writes a plan set, file by file, with the keys of each file's provider. Returns the files written. */
export async function applySopsRekey(
  ws: Workspace,
  deps: SopsOpsDeps,
  set: SopsRekeyPlanSet,
  opts: LongRunning = {},
): Promise<string[]> {
  const keys = keysFor(ws, deps);
  const written: string[] = [];
  let done = 0;
  for (const f of set.files) {
    throwIfCancelled(opts.signal);
    opts.onProgress?.({ done, total: set.files.length, label: f.file });
    if (f.plan.changes) {
      // A file has no component, so the provider's identity, else --identity, else the default chain.
      await applyRekeyPlan(f.plan, { keySources: keys.keySources(f.provider, f.provider.identity ?? deps.identity) });
      written.push(f.file);
    }
    done += 1;
  }
  opts.onProgress?.({ done, total: set.files.length });
  return written;
}

/** The plan in lines for people: per file, keys added and removed and values re-encrypted. No values, no keys' secrets. */
export function describeRekeyPlan(set: SopsRekeyPlanSet, basePath?: string): string[] {
  const lines: string[] = [];
  if (set.files.length === 0) return [`SOPS provider "${set.provider}" has no files yet; nothing to ${set.action}.`];
  for (const f of set.files) {
    const name = basePath ? relative(basePath, f.plan.file) || f.file : f.file;
    const p = f.plan;
    if (!p.changes) {
      lines.push(`${name}: no change`);
      continue;
    }
    const parts: string[] = [];
    if (set.action === 'rotate') parts.push(`new data key, ${p.valuesReencrypted} value(s) re-encrypted`);
    for (const k of p.added) parts.push(`+ ${k}`);
    for (const k of p.removed) parts.push(`- ${k}`);
    if (p.thresholdBefore !== p.thresholdAfter)
      parts.push(`threshold ${p.thresholdBefore ?? '-'} -> ${p.thresholdAfter ?? '-'}`);
    lines.push(`${name}: ${parts.length > 0 ? parts.join('; ') : 'key groups reordered'}`);
  }
  return lines;
}
