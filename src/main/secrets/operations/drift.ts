// Drift, the "present but undeclared" half (validate reports "declared but missing"): what each secret store
// holds under its managed prefix, and each SOPS provider's files hold, that no declaration in any stack or
// component resolves to. The declared side comes from the model alone (no backend call): every coordinate's
// native name, or SOPS file and key. Then one listing per store (`SecretStore.listManaged`, page by page, a few
// stores at a time) and one key-name read per SOPS file (no decryption). Never a value.
//
// A store that cannot be listed (its backend has no listing, its configuration does not load, it refused the
// listing) is a finding of its own, `cannot-list`, never silently nothing. The HEALTH audit consumes this
// report through `findOrphans` and these types.
import { AppError, type ErrorCode } from '../../../shared/errors';
import {
  defaultStackDelimiter,
  namesAreCaseInsensitive,
  splitStack,
  type ManagedEntry,
  type SecretScope,
  type SecretStore,
  type StoreConfig,
} from '../../stores';
import { mapBounded } from '../../stores/bounded';
import type { SopsCoordinate } from '../model/coordinates';
import { byText } from '../model/ordering';
import { parseSopsProvider, type SopsProvider } from '../model/providers';
import { sopsFileKeyNames } from '../sops-provider/sops-backend';
import { providerFilesOnDisk } from './drift-sops';
import { throwIfCancelled, type LongRunning, type OperationContext } from './operation-context';

/** Where an orphan would be declared: the Atmos coordinate its backend name (or file) maps back to. */
export interface DriftPlace {
  readonly scope: SecretScope;
  /** For stack and instance scope. */
  readonly stack?: string | undefined;
  /** For instance scope. */
  readonly component?: string | undefined;
  readonly name: string;
}

/** A value stored under a managed prefix (or a key in a provider's file) that no declaration resolves to. */
export interface OrphanFinding {
  readonly kind: 'orphan';
  /** `store:<name>` or `sops:<name>`. */
  readonly provider: string;
  readonly backend: 'store' | 'sops';
  /** The store's kind (`aws/ssm`, ...) or the SOPS provider's (`sops/age`, ...). */
  readonly providerKind: string;
  /** Where it is: the backend's own name, or `<file> key <KEY>` for SOPS. */
  readonly path: string;
  /** SOPS only: the file (relative to the base path) and the top-level key. */
  readonly file?: string | undefined;
  readonly key?: string | undefined;
  /** The coordinate it maps back to; undefined when it cannot be told (then `placeNote` says why). */
  readonly place: DriftPlace | undefined;
  readonly placeNote?: string | undefined;
  /** ISO time of the last change, when the listing (or the SOPS file's `lastmodified`) carries it. */
  readonly lastChanged: string | undefined;
}

/** A store or provider whose contents could not be listed: drift there is unknown. */
export interface CannotListFinding {
  readonly kind: 'cannot-list';
  readonly provider: string;
  readonly backend: 'store' | 'sops';
  readonly providerKind: string;
  /** For people: `cannot list: <reason>` (never a value). */
  readonly reason: string;
  readonly code: ErrorCode;
  readonly hint?: string | undefined;
}

export type DriftFinding = OrphanFinding | CannotListFinding;

/** Per store or provider: what was listed and compared. */
export interface DriftProviderSummary {
  readonly provider: string;
  readonly backend: 'store' | 'sops';
  readonly providerKind: string;
  /** False when a `cannot-list` finding stands for it (the counts then cover what was read before it failed). */
  readonly listed: boolean;
  /** Entries (store) or keys (SOPS) found. */
  readonly entries: number;
  readonly orphans: number;
}

export interface DriftReport {
  /** No finding at all. */
  readonly ok: boolean;
  readonly checkedAt: string;
  readonly providers: readonly DriftProviderSummary[];
  /** Orphans first (by provider, then path), then the stores that could not be listed. */
  readonly findings: readonly DriftFinding[];
  /**
   * Components whose configuration does not load (validate reports why): their declarations are unknown, so
   * values only they use may show as orphans.
   */
  readonly unloadedComponents: number;
}

export interface DriftRequest extends LongRunning {
  /** Only this store (by name) or SOPS provider (`sops:<name>` or its name); default every one. */
  readonly provider?: string | undefined;
}

