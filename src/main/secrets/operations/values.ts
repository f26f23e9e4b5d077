// set / get / delete of one declared secret. Oversized values are refused before any backend call; a change
// to a stack or global secret first reports how many stacks and components it reaches and needs confirmation.
import type { SecretScope } from '../../stores';
import { queryPath } from '../../config';
import { AppError } from '../../../shared/errors';
import { utf8Bytes, ValueTooLargeError } from '../../stores';
import { readOptionalValue, withBackend } from '../backends/backend';
import { describeCoordinate, type SecretCoordinate } from '../model/coordinates';
import type { ConsumerSummary } from '../model/consumers';
import { notInitializedError, type SecretPlace } from '../model/references';
import {
  confirmOrStop,
  reachItem,
  reachText,
  sharedReach,
  throwIfCancelled,
  type Confirmable,
  type OperationContext,
} from './operation-context';
import { resolveTarget, type ResolvedTarget, type SecretTarget } from '../model/targets';

/** What a target resolves to, for confirmations, plans and the app's detail pane (never a value). */
export interface TargetInfo {
  readonly stack: string;
  /** The component asked for (or the one the shared declaration was taken from). */
  readonly component: string;
  readonly secret: string;
  readonly scope: SecretScope;
  readonly provider: string;
  readonly where: string;
  readonly required: boolean;
  readonly description: string | undefined;
  readonly identity: string | undefined;
}

export function targetInfo(t: ResolvedTarget): TargetInfo {
  const d = t.secret.declaration;
  return {
    stack: t.stack,
    component: t.component.component,
    secret: t.secret.name,
    scope: d.scope,
    provider: t.secret.coordinate.provider,
    where: describeCoordinate(t.secret.coordinate),
    required: d.required,
    description: d.description,
    identity: t.secret.coordinate.identity.name,
  };
}

/** The target as a place for hints (`set` commands that work as printed). */
export function placeOf(t: ResolvedTarget): SecretPlace {
  return { name: t.secret.name, stack: t.stack, component: t.component.component, scope: t.secret.declaration.scope };
}

export function consumersOf(ctx: OperationContext, target: SecretTarget): ConsumerSummary {
  return ctx.consumers.consumersOf(resolveTarget(ctx, target).secret.coordinate);
}

/**
 * Refuses a value no backend should take, before any call: one with a NUL character (it cannot reach a child's
 * environment, and a spawn error would echo it escaped), or one over the backend's limit. The error states the
 * rule, never the value.
 */
export function checkSize(ctx: OperationContext, c: SecretCoordinate, value: string): void {
  if (value.includes('\0')) {
    throw new AppError('BAD_REQUEST', `the value for secret "${c.path.name}" contains a NUL character`, {
      hint: 'Secret values are text without NUL; encode binary data (e.g. base64) before setting it.',
    });
  }
  const limit = withBackend(ctx.backends, c, (b, x) => b.maxValueBytes(x));
  if (limit !== undefined && utf8Bytes(value) > limit) {
    const store = c.kind === 'store' ? c.store : c.providerName;
    const where = c.kind === 'store' ? `the ${c.storeKind} backend` : `SOPS provider "${c.providerName}"`;
    throw new ValueTooLargeError({ secret: c.path.name, store }, limit, where);
  }
}

export interface SetRequest extends SecretTarget, Confirmable {
  /** Empty is allowed. */
  readonly value: string;
  readonly signal?: AbortSignal | undefined;
}

export interface ChangeResult {
  readonly target: TargetInfo;
  /** Stacks and components the change reached (1 component for an instance secret). */
  readonly stacks: number;
  readonly components: number;
}

function reach(ctx: OperationContext, t: ResolvedTarget): { stacks: number; components: number } {
  const s = ctx.consumers.consumersOf(t.secret.coordinate);
  return { stacks: Math.max(1, s.stacks.length), components: Math.max(1, s.consumers.length) };
}

export async function setSecret(ctx: OperationContext, req: SetRequest): Promise<ChangeResult> {
  const t = resolveTarget(ctx, req);
  const c = t.secret.coordinate;
  checkSize(ctx, c, req.value);
  const items = sharedReach(ctx, t);
  await confirmOrStop(
    ctx,
    {
      operation: 'set',
      items,
      message: `set ${t.secret.name} (${t.secret.declaration.scope}) changes the value for ${reachText(items)}`,
    },
    req.confirm,
  );
  throwIfCancelled(req.signal);
  await withBackend(ctx.backends, c, (b, x) => b.set(x, req.value));
  return { target: targetInfo(t), ...reach(ctx, t) };
}

