// A declared secret's version history (never a value), and restoring an earlier version as a new current one.
// Stores list their versions newest first (SSM history, Secrets Manager ids and stages, Vault metadata, ...); a
// store without versions says so plainly; a SOPS secret has one entry: its file's `sops.lastmodified`.
import { readFile } from 'node:fs/promises';
import { AppError } from '../../../shared/errors';
import { formatForPath, parseMetadata } from '../../sops';
import { parseSopsBytes } from '../../sops/stores';
import { SecretNotFoundError, type SecretStore, type SecretVersion } from '../../stores';
import type { SopsCoordinate, StoreCoordinate } from '../model/coordinates';
import { resolveTarget, type SecretTarget } from '../model/targets';
import {
  confirmOrStop,
  reachText,
  sharedReach,
  throwIfCancelled,
  type Confirmable,
  type OperationContext,
} from './operation-context';
import { checkSize, targetInfo, type ChangeResult, type TargetInfo } from './values';

export interface HistoryEntry {
  readonly version: string;
  /** ISO 8601, when the backend says. */
  readonly createdAt: string | undefined;
  /** The version `get` returns. */
  readonly current: boolean;
  /** Secrets Manager staging labels (AWSCURRENT, AWSPREVIOUS, ...), where the backend has them. */
  readonly stages: readonly string[] | undefined;
  /** Vault: a soft-deleted or destroyed version (it cannot be restored). */
  readonly state: 'deleted' | 'destroyed' | undefined;
}

export interface HistoryReport {
  readonly target: TargetInfo;
  /** The backend keeps a history at all. */
  readonly supported: boolean;
  /** An earlier version can be restored as a new one (versions plus a way to read one). */
  readonly canRestore: boolean;
  /** Newest first. */
  readonly versions: readonly HistoryEntry[];
  /** Plain words for what the list means (no history kept, the file's date, ...). */
  readonly note: string | undefined;
}

/** Extra fields some backends add to SecretVersion (Secrets Manager's stages, Vault's delete state). */
function stagesOf(v: SecretVersion): readonly string[] | undefined {
  const stages = (v as { readonly stages?: unknown }).stages;
  return Array.isArray(stages) && stages.every((s) => typeof s === 'string') ? (stages as string[]) : undefined;
}

function stateOf(v: SecretVersion): HistoryEntry['state'] {
  const x = v as { readonly destroyed?: unknown; readonly deletedAt?: unknown };
  if (x.destroyed === true) return 'destroyed';
  if (x.deletedAt instanceof Date) return 'deleted';
  return undefined;
}

function entryOf(v: SecretVersion): HistoryEntry {
  return {
    version: v.version,
    createdAt: v.createdAt?.toISOString(),
    current: v.current,
    stages: stagesOf(v),
    state: stateOf(v),
  };
}

function canRestoreFrom(store: SecretStore): boolean {
  return store.capabilities.versions && store.versions !== undefined && store.getVersion !== undefined;
}

async function storeHistory(ctx: OperationContext, c: StoreCoordinate): Promise<Omit<HistoryReport, 'target'>> {
  const store = ctx.registry.secretStore(c.store);
  if (!store.capabilities.versions || !store.versions) {
    return {
      supported: false,
      canRestore: false,
      versions: [],
      note: `store "${c.store}" (${c.storeKind}) keeps no version history: only the current value exists`,
    };
  }
  let versions: SecretVersion[];
  try {
    versions = await store.versions(c.path);
  } catch (e) {
    if (!(e instanceof SecretNotFoundError || (e instanceof AppError && e.code === 'SECRET_NOT_FOUND'))) throw e;
    versions = [];
  }
  return {
    supported: true,
    canRestore: canRestoreFrom(store),
    versions: versions.map(entryOf),
    note: versions.length === 0 ? `no version of this secret exists in store "${c.store}" yet` : undefined,
  };
}