/** Stores listed at once. */
export const DRIFT_STORE_CONCURRENCY = 4;
/** A store holding more than this under its prefix is listed this far and reported as `cannot-list` beyond. */
export const DRIFT_MAX_ENTRIES_PER_STORE = 200_000;

/** What the model declares, computed without any backend call. */
interface Declared {
  /** Store name -> the native names its declarations resolve to (lower-cased where the backend ignores case). */
  readonly storeNames: Map<string, Set<string>>;
  /** SOPS file (absolute) -> the keys declarations place there, and where the first of them is declared. */
  readonly sopsFiles: Map<string, { readonly keys: Set<string>; readonly coordinate: SopsCoordinate }>;
  /** Every SOPS provider seen (used by a declaration or configured for a component), by name and settings. */
  readonly providers: Map<string, SopsProvider>;
  readonly stacks: readonly string[];
  readonly unloaded: number;
}

function declaredModel(ctx: OperationContext, signal: AbortSignal | undefined): Declared {
  const storeNames = new Map<string, Set<string>>();
  const sopsFiles: Declared['sopsFiles'] = new Map();
  const providers = new Map<string, SopsProvider>();
  const seenRecords = new WeakSet<object>();
  const caseless = new Map<string, boolean>();
  const stacks = ctx.workspace.stackNames();
  let unloaded = 0;
  for (const stack of stacks) {
    throwIfCancelled(signal);
    for (const c of ctx.index.deployable(stack)) {
      let cs;
      try {
        cs = ctx.index.componentOnce(stack, c.name, c.type);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        unloaded++;
        continue;
      }
      for (const record of Object.values(cs.config.secretProviders)) {
        if (seenRecords.has(record)) continue;
        seenRecords.add(record);
        try {
          const p = parseSopsProvider(record);
          providers.set(providerKey(p), providers.get(providerKey(p)) ?? p);
        } catch (e) {
          // Not a SOPS provider (or a broken one, which validate reports): nothing to walk.
          if (!(e instanceof AppError)) throw e;
        }
      }
      for (const s of cs.secrets) {
        const co = s.coordinate;
        switch (co.kind) {
          case 'store': {
            let fold = caseless.get(co.store);
            if (fold === undefined) {
              const config = ctx.index.stores.config(co.store);
              fold = config !== undefined && namesAreCaseInsensitive(config);
              caseless.set(co.store, fold);
            }
            let names = storeNames.get(co.store);
            if (!names) storeNames.set(co.store, (names = new Set()));
            names.add(fold ? co.nativeName.toLowerCase() : co.nativeName);
            break;
          }
          case 'sops': {
            providers.set(providerKey(co.sopsProvider), providers.get(providerKey(co.sopsProvider)) ?? co.sopsProvider);
            let file = sopsFiles.get(co.absoluteFile);
            if (!file) sopsFiles.set(co.absoluteFile, (file = { keys: new Set(), coordinate: co }));
            file.keys.add(co.keyPath);
            break;
          }
          default: {
            const never: never = co;
            throw new AppError('INTERNAL', `unexpected coordinate ${String(never)}`);
          }
        }
      }
    }
  }
  return { storeNames, sopsFiles, providers, stacks, unloaded };
}

/** One provider per name and placement (a stack may override a provider's file). */
function providerKey(p: SopsProvider): string {
  return JSON.stringify([p.name, p.kind, p.fileTemplate ?? null, p.folder]);
}

/**
 * `atmos-secret drift`: every store's and SOPS provider's entries that no declaration resolves to, and every
 * store or provider that could not be listed. Throws only for cancellation.
 */
