// Rotation of one declared secret, seen whole and verified:
//   1. the new value is generated here in main (crypto randomness, a bounded length and alphabet) or given;
//   2. everyone it reaches is shown (the confirmation of a stack or global secret lists them);
//   3. the previous value is kept (a version id where the store can read one back, else in memory for the
//      operation), then the value is written once;
//   4. each consumer's own resolution is read back (one batched read per store) and marked ok or failed.
// A failed verification rolls back when the caller asks (the CLI), or hands back a roll-back handle (the app).
// Also: the consumers report (list and graph) and a secret's rotation age.
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import {
  ALPHABETS as SHARED_ALPHABETS,
  entropyBitsOf,
  GENERATE_BOUNDS,
  MIN_ENTROPY_BITS,
} from '../../../shared/ipc/rotate-contract';
import { isSecretNotFound, type SecretStore } from '../../stores';
import { mapBounded } from '../../stores/bounded';
import { readOptional, withBackend } from '../backends/backend';
import {
  describeCoordinate,
  type SecretCoordinate,
  type SopsCoordinate,
  type StoreCoordinate,
} from '../model/coordinates';
import { consumersByStack, resolveConsumer, type Consumer, type ConsumerStack } from '../model/consumers';
import { resolveTarget, type SecretTarget } from '../model/targets';
import { ageAgainst, currentVersionTime } from '../health/age';
import { secretHistory, type HistoryReport } from './history';
import {
  confirmOrStop,
  reachText,
  sharedReach,
  throwIfCancelled,
  type Confirmable,
  type LongRunning,
  type OperationContext,
} from './operation-context';
import { checkSize, targetInfo, type TargetInfo } from './values';

// ---------------------------------------------------------------------------------------------------------------
// Generating a value

/** Named alphabets (the contract's); any other text given as an alphabet is taken as the characters themselves. */
export const ALPHABETS = SHARED_ALPHABETS;
export type AlphabetName = keyof typeof ALPHABETS;
export const ALPHABET_NAMES = Object.keys(ALPHABETS) as AlphabetName[];

/** The IPC contract's bounds (one source for app and CLI), and the floor of a generated value's strength. */
export const GENERATE_LIMITS = {
  ...GENERATE_BOUNDS,
  minEntropyBits: MIN_ENTROPY_BITS,
} as const;

function isAlphabetName(s: string): s is AlphabetName {
  return Object.prototype.hasOwnProperty.call(ALPHABETS, s);
}

/**
 * The characters of an alphabet: a name from ALPHABETS, or the characters themselves (printable ASCII without
 * space, each once, at least 2). Printable ASCII only, so a generated value survives every backend, shell and
 * .env file unchanged.
 */
export function alphabetChars(spec: string): string {
  if (isAlphabetName(spec)) return ALPHABETS[spec];
  if (!/^[\x21-\x7e]{2,94}$/.test(spec)) {
    throw new AppError('BAD_REQUEST', 'an alphabet is a name or 2 to 94 printable ASCII characters without spaces', {
      hint: `Use one of ${ALPHABET_NAMES.join(', ')}, or the characters themselves (e.g. 0123456789abcdef).`,
    });
  }
  const unique = new Set(spec);
  if (unique.size !== spec.length) {
    throw new AppError('BAD_REQUEST', 'an alphabet lists each character once', {
      hint: `Remove the repeated characters, or use one of ${ALPHABET_NAMES.join(', ')}.`,
    });
  }
  return spec;
}

export interface GenerateSpec {
  readonly length: number;
  /** A name from ALPHABETS or the characters themselves. */
  readonly alphabet: string;
}

/** Bits of entropy of a generated value. */
export function entropyBits(spec: GenerateSpec): number {
  return entropyBitsOf(spec.length, alphabetChars(spec.alphabet).length);
}

/** Refuses a length or alphabet out of bounds, or a value too easy to guess; before anything is generated. */
export function checkGenerateSpec(spec: GenerateSpec): void {
  const { minLength, maxLength, minEntropyBits } = GENERATE_LIMITS;
  if (!Number.isInteger(spec.length) || spec.length < minLength || spec.length > maxLength) {
    throw new AppError(
      'BAD_REQUEST',
      `a generated value's length is a whole number from ${minLength} to ${maxLength}`,
      {
        hint: `Pass a length between ${minLength} and ${maxLength} (default ${GENERATE_LIMITS.defaultLength}).`,
      },
    );
  }
  const bits = entropyBits(spec);
  if (bits < minEntropyBits) {
    throw new AppError(
      'BAD_REQUEST',
      `${spec.length} characters of that alphabet give ${bits} bits of entropy; at least ${minEntropyBits} are needed`,
      { hint: 'Choose a longer length or a larger alphabet.' },
    );
  }
}