/** The SOPS file's `sops.lastmodified`, read without decrypting anything (no key needed). */
async function sopsHistory(c: SopsCoordinate): Promise<Omit<HistoryReport, 'target'>> {
  let data: Buffer;
  try {
    data = await readFile(c.absoluteFile);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return { supported: false, canRestore: false, versions: [], note: `SOPS file ${c.file} does not exist yet` };
    }
    throw new AppError('SOPS', `cannot read SOPS file ${c.file}: ${(e as Error).message}`, {
      location: { file: c.file },
    });
  }
  const parsed = parseSopsBytes(formatForPath(c.absoluteFile), data, c.absoluteFile);
  if (parsed.metadata === undefined) {
    throw new AppError('SOPS', `${c.file} has no sops metadata: it is not a SOPS-encrypted file`, {
      location: { file: c.file },
    });
  }
  const meta = parseMetadata(parsed.metadata, c.absoluteFile);
  const when = new Date(meta.lastModified);
  return {
    supported: false,
    canRestore: false,
    versions: [
      {
        version: 'lastmodified',
        createdAt: Number.isNaN(when.getTime()) ? undefined : when.toISOString(),
        current: true,
        stages: undefined,
        state: undefined,
      },
    ],
    note: `SOPS keeps no versions; this is when ${c.file} last changed (any key in it). Its git history holds earlier versions.`,
  };
}

/** The versions of a declared secret, newest first; never a value. */
export async function secretHistory(ctx: OperationContext, target: SecretTarget): Promise<HistoryReport> {
  const t = resolveTarget(ctx, target);
  const c = t.secret.coordinate;
  switch (c.kind) {
    case 'store':
      return { target: targetInfo(t), ...(await storeHistory(ctx, c)) };
    case 'sops':
      return { target: targetInfo(t), ...(await sopsHistory(c)) };
    default: {
      const never: never = c;
      throw new AppError('INTERNAL', `unexpected coordinate ${String(never)}`);
    }
  }
}

export interface RestoreRequest extends SecretTarget, Confirmable {
  /** A version id from `secretHistory`. */
  readonly version: string;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Reads `version` and writes it as a new current version. Only for a store with versions and a way to read
 * one; a shared secret's change is confirmed like `set`. The value is remembered by the redactor and never
 * returned.
 */
export async function restoreVersion(
  ctx: OperationContext,
  req: RestoreRequest,
): Promise<ChangeResult & { readonly restored: string }> {
  const t = resolveTarget(ctx, req);
  const c = t.secret.coordinate;
  if (c.kind !== 'store') {
    throw new AppError('BAD_REQUEST', `secret "${t.secret.name}" is kept in SOPS, which has no versions to restore`, {
      hint: `Restore ${c.file} from git, or set the value again.`,
    });
  }
  const store = ctx.registry.secretStore(c.store);
  if (!canRestoreFrom(store) || !store.getVersion) {
    throw new AppError(
      'BAD_REQUEST',
      `store "${c.store}" (${c.storeKind}) cannot restore a version: ${store.capabilities.versions ? 'its adapter cannot read an earlier version' : 'it keeps no version history'}`,
    );
  }
  const items = sharedReach(ctx, t);
  await confirmOrStop(
    ctx,
    {
      operation: 'set',
      items,
      message: `restore version ${req.version} of ${t.secret.name} (${t.secret.declaration.scope}) changes the value for ${reachText(items)}`,
    },
    req.confirm,
  );
  throwIfCancelled(req.signal);
  const value = await store.getVersion(c.path, req.version);
  ctx.remember(value);
  checkSize(ctx, c, value);
  throwIfCancelled(req.signal);
  await ctx.backends.store.set(c, value);
  const s = ctx.consumers.consumersOf(c);
  return {
    target: targetInfo(t),
    restored: req.version,
    stacks: Math.max(1, s.stacks.length),
    components: Math.max(1, s.consumers.length),
  };
}
