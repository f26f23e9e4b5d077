// The rotation channels: a secret's consumers, rotate (value generated here or typed by the person), roll back by
// an id this module keeps, and the rotation history with the age the settings allow. A roll back handle holds the
// previous value (or version id) in main only, for a limited time; the renderer gets an opaque id.
import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { RotateValue } from '../../shared/ipc/rotate-contract';
import { RollbackConflictError, STACK_WIDE, type NewValue, type RollbackHandle, type SecretTarget } from '../secrets';
import type { AppServices } from '../services';
import type { Handlers } from './router';

type RotateChannels = 'rotate:consumers' | 'rotate:run' | 'rotate:rollback' | 'rotate:history';

/** How long a rotation can be rolled back from the app, and how many rotations are kept at once. */
export const ROLLBACK_TTL_MS = 15 * 60 * 1000;
const MAX_HANDLES = 32;

/** The contract's target (`secret`, component `*` for a stack-level row) as the service's. */
function target(req: { stack: string; component?: string | undefined; secret: string }): SecretTarget {
  return {
    stack: req.stack,
    name: req.secret,
    component: req.component && req.component !== STACK_WIDE ? req.component : undefined,
  };
}

function newValue(v: RotateValue): NewValue {
  switch (v.kind) {
    case 'given':
      return { kind: 'given', value: v.value };
    case 'generate':
      return { kind: 'generate', length: v.length, alphabet: v.alphabet };
    default: {
      const never: never = v;
      throw new AppError('INTERNAL', `unexpected value ${String(never)}`);
    }
  }
}

/** Roll back handles by id, each for ROLLBACK_TTL_MS; the oldest goes first when MAX_HANDLES are held. */
export class RollbackHandles {
  private readonly handles = new Map<string, { readonly handle: RollbackHandle; readonly expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  keep(handle: RollbackHandle): string {
    this.sweep();
    while (this.handles.size >= MAX_HANDLES) {
      const oldest = this.handles.keys().next().value;
      if (oldest === undefined) break;
      this.handles.delete(oldest);
    }
    const id = randomBytes(18).toString('base64url');
    this.handles.set(id, { handle, expires: this.now() + ROLLBACK_TTL_MS });
    return id;
  }

  /** The handle; BAD_REQUEST when it expired or was used. */
  get(id: string): RollbackHandle {
    this.sweep();
    const held = this.handles.get(id);
    if (!held) {
      throw new AppError(
        'BAD_REQUEST',
        'this rotation can no longer be rolled back here (it was rolled back, or too long ago)',
        {
          hint: "Open the secret's history to restore an earlier version, or set the value again.",
        },
      );
    }
    return held.handle;
  }

  /** A roll back is done once (or refused for good): the handle goes. */
  drop(id: string): void {
    this.handles.delete(id);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, h] of this.handles) if (h.expires <= now) this.handles.delete(id);
  }
}

export function createRotateHandlers(s: AppServices, handles = new RollbackHandles()): Pick<Handlers, RotateChannels> {
  return {
    'rotate:consumers': async (req) => {
      const service = await s.session.secrets();
      const r = service.consumersReport(target(req));
      return {
        secret: r.target.secret,
        scope: r.target.scope,
        provider: r.target.provider,
        where: r.target.where,
        consumers: r.consumers.map((c) => ({ stack: c.stack, component: c.component, where: c.where })),
        stacks: r.stacks.map((x) => ({ stack: x.stack, components: [...x.components] })),
        skipped: r.skipped.map((x) => ({ stack: x.stack, component: x.component, message: x.message })),
      };
    },
    'rotate:run': async (req, ctx) => {
      const service = await s.session.secrets();
      const warnings: string[] = [];
      const r = await service.rotate({
        ...target(req),
        value: newValue(req.value),
        verify: req.verify !== false,
        // The app offers the roll back next to the red consumers instead of doing it unasked.
        rollbackOnFailure: false,
        confirm: async () => req.confirmed,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress({ done: p.done, total: p.total, ...(p.label ? { message: p.label } : {}) }),
        onWarning: (m) => warnings.push(m),
      });
      const rollback = r.rollback
        ? {
            id: handles.keep(r.rollback),
            method: r.rollback.method,
            ...(r.rollback.previousVersion ? { previousVersion: r.rollback.previousVersion } : {}),
          }
        : undefined;
      return {
        consumers: r.consumers.length,
        stacks: r.stacks,
        generated: r.generated,
        ...(r.entropyBits !== undefined ? { entropyBits: r.entropyBits } : {}),
        verified: r.verified,
        verifyCancelled: r.verifyCancelled,
        ok: r.ok,
        checks: r.checks.map((c) => ({
          stack: c.stack,
          component: c.component,
          status: c.status,
          where: c.where,
          ...(c.detail ? { detail: c.detail } : {}),
        })),
        failures: r.failures.map((f) => ({ provider: f.provider, code: f.code, message: f.message })),
        ...(rollback ? { rollback } : {}),
        warnings,
      };
    },
    'rotate:rollback': async ({ id }, ctx) => {
      const handle = handles.get(id);
      try {
        // Later than the rotation: refuse if someone else wrote the secret since.
        const r = await handle.restore({ checkUnchanged: true, signal: ctx.signal });
        handles.drop(id);
        return { method: r.method, message: r.message };
      } catch (e) {
        // A conflict stays a conflict; any other failure (a backend down, a cancel) may be tried again.
        if (e instanceof RollbackConflictError) handles.drop(id);
        throw e;
      }
    },
    'rotate:history': async (req) => {
      const service = await s.session.secrets();
      const { rotationMaxAgeDays } = await s.settings.get();
      const { history, age } = await service.rotationHistory(target(req), rotationMaxAgeDays);
      return {
        secret: history.target.secret,
        where: history.target.where,
        versions: history.supported ? history.versions.length : 0,
        ...(history.note ? { note: history.note } : {}),
        age: {
          source: age.source,
          maxAgeDays: age.maxAgeDays,
          overdue: age.overdue,
          ...(age.lastChanged ? { lastChanged: age.lastChanged } : {}),
          ...(age.ageDays !== undefined ? { ageDays: age.ageDays } : {}),
        },
      };
    },
  };
}