/** A random value: each character drawn uniformly (crypto.randomInt has no modulo bias) from the alphabet. */
export function generateValue(spec: GenerateSpec): string {
  checkGenerateSpec(spec);
  const chars = alphabetChars(spec.alphabet);
  let out = '';
  for (let i = 0; i < spec.length; i++) out += chars[randomInt(chars.length)];
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Consumers

export interface ConsumerPlace extends Consumer {
  /** Where this consumer's own resolution places the value, in words (never the value). */
  readonly where: string;
}

export interface ConsumersReport {
  readonly target: TargetInfo;
  /** Sorted by stack, then component; an instance secret has one: its component. */
  readonly consumers: readonly ConsumerPlace[];
  /** The same, as the graph draws it: secret -> stacks -> components. */
  readonly stacks: readonly ConsumerStack[];
  /** Components left out because their configuration does not load (validate reports them). */
  readonly skipped: readonly { readonly stack: string; readonly component: string; readonly message: string }[];
}

function consumersOfTarget(ctx: OperationContext, t: ReturnType<typeof resolveTarget>): Consumer[] {
  if (t.secret.declaration.scope === 'instance') {
    return [{ stack: t.stack, component: t.component.component, secret: t.secret.name, scope: 'instance' }];
  }
  return [...ctx.consumers.consumersOf(t.secret.coordinate).consumers];
}

/** Every stack and component that resolves to the secret's backend path, with that path. No backend call. */
export function consumersReport(ctx: OperationContext, target: SecretTarget): ConsumersReport {
  const t = resolveTarget(ctx, target);
  const consumers = consumersOfTarget(ctx, t);
  const where = describeCoordinate(t.secret.coordinate);
  return {
    target: targetInfo(t),
    consumers: consumers.map((c) => ({ ...c, where })),
    stacks: consumersByStack(consumers),
    skipped: ctx.consumers.skipped.map((s) => ({ stack: s.stack, component: s.component, message: s.error.message })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Keeping the previous value, and rolling back

/** What was there before the rotation: a version the store can read back, a value held in memory, or nothing. */
type Previous =
  | { readonly kind: 'version'; readonly version: string }
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'absent' };

export type RollbackMethod = 'version' | 'value' | 'delete';

export interface RollbackOutcome {
  readonly method: RollbackMethod;
  /** What was done, in words (never a value). */
  readonly message: string;
}

/** Raised when a roll-back finds a value neither the rotation wrote nor its verification saw: someone wrote since. */
export class RollbackConflictError extends AppError {
  constructor(secret: string, where: string) {
    super(
      'VALIDATION_FAILED',
      `secret "${secret}" changed in ${where} since the rotation; the roll back was not done`,
      {
        hint: 'Look at its history and set the value you want.',
      },
    );
  }
}

/**
 * Restores what was there before a rotation. It holds the previous value only where the store cannot read an
 * earlier version back (the keychain, SOPS), and only as long as the caller keeps the handle.
 */
export interface RollbackHandle {
  readonly method: RollbackMethod;
  /** The version restored from, where the store keeps versions. */
  readonly previousVersion: string | undefined;
  /**
   * Restores the previous value. With `checkUnchanged` (a roll back asked for later, from the app) it first reads
   * the current value and refuses (RollbackConflictError) unless it is the one the rotation wrote or saw.
   */
  restore(o?: {
    readonly checkUnchanged?: boolean;
    readonly signal?: AbortSignal | undefined;
  }): Promise<RollbackOutcome>;
}

function storeOf(ctx: OperationContext, c: StoreCoordinate): SecretStore {
  return ctx.registry.secretStore(c.store);
}

function readsVersions(store: SecretStore): boolean {
  return store.capabilities.versions && store.versions !== undefined && store.getVersion !== undefined;
}

async function keepPrevious(ctx: OperationContext, c: SecretCoordinate): Promise<Previous> {
  if (c.kind === 'store') {
    const store = storeOf(ctx, c);
    if (readsVersions(store) && store.versions) {
      try {
        const versions = await store.versions(c.path);
        const current = versions.find((v) => v.current) ?? versions[0];
        if (current) return { kind: 'version', version: current.version };
      } catch (e) {
        if (!isSecretNotFound(e)) throw e;
      }
      return { kind: 'absent' };
    }
  }
  // No version to go back to: the value itself, for this operation only.
  const value = await readOptional(ctx.backends, c);
  return value === undefined ? { kind: 'absent' } : { kind: 'value', value };
}

function methodOf(p: Previous): RollbackMethod {
  switch (p.kind) {
    case 'version':
      return 'version';
    case 'value':
      return 'value';
    case 'absent':
      return 'delete';
    default: {
      const never: never = p;
      throw new AppError('INTERNAL', `unexpected previous ${String(never)}`);
    }
  }
}

/** A keyed digest, so the handle can recognise values without keeping the new one (the key never leaves it). */
function digester(): (value: string) => string {
  const key = randomBytes(32);
  return (value) => createHmac('sha256', key).update(value, 'utf8').digest('base64');
}

function rollbackHandle(
  ctx: OperationContext,
  secret: string,
  c: SecretCoordinate,
  previous: Previous,
  expected: ReadonlySet<string>,
  digest: (value: string) => string,
): RollbackHandle {
  const where = describeCoordinate(c);
  return {
    method: methodOf(previous),
    previousVersion: previous.kind === 'version' ? previous.version : undefined,
    restore: async (o = {}) => {
      throwIfCancelled(o.signal);
      if (o.checkUnchanged) {
        const now = await readOptional(ctx.backends, c);
        if (now === undefined || !expected.has(digest(now))) throw new RollbackConflictError(secret, where);
      }
      throwIfCancelled(o.signal);
      switch (previous.kind) {
        case 'version': {
          if (c.kind !== 'store') throw new AppError('INTERNAL', 'a version roll back needs a store coordinate');
          const store = storeOf(ctx, c);
          if (!store.getVersion) throw new AppError('INTERNAL', `store "${c.store}" cannot read a version`);
          const value = await store.getVersion(c.path, previous.version);
          ctx.remember(value);
          await withBackend(ctx.backends, c, (b, x) => b.set(x, value));
          return {
            method: 'version',
            message: `restored version ${previous.version} of ${secret} as a new current version in ${where}`,
          };
        }
        case 'value':
          await withBackend(ctx.backends, c, (b, x) => b.set(x, previous.value));
          return { method: 'value', message: `restored the previous value of ${secret} in ${where}` };
        case 'absent':
          await withBackend(ctx.backends, c, (b, x) => b.delete(x));
          return { method: 'delete', message: `${secret} had no value before; deleted the new one from ${where}` };
        default: {
          const never: never = previous;
          throw new AppError('INTERNAL', `unexpected previous ${String(never)}`);
        }
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Verification

export type CheckStatus = 'ok' | 'mismatch' | 'missing' | 'elsewhere' | 'error' | 'skipped';

export interface ConsumerCheck {
  readonly stack: string;
  readonly component: string;
  readonly status: CheckStatus;
  /** Where this consumer's own resolution reads the value. */
  readonly where: string;
  /** Why it is not ok, in words (never a value). */
  readonly detail: string | undefined;
}

/** A backend that failed the read-back: reported once per store or provider, not once per consumer. */
export interface VerifyFailure {
  readonly provider: string;
  readonly code: string;
  readonly message: string;
}

type ReadOutcome =
  { readonly ok: true; readonly value: string | undefined } | { readonly ok: false; readonly error: AppError };

/** How many single reads run at once on a backend without a batch read. */
const SINGLE_READ_CONCURRENCY = 8;

async function readStoreGroup(
  ctx: OperationContext,
  cs: readonly StoreCoordinate[],
  signal: AbortSignal | undefined,
): Promise<(string | undefined)[]> {
  const first = cs[0];
  if (!first) return [];
  const store = storeOf(ctx, first);
  if (store.getMany) {
    const size = Math.max(1, store.capabilities.batchSize);
    const out: (string | undefined)[] = [];
    for (let i = 0; i < cs.length; i += size) {
      throwIfCancelled(signal);
      const results = await store.getMany(cs.slice(i, i + size).map((c) => c.path));
      for (const r of results) out.push(r.found ? r.value : undefined);
    }
    return out;
  }
  return mapBounded(cs, SINGLE_READ_CONCURRENCY, (c) => readOptional(ctx.backends, c), signal);
}

function readSopsGroup(
  ctx: OperationContext,
  cs: readonly SopsCoordinate[],
  signal: AbortSignal | undefined,
): Promise<(string | undefined)[]> {
  // The SOPS backend decrypts a file once per read; coordinates are distinct keys, usually of one file.
  return mapBounded(cs, SINGLE_READ_CONCURRENCY, (c) => readOptional(ctx.backends, c), signal);
}

/**
 * Reads each distinct coordinate once, grouped by store or provider (one batched read per store where it has
 * one). A group that fails is one failure for all its coordinates.
 */
async function readBack(
  ctx: OperationContext,
  coordinates: readonly SecretCoordinate[],
  o: LongRunning & { readonly step: () => void },
): Promise<Map<string, ReadOutcome>> {
  const groups = new Map<string, SecretCoordinate[]>();
  for (const c of coordinates) {
    const list = groups.get(c.provider);
    if (list) list.push(c);
    else groups.set(c.provider, [c]);
  }
  const out = new Map<string, ReadOutcome>();
  for (const group of groups.values()) {
    throwIfCancelled(o.signal);
    try {
      const stores = group.filter((c): c is StoreCoordinate => c.kind === 'store');
      const sops = group.filter((c): c is SopsCoordinate => c.kind === 'sops');
      const values =
        stores.length > 0 ? await readStoreGroup(ctx, stores, o.signal) : await readSopsGroup(ctx, sops, o.signal);
      const ordered = stores.length > 0 ? stores : sops;
      ordered.forEach((c, i) => {
        const v = values[i];
        if (v !== undefined) ctx.remember(v);
        out.set(c.key, { ok: true, value: v });
      });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      if (e.code === 'CANCELLED') throw e;
      for (const c of group) out.set(c.key, { ok: false, error: e });
    }
    o.step();
  }
  return out;
}

export interface VerificationReport {
  readonly checks: readonly ConsumerCheck[];
  readonly failures: readonly VerifyFailure[];
  /** Every check is ok. */
  readonly ok: boolean;
  /** Digests of the values the read-back saw (for a later roll back's check). */
  readonly seen: readonly string[];
}

/**
 * Re-reads the secret through each consumer's own resolution and compares it with `value`. Consumers sharing a
 * coordinate share one read; reads are batched per store. A consumer whose resolution now reaches another
 * coordinate than `written` is marked `elsewhere` (its own value is not what was rotated).
 */
export async function verifyConsumers(
  ctx: OperationContext,
  consumers: readonly Consumer[],
  written: SecretCoordinate,
  value: string,
  o: LongRunning & { readonly digest?: (value: string) => string } = {},
): Promise<VerificationReport> {
  const resolutions = consumers.map((c) => ({ consumer: c, r: resolveConsumer(ctx.index, c) }));
  const distinct = new Map<string, SecretCoordinate>();
  for (const { r } of resolutions) if (r.kind === 'placed') distinct.set(r.coordinate.key, r.coordinate);
  const providers = new Set([...distinct.values()].map((c) => c.provider)).size;
  let done = 0;
  const total = providers;
  o.onProgress?.({ done, total, label: 'verifying' });
  const reads = await readBack(ctx, [...distinct.values()], {
    signal: o.signal,
    step: () => o.onProgress?.({ done: ++done, total, label: 'verifying' }),
  });
  const failures = new Map<string, VerifyFailure>();
  const seen = new Set<string>();
  const checks = resolutions.map(({ consumer, r }): ConsumerCheck => {
    const base = { stack: consumer.stack, component: consumer.component };
    switch (r.kind) {
      case 'undeclared':
        return { ...base, status: 'elsewhere', where: '', detail: `no longer declares ${consumer.secret}` };
      case 'error':
        return { ...base, status: 'error', where: '', detail: r.error.message };
      case 'placed': {
        const where = describeCoordinate(r.coordinate);
        if (r.coordinate.key !== written.key) {
          return { ...base, status: 'elsewhere', where, detail: `reads ${where}, not ${describeCoordinate(written)}` };
        }
        const read = reads.get(r.coordinate.key);
        if (!read) throw new AppError('INTERNAL', 'a consumer coordinate was not read back');
        if (!read.ok) {
          failures.set(r.coordinate.provider, {
            provider: r.coordinate.provider,
            code: read.error.code,
            message: read.error.message,
          });
          return {
            ...base,
            status: 'error',
            where,
            detail: `${r.coordinate.provider} could not be read (${read.error.code})`,
          };
        }
        if (read.value === undefined) return { ...base, status: 'missing', where, detail: 'no value found there' };
        if (o.digest) seen.add(o.digest(read.value));
        return read.value === value
          ? { ...base, status: 'ok', where, detail: undefined }
          : { ...base, status: 'mismatch', where, detail: 'reads a different value than the one written' };
      }
      default: {
        const never: never = r;
        throw new AppError('INTERNAL', `unexpected resolution ${String(never)}`);
      }
    }
  });
  return { checks, failures: [...failures.values()], ok: checks.every((c) => c.status === 'ok'), seen: [...seen] };
}

// ---------------------------------------------------------------------------------------------------------------
// Rotate

export type NewValue =
  | { readonly kind: 'given'; readonly value: string }
  | { readonly kind: 'generate'; readonly length: number; readonly alphabet: string };

export interface RotateRequest extends SecretTarget, Confirmable, LongRunning {
  readonly value: NewValue;
  /** Read back through every consumer (default true). */
  readonly verify?: boolean | undefined;
  /** Roll back at once when a consumer fails verification (the CLI); else the result offers it (the app). */
  readonly rollbackOnFailure?: boolean | undefined;
}

export interface RotateResult {
  readonly target: TargetInfo;
  readonly consumers: readonly ConsumerPlace[];
  readonly stacks: number;
  readonly generated: boolean;
  /** Of a generated value. */
  readonly entropyBits: number | undefined;
  /** The read-back ran to its end. */
  readonly verified: boolean;
  /** The read-back was cancelled after the write (the write stands; checks are `skipped`). */
  readonly verifyCancelled: boolean;
  readonly checks: readonly ConsumerCheck[];
  readonly failures: readonly VerifyFailure[];
  /** Verification ran and every consumer is ok (false when it did not run). */
  readonly ok: boolean;
  /** How the previous value can be restored; undefined once rolled back. */
  readonly rollback: RollbackHandle | undefined;
  /** The automatic roll back after a failed verification, when asked for. */
  readonly rolledBack: RollbackOutcome | undefined;
  /** Why an automatic roll back was asked for but failed (the new value stays). */
  readonly rollbackError: string | undefined;
}

function newValueOf(v: NewValue): { value: string; generated: boolean; bits: number | undefined } {
  switch (v.kind) {
    case 'given':
      return { value: v.value, generated: false, bits: undefined };
    case 'generate': {
      const spec = { length: v.length, alphabet: v.alphabet };
      return { value: generateValue(spec), generated: true, bits: entropyBits(spec) };
    }
    default: {
      const never: never = v;
      throw new AppError('INTERNAL', `unexpected value source ${String(never)}`);
    }
  }
}

export async function rotateSecret(ctx: OperationContext, req: RotateRequest): Promise<RotateResult> {
  const t = resolveTarget(ctx, req);
  const c = t.secret.coordinate;
  const { value, generated, bits } = newValueOf(req.value);
  ctx.remember(value);
  checkSize(ctx, c, value);
  const report = consumersReport(ctx, req);
  const items = sharedReach(ctx, t);
  await confirmOrStop(
    ctx,
    {
      operation: 'set',
      items,
      message: `rotate ${t.secret.name} (${t.secret.declaration.scope}) changes the value for ${reachText(items)}`,
    },
    req.confirm,
  );
  const verify = req.verify !== false;
  const progress = (done: number, label: string): void => req.onProgress?.({ done, total: verify ? 3 : 2, label });
  throwIfCancelled(req.signal);
  progress(0, 'keeping the previous value');
  const previous = await keepPrevious(ctx, c);
  throwIfCancelled(req.signal);
  progress(1, 'writing');
  await withBackend(ctx.backends, c, (b, x) => b.set(x, value));
  progress(2, 'written');

  const digest = digester();
  const expected = new Set([digest(value)]);
  const consumers = consumersOfTarget(ctx, t);
  const base = {
    target: targetInfo(t),
    consumers: report.consumers,
    stacks: report.stacks.length,
    generated,
    entropyBits: bits,
  };
  if (!verify) {
    return {
      ...base,
      verified: false,
      verifyCancelled: false,
      checks: [],
      failures: [],
      ok: false,
      rollback: rollbackHandle(ctx, t.secret.name, c, previous, expected, digest),
      rolledBack: undefined,
      rollbackError: undefined,
    };
  }
  let v: VerificationReport;
  try {
    // The write stands whatever happens now: a cancelled read-back is reported, never an error that hides it.
    v = await verifyConsumers(ctx, consumers, c, value, { signal: req.signal, digest });
  } catch (e) {
    if (!(e instanceof AppError && e.code === 'CANCELLED')) throw e;
    return {
      ...base,
      verified: false,
      verifyCancelled: true,
      checks: report.consumers.map((x) => ({
        stack: x.stack,
        component: x.component,
        status: 'skipped' as const,
        where: x.where,
        detail: 'verification was cancelled',
      })),
      failures: [],
      ok: false,
      rollback: rollbackHandle(ctx, t.secret.name, c, previous, expected, digest),
      rolledBack: undefined,
      rollbackError: undefined,
    };
  }
  progress(3, 'verified');
  for (const s of v.seen) expected.add(s);
  const handle = rollbackHandle(ctx, t.secret.name, c, previous, expected, digest);
  if (v.ok || req.rollbackOnFailure !== true) {
    return {
      ...base,
      verified: true,
      verifyCancelled: false,
      ...v,
      rollback: handle,
      rolledBack: undefined,
      rollbackError: undefined,
    };
  }
  try {
    const rolledBack = await handle.restore();
    return {
      ...base,
      verified: true,
      verifyCancelled: false,
      ...v,
      rollback: undefined,
      rolledBack,
      rollbackError: undefined,
    };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return {
      ...base,
      verified: true,
      verifyCancelled: false,
      ...v,
      rollback: handle,
      rolledBack: undefined,
      rollbackError: e.message,
    };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rotation age

export const DEFAULT_ROTATION_MAX_AGE_DAYS = 90;

export interface RotationAge {
  /** ISO 8601: when the current value was written, where the backend says. */
  readonly lastChanged: string | undefined;
  /** Where the date comes from: the store's versions, the SOPS file's lastmodified, or nowhere. */
  readonly source: 'versions' | 'sops-lastmodified' | 'unknown';
  readonly ageDays: number | undefined;
  readonly maxAgeDays: number;
  /** Older than maxAgeDays. */
  readonly overdue: boolean;
}

/**
 * The age of the current value, from a history report, against a maximum age in days: the current version and
 * the age rule are audit's (health/age.ts), so the history panel and `audit`'s stale findings always agree.
 */
export function ageOf(h: HistoryReport, now: Date, maxAgeDays: number): RotationAge {
  if (!Number.isInteger(maxAgeDays) || maxAgeDays < 1) {
    throw new AppError('BAD_REQUEST', 'the maximum rotation age is a whole number of days, at least 1');
  }
  const lastChanged = currentVersionTime(h.versions);
  if (lastChanged === undefined) {
    return { lastChanged, source: 'unknown', ageDays: undefined, maxAgeDays, overdue: false };
  }
  const { days, overdue } = ageAgainst(new Date(lastChanged), now, maxAgeDays);
  const source = h.target.provider.startsWith('sops:') ? 'sops-lastmodified' : 'versions';
  return { lastChanged, source, ageDays: days, maxAgeDays, overdue };
}

export interface RotationHistory {
  readonly history: HistoryReport;
  readonly age: RotationAge;
}

/** The secret's history (never a value) and its rotation age against `maxAgeDays`. */
export async function rotationHistory(
  ctx: OperationContext,
  target: SecretTarget,
  maxAgeDays: number = DEFAULT_ROTATION_MAX_AGE_DAYS,
): Promise<RotationHistory> {
  const history = await secretHistory(ctx, target);
  return { history, age: ageOf(history, ctx.clock(), maxAgeDays) };
}