export async function findOrphans(ctx: OperationContext, req: DriftRequest = {}): Promise<DriftReport> {
  const declared = declaredModel(ctx, req.signal);
  const wanted = (provider: string, name: string): boolean =>
    req.provider === undefined || req.provider === provider || req.provider === name;
  const stores = ctx.index.stores.names().filter((n) => wanted(`store:${n}`, n));
  const providers = [...declared.providers.values()].filter((p) => wanted(`sops:${p.name}`, p.name));
  const total = stores.length + providers.length;
  let done = 0;
  const progress = (label: string): void => req.onProgress?.({ done: ++done, total, label });

  const storeResults = await mapBounded(
    stores,
    DRIFT_STORE_CONCURRENCY,
    async (name) => {
      const result = await storeDrift(ctx, name, declared, req.signal);
      progress(`store:${name}`);
      return result;
    },
    req.signal,
  );
  const sopsResults: ProviderResult[] = [];
  const seenFiles = new Set<string>();
  for (const p of providers.sort((a, b) => byText(a.name, b.name))) {
    throwIfCancelled(req.signal);
    sopsResults.push(await sopsDrift(ctx, p, declared, seenFiles));
    progress(`sops:${p.name}`);
  }

  const results = [...storeResults.filter((r) => r !== undefined), ...sopsResults];
  const orphans = results.flatMap((r) => r.orphans);
  orphans.sort((a, b) => byText(a.provider, b.provider) || byText(a.path, b.path));
  const cannot = results.flatMap((r) => (r.cannot ? [r.cannot] : []));
  const findings: DriftFinding[] = [...orphans, ...cannot];
  return {
    ok: findings.length === 0,
    checkedAt: ctx.clock().toISOString(),
    providers: results.map((r) => r.summary),
    findings,
    unloadedComponents: declared.unloaded,
  };
}

interface ProviderResult {
  readonly summary: DriftProviderSummary;
  readonly orphans: OrphanFinding[];
  readonly cannot: CannotListFinding | undefined;
}

function cannotList(
  base: Pick<CannotListFinding, 'provider' | 'backend' | 'providerKind'>,
  e: AppError,
): CannotListFinding {
  return {
    kind: 'cannot-list',
    ...base,
    reason: `cannot list: ${e.message}`,
    code: e.code,
    ...(e.hint !== undefined ? { hint: e.hint } : {}),
  };
}

/** One store: its listing compared with its declared names. Undefined for a store that is not a secret store. */
async function storeDrift(
  ctx: OperationContext,
  name: string,
  declared: Declared,
  signal: AbortSignal | undefined,
): Promise<ProviderResult | undefined> {
  const config = ctx.index.stores.config(name);
  const provider = `store:${name}`;
  const failed = ctx.index.stores.failure(name);
  const base = { provider, backend: 'store' as const, providerKind: config?.kind ?? 'unknown' };
  const result = (entries: number, orphans: OrphanFinding[], cannot?: CannotListFinding): ProviderResult => ({
    summary: { ...base, listed: cannot === undefined, entries, orphans: orphans.length },
    orphans,
    cannot,
  });
  if (!config) return failed ? result(0, [], cannotList(base, failed)) : undefined;
  // A plain store (no `secret: true`) holds configuration values, not secrets: drift is not about it.
  if (!config.secret) return undefined;
  let store: SecretStore;
  let listing: AsyncIterable<ManagedEntry>;
  try {
    store = ctx.registry.secretStore(name);
    if (!store.listManaged) {
      return result(
        0,
        [],
        cannotList(
          base,
          new AppError('BACKEND', `store "${name}" (${config.kind}) has no listing in this build`, {
            hint: 'Compare its contents with `atmos-secret list` by hand.',
          }),
        ),
      );
    }
    listing = store.listManaged();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return result(0, [], cannotList(base, e));
  }
  const located = declared.storeNames.get(name) ?? new Set<string>();
  // A listing coarser than one value (a 1Password item) is compared at its own grain.
  const grain = store.listingName?.bind(store);
  const names = grain ? new Set([...located].map(grain)) : located;
  const fold = namesAreCaseInsensitive(config);
  const places = new StackPlaces(declared.stacks, stackDelimiterOf(config));
  const orphans: OrphanFinding[] = [];
  let entries = 0;
  try {
    for await (const entry of listing) {
      if (entries === DRIFT_MAX_ENTRIES_PER_STORE) {
        throw new AppError(
          'BACKEND',
          `store "${name}" holds more than ${DRIFT_MAX_ENTRIES_PER_STORE} entries under its prefix; the listing stopped there`,
          { hint: 'Give the store a narrower prefix, or run drift per store with --store.' },
        );
      }
      entries++;
      if (names.has(fold ? entry.name.toLowerCase() : entry.name)) continue;
      const mapped = places.placeOf(entry.segments);
      orphans.push({
        kind: 'orphan',
        ...base,
        path: entry.name,
        place: mapped.place,
        ...(mapped.note !== undefined ? { placeNote: mapped.note } : {}),
        lastChanged: entry.lastChanged?.toISOString(),
      });
    }
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    // Cancellation stops drift; any other failure is this store's finding.
    if (e.code === 'CANCELLED' || signal?.aborted) throw e;
    return result(entries, orphans, cannotList(base, e));
  }
  return result(entries, orphans);
}