export interface GetRequest extends SecretTarget {
  /** A yq-style path into a JSON value. */
  readonly path?: string | undefined;
}

export async function getSecret(ctx: OperationContext, req: GetRequest): Promise<GetResult> {
  const t = resolveTarget(ctx, req);
  const stored = await readOptionalValue(ctx.backends, t.secret.coordinate);
  if (stored === undefined) throw notInitializedError(t.secret.name, undefined, placeOf(t));
  if (req.path === undefined) {
    return {
      target: targetInfo(t),
      value: stored.text,
      ...(stored.structured !== undefined ? { structured: stored.structured } : {}),
    };
  }
  let doc: unknown = stored.structured;
  if (doc === undefined) {
    try {
      doc = JSON.parse(stored.text);
    } catch {
      throw new AppError('BAD_REQUEST', `secret "${t.secret.name}" is not JSON, so --path cannot select from it`);
    }
  }
  const picked = queryPath(doc, req.path);
  if (picked === null || picked === undefined)
    throw new AppError('SECRET_NOT_FOUND', `secret "${t.secret.name}" has nothing at ${req.path}`);
  if (typeof picked === 'string') return { target: targetInfo(t), value: picked };
  // A map or list picked out of the value is structured too; a number or boolean prints as its JSON text.
  const structured = typeof picked === 'object' ? { structured: picked } : {};
  return { target: targetInfo(t), value: JSON.stringify(picked), ...structured };
}

export interface GetResult {
  readonly target: TargetInfo;
  /** The value as text (a map or list: its JSON text). */
  readonly value: string;
  /** A map or list (a SOPS file's, or picked by `path`) as JSON-shaped data, for JSON output. */
  readonly structured?: unknown;
}

export interface DeleteRequest extends SecretTarget, Confirmable {
  readonly signal?: AbortSignal | undefined;
}

/** A deletion the backend only scheduled (Secrets Manager): its window and, from the backend's answer, its end. */
export interface RecoveryWindow {
  /** 0: deleted at once, without recovery. */
  readonly days: number;
  /** ISO time the backend gave (DeletionDate): recoverable until then; undefined when it did not say. */
  readonly recoverableUntil: string | undefined;
}

export interface DeleteResult extends ChangeResult {
  readonly deleted: boolean;
  /** Present when the backend schedules deletions (Secrets Manager) and something was deleted. */
  readonly recovery?: RecoveryWindow | undefined;
}

/** Deletes at the coordinate; a store that schedules deletions says until when the value can be recovered. */
async function deleteAt(
  ctx: OperationContext,
  c: SecretCoordinate,
): Promise<{ deleted: boolean; recovery?: RecoveryWindow }> {
  if (c.kind === 'store') {
    const store = ctx.registry.secretStore(c.store);
    if (store.deleteWithRecovery) {
      const d = await store.deleteWithRecovery(c.path);
      return d.deleted
        ? { deleted: true, recovery: { days: d.recoveryWindowDays, recoverableUntil: d.deletionDate?.toISOString() } }
        : { deleted: false };
    }
  }
  return { deleted: await withBackend(ctx.backends, c, (b, x) => b.delete(x)) };
}

export async function deleteSecret(ctx: OperationContext, req: DeleteRequest): Promise<DeleteResult> {
  const t = resolveTarget(ctx, req);
  // Deleting is confirmed even for one component's value (as Atmos does); shared ones list every consumer.
  const items = [reachItem(ctx, t.secret, t.stack, t.component.component)];
  await confirmOrStop(
    ctx,
    {
      operation: 'delete',
      items,
      message: `delete ${t.secret.name} (${t.secret.declaration.scope}) removes the value for ${reachText(items)}`,
    },
    req.confirm,
  );
  throwIfCancelled(req.signal);
  const outcome = await deleteAt(ctx, t.secret.coordinate);
  return { target: targetInfo(t), ...outcome, ...reach(ctx, t) };
}
