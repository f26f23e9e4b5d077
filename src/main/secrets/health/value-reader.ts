// Reads the audited secrets' values for the reuse and weakness checks, one provider at a time, in batches, and
// hands each value to `sink` the moment it arrives: nothing here keeps a value (the sink hashes and measures it
// and drops it). A store with a batch read (`getMany`: SSM 10 names a call, Secrets Manager 20, Vault and Key
// Vault bounded single reads, the keychain its whole service in one call) is read in chunks; one without lists
// what is present first (`statusMany`: one listing) and reads only those, a few at a time. A SOPS provider's files are listed once each
// (key names, no decryption) and only the keys present are decrypted. A backend that fails is one `unreadable`
// finding per provider and error code, with the number of secrets it left unchecked.
import { AppError, type ErrorCode } from '../../../shared/errors';
import { mapBounded } from '../../stores/bounded';
import { isSecretNotFound, type SecretStore } from '../../stores';
import type { SopsCoordinate, StoreCoordinate } from '../model/coordinates';
import { throwIfCancelled, type LongRunning, type OperationContext } from '../operations/operation-context';
import type { AuditedSecret } from './estate';
import { finding, type Finding } from './findings';

/** Paths per `getMany`/`statusMany` call of ours (the store splits further into its own API batches). */
export const READ_CHUNK = 500;
/** Single reads in flight for a store without a batch read. */
export const SINGLE_READS = 8;

export type ValueSink = (coordinateKey: string, value: string) => void;

export interface ReadOutcome {
  /** Coordinate keys that hold a value. */
  readonly present: Set<string>;
  /** Coordinate keys whose backend failed: neither present nor known missing. */
  readonly unchecked: Set<string>;
  readonly problems: Finding[];
}

interface Failure {
  readonly error: AppError;
  count: number;
}

export class BackendFailures {
  private readonly byId = new Map<string, Failure & { provider: string }>();

  add(provider: string, error: AppError, count: number): void {
    const id = `${provider}\0${error.code}`;
    const f = this.byId.get(id);
    if (f) f.count += count;
    else this.byId.set(id, { provider, error, count });
  }

  findings(): Finding[] {
    return [...this.byId.values()].map((f) =>
      finding(
        'unreadable',
        `${f.provider}: ${f.error.message} (${f.count} secret(s) not checked)`,
        {
          kind: 'check-access',
          text: f.error.hint ?? `Check that ${f.provider} is reachable and the identity may read it.`,
        },
        [{ provider: f.provider }],
      ),
    );
  }
}

function codeOf(e: unknown): ErrorCode | undefined {
  return e instanceof AppError ? e.code : undefined;
}

export async function readValues(
  ctx: OperationContext,
  secrets: readonly AuditedSecret[],
  sink: ValueSink,
  opts: LongRunning = {},
): Promise<ReadOutcome> {
  const out: ReadOutcome = { present: new Set(), unchecked: new Set(), problems: [] };
  const failures = new BackendFailures();
  const byProvider = new Map<string, AuditedSecret[]>();
  for (const s of secrets) {
    const group = byProvider.get(s.coordinate.provider);
    if (group) group.push(s);
    else byProvider.set(s.coordinate.provider, [s]);
  }
  let done = 0;
  for (const [provider, group] of byProvider) {
    throwIfCancelled(opts.signal);
    const stores = group.flatMap((s) => (s.coordinate.kind === 'store' ? [s.coordinate] : []));
    const sops = group.flatMap((s) => (s.coordinate.kind === 'sops' ? [s.coordinate] : []));
    if (stores.length > 0) await readStore(ctx, provider, stores, sink, out, failures, opts.signal);
    if (sops.length > 0) await readSops(ctx, provider, sops, sink, out, failures, opts.signal);
    done += group.length;
    opts.onProgress?.({ done, total: secrets.length, label: `values: ${provider}` });
  }
  out.problems.push(...failures.findings());
  return out;
}