function stackDelimiterOf(config: StoreConfig): string {
  const d = config.options['stack_delimiter'];
  return typeof d === 'string' ? d : defaultStackDelimiter(config.kind);
}

/**
 * Maps a listed entry's segments (below the prefix: stack segments, component segments, NAME) back to a
 * coordinate, using the workspace's stack names: a stack name split on the store's delimiter is matched
 * against the leading segments, the longest first. Names are not reversible without the stacks (`a-b` split on
 * `-` is two segments, like stack `a` and component `b`), so an entry no stack matches says so.
 */
class StackPlaces {
  private readonly byPath = new Map<string, string>();
  private readonly depths: number[];

  constructor(stacks: readonly string[], delimiter: string) {
    const depths = new Set<number>();
    for (const stack of stacks) {
      const parts = splitStack(stack, delimiter);
      this.byPath.set(parts.join('/'), stack);
      depths.add(parts.length);
    }
    this.depths = [...depths].sort((a, b) => b - a);
  }

  placeOf(segments: readonly string[] | undefined): { place?: DriftPlace; note?: string } {
    if (!segments || segments.length === 0) {
      return { note: 'the backend name does not say which stack or component it belongs to' };
    }
    const name = segments[segments.length - 1] as string;
    const rest = segments.slice(0, -1);
    if (rest.length === 0) return { place: { scope: 'global', name } };
    for (const depth of this.depths) {
      if (depth > rest.length) continue;
      const stack = this.byPath.get(rest.slice(0, depth).join('/'));
      if (stack === undefined) continue;
      if (depth === rest.length) return { place: { scope: 'stack', stack, name } };
      return { place: { scope: 'instance', stack, component: rest.slice(depth).join('/'), name } };
    }
    return { note: `no stack of this workspace matches ${rest.join('/')}` };
  }
}

/** One SOPS provider: the keys of its files (declared ones and those its placement rule finds) nobody declares. */
async function sopsDrift(
  ctx: OperationContext,
  provider: SopsProvider,
  declared: Declared,
  seenFiles: Set<string>,
): Promise<ProviderResult> {
  const base = { provider: `sops:${provider.name}`, backend: 'sops' as const, providerKind: provider.kind };
  const basePath = ctx.workspace.basePath;
  const files = new Map<string, { file: string; stack: string | undefined; component: string | undefined }>();
  for (const [absolute, d] of declared.sopsFiles) {
    if (d.coordinate.providerName !== provider.name) continue;
    files.set(absolute, {
      file: d.coordinate.file,
      stack: d.coordinate.path.stack,
      component: d.coordinate.path.component,
    });
  }
  for (const spot of await providerFilesOnDisk(provider, basePath)) {
    if (!files.has(spot.absoluteFile)) files.set(spot.absoluteFile, spot);
  }
  const orphans: OrphanFinding[] = [];
  let entries = 0;
  for (const [absolute, f] of [...files].sort(([a], [b]) => byText(a, b))) {
    if (seenFiles.has(absolute)) continue;
    seenFiles.add(absolute);
    let names;
    try {
      names = await sopsFileKeyNames(absolute, f.file);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const summary = { ...base, listed: false, entries, orphans: orphans.length };
      return { summary, orphans, cannot: cannotList(base, e) };
    }
    if (!names) continue;
    const used = declared.sopsFiles.get(absolute)?.keys ?? new Set<string>();
    entries += names.keys.length;
    for (const key of names.keys) {
      if (used.has(key)) continue;
      const scope: SecretScope = f.component !== undefined ? 'instance' : f.stack !== undefined ? 'stack' : 'global';
      orphans.push({
        kind: 'orphan',
        ...base,
        path: `${f.file} key ${key}`,
        file: f.file,
        key,
        place: {
          scope,
          name: key,
          ...(f.stack !== undefined && scope !== 'global' ? { stack: f.stack } : {}),
          ...(f.component !== undefined && scope === 'instance' ? { component: f.component } : {}),
        },
        lastChanged: names.lastModified?.toISOString(),
      });
    }
  }
  return { summary: { ...base, listed: true, entries, orphans: orphans.length }, orphans, cannot: undefined };
}