/**
 * The store one provider's coordinates live in (they share it), or the configuration error the registry gives
 * for it (the value reader reports it once; the age reader then skips the store); undefined for no coordinates.
 */
export function storeOf(ctx: OperationContext, coords: readonly StoreCoordinate[]): SecretStore | AppError | undefined {
  const first = coords[0];
  if (!first) return undefined;
  try {
    return ctx.registry.secretStore(first.store);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return e;
  }
}

async function readStore(
  ctx: OperationContext,
  provider: string,
  coords: readonly StoreCoordinate[],
  sink: ValueSink,
  out: ReadOutcome,
  failures: BackendFailures,
  signal: AbortSignal | undefined,
): Promise<void> {
  const store = storeOf(ctx, coords);
  if (store === undefined) return;
  if (store instanceof AppError) {
    failures.add(provider, store, coords.length);
    for (const c of coords) out.unchecked.add(c.key);
    return;
  }
  const found = (c: StoreCoordinate, value: string): void => {
    ctx.remember(value);
    out.present.add(c.key);
    sink(c.key, value);
  };
  try {
    if (store.getMany) {
      // A store whose one call reads everything (the keychain) gets one call; others, chunks of READ_CHUNK.
      const size = Math.max(READ_CHUNK, store.capabilities.batchSize);
      for (let i = 0; i < coords.length; i += size) {
        throwIfCancelled(signal);
        const chunk = coords.slice(i, i + size);
        const results = await store.getMany(chunk.map((c) => c.path));
        results.forEach((r, j) => {
          const c = chunk[j];
          if (c && r.found) found(c, r.value);
        });
      }
      return;
    }
    // No batch read: list what is there once for the whole store (the keychain: one listing), then read only those.
    let candidates: readonly StoreCoordinate[] = coords;
    if (store.statusMany) {
      const statuses = await store.statusMany(coords.map((c) => c.path));
      candidates = coords.filter((_, j) => statuses[j] === 'initialized');
    }
    await mapBounded(
      candidates,
      SINGLE_READS,
      async (c) => {
        try {
          found(c, await store.get(c.path));
        } catch (e) {
          if (!isSecretNotFound(e)) throw e;
        }
      },
      signal,
    );
  } catch (e) {
    if (codeOf(e) === 'CANCELLED' || !(e instanceof AppError)) throw e;
    // The store is down or refuses us: what it did not answer is not asked again; one finding says so.
    const rest = coords.filter((c) => !out.present.has(c.key));
    failures.add(provider, e, rest.length);
    for (const c of rest) out.unchecked.add(c.key);
  }
}

async function readSops(
  ctx: OperationContext,
  provider: string,
  coords: readonly SopsCoordinate[],
  sink: ValueSink,
  out: ReadOutcome,
  failures: BackendFailures,
  signal: AbortSignal | undefined,
): Promise<void> {
  const backend = ctx.backends.sops;
  const statuses = backend.statusMany
    ? await backend.statusMany(coords)
    : coords.map(() => ({ ok: true as const, status: 'initialized' as const }));
  // A file that cannot be opened fails once, not once per key in it.
  const failedFiles = new Set<string>();
  for (const [j, c] of coords.entries()) {
    throwIfCancelled(signal);
    const st = statuses[j];
    if (!st) continue;
    if (!st.ok) {
      failures.add(provider, st.error, 1);
      out.unchecked.add(c.key);
      continue;
    }
    if (st.status !== 'initialized') continue;
    if (failedFiles.has(c.absoluteFile)) {
      out.unchecked.add(c.key);
      continue;
    }
    try {
      // The backend's own get (it remembers the value for the redactor); each decrypts the file: SOPS is local.
      const value = await backend.get(c);
      out.present.add(c.key);
      sink(c.key, value);
    } catch (e) {
      if (isSecretNotFound(e)) continue;
      if (!(e instanceof AppError) || e.code === 'CANCELLED') throw e;
      failures.add(provider, e, 1);
      failedFiles.add(c.absoluteFile);
      out.unchecked.add(c.key);
    }
  }
}
