// The transport-independent heart of IPC: find the channel, check the sender, validate the request with the
// contract's schema, run the handler, and return a result envelope. Electron's ipcMain (register.ts) and the
// e2e loopback bridge both call dispatch(), so tests exercise the same checks the app runs.
import type { z } from 'zod';
import { AppError, isAppError, toErrorPayload } from '../../shared/errors';
import { contract, isChannel, type Channel, type ProgressEvent, type Res } from '../../shared/ipc/contract';
import type { Result } from '../../shared/ipc/envelope';
import { stderrLogger, type Logger } from '../log/logger';
import { Operations } from './operations';

/** What a handler may do besides returning: report progress of a long operation, and notice cancellation. */
export interface HandlerContext {
  readonly progress: (event: Omit<ProgressEvent, 'operationId'>) => void;
  readonly signal: AbortSignal;
}

/** A request as the schema parsed it (defaults applied). */
export type ParsedReq<C extends Channel> = ReturnType<(typeof contract)[C]['req']['parse']>;

export type Handler<C extends Channel> = (request: ParsedReq<C>, ctx: HandlerContext) => Promise<Res<C>> | Res<C>;

export type Handlers = { readonly [C in Channel]: Handler<C> };

/** Who sent a request, as the transport saw it. */
export interface SenderInfo {
  /** The URL of the frame that sent it. */
  readonly url: string;
  readonly isMainFrame: boolean;
  /** True when the sender is one of our own windows (Electron: a webContents we created). */
  readonly isOwnWindow: boolean;
}

export type SenderPolicy = (sender: SenderInfo) => boolean;

/**
 * Trust only our own window's main frame showing exactly the renderer we loaded (its fragment aside): the
 * built index.html's file:// URL, or the dev server's URL in development. Any other page, even another
 * file:// page in our own window, is refused.
 */
export function trustRendererUrl(rendererUrl: string): SenderPolicy {
  const expected = withoutFragment(rendererUrl);
  return (sender) =>
    sender.isOwnWindow && sender.isMainFrame && expected !== null && withoutFragment(sender.url) === expected;
}

/**
 * Trust our own window's main frame at one of the given http(s) origins (the e2e browser bridge). A file://
 * URL has no origin of its own ("null"), so file:// pages never pass here: use trustRendererUrl for them.
 */
export function trustOrigins(origins: readonly string[]): SenderPolicy {
  return (sender) => {
    if (!sender.isOwnWindow || !sender.isMainFrame) return false;
    const origin = safeOrigin(sender.url);
    return origin !== null && origin !== 'null' && origins.includes(origin);
  };
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * The URL without its fragment, normalised. A file URL's path is compared decoded: Chromium and Node may
 * percent-encode a character of the install path differently (the page is the same file either way).
 */
function withoutFragment(url: string): string | null {
  try {
    const u = new URL(url);
    u.hash = '';
    return u.protocol === 'file:' ? `file://${u.host}${decodeURIComponent(u.pathname)}${u.search}` : u.href;
  } catch {
    return null;
  }
}

export interface IpcRouter {
  dispatch(
    channel: unknown,
    request: unknown,
    sender: SenderInfo,
    emit?: (event: ProgressEvent) => void,
  ): Promise<Result<unknown>>;
}

/**
 * `log` receives every unexpected error (anything but an AppError) in full, redacted by the logger; the
 * renderer gets only its code and a safe message. The app passes the log file's logger.
 */
export function createRouter(
  handlers: Handlers,
  isTrusted: SenderPolicy,
  operations: Operations = new Operations(),
  log: Logger = stderrLogger,
): IpcRouter {
  const dispatch: IpcRouter['dispatch'] = async (channel, request, sender, emit) => {
    if (!isChannel(channel)) {
      // Never String() an arbitrary value: an object without a prototype throws, and dispatch must not.
      const shown =
        typeof channel === 'string'
          ? `"${channel.slice(0, 100)}"`
          : `of type ${channel === null ? 'null' : typeof channel}`;
      return fail(new AppError('UNKNOWN_CHANNEL', `Unknown IPC channel ${shown}.`));
    }
    if (!isTrusted(sender)) {
      return fail(
        new AppError('UNTRUSTED_SENDER', `Refused "${channel}": the request did not come from the app's own window.`),
      );
    }
    const parsed = safeParseRequest(contract[channel].req, request ?? {});
    if (parsed === null) {
      return fail(new AppError('BAD_REQUEST', `Invalid request for "${channel}": it could not be read.`));
    }
    if (!parsed.success) {
      const detail = parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.length ? i.path.join('.') : 'request'}: ${i.message}`)
        .join('; ');
      return fail(new AppError('BAD_REQUEST', `Invalid request for "${channel}": ${detail}.`));
    }
    // A long operation may name itself so the renderer can cancel it; `op:cancel` names its target instead.
    const requestedId = channel === 'op:cancel' ? undefined : (parsed.data as { operationId?: unknown }).operationId;
    const op = operations.start(typeof requestedId === 'string' ? requestedId : undefined);
    const ctx: HandlerContext = {
      progress: (e) => emit?.({ operationId: op.id, ...e }),
      signal: op.signal,
    };
    try {
      const handler = handlers[channel] as (req: unknown, ctx: HandlerContext) => Promise<unknown> | unknown;
      const value = await handler(parsed.data, ctx);
      // Our own responses are checked too: a handler that drifts from the contract is a bug, caught here.
      const checked = contract[channel].res.safeParse(value);
      if (!checked.success) {
        // Paths and issue codes only: a response (a revealed value, say) must not be quoted.
        const issues = checked.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'response'}: ${i.code}`);
        log.error(`IPC "${channel}": malformed response (${issues.join('; ')})`);
        return fail(new AppError('INTERNAL', `The handler for "${channel}" returned a malformed response.`));
      }
      return { ok: true, value: checked.data };
    } catch (e) {
      if (!isAppError(e)) log.error(`IPC "${channel}" failed unexpectedly`, e);
      return fail(e);
    } finally {
      op.finish();
    }
  };
  return {
    // Whatever arrives, the answer is an envelope: a throw here would reach Electron as a bare rejection.
    async dispatch(channel, request, sender, emit) {
      try {
        return await dispatch(channel, request, sender, emit);
      } catch (e) {
        log.error('IPC dispatch failed unexpectedly', e);
        return fail(isAppError(e) ? e : new AppError('INTERNAL', 'The request could not be handled.'));
      }
    },
  };
}

function fail(e: unknown): Result<never> {
  return { ok: false, error: toErrorPayload(e) };
}

/**
 * zod's safeParse, except that it cannot throw: zod 4 throws a TypeError on some hostile shapes (a bounded
 * string given `{ length: Object.create(null) }` cannot be converted to a number). Null means unreadable.
 */
function safeParseRequest<T extends z.ZodType>(schema: T, request: unknown): z.ZodSafeParseResult<z.output<T>> | null {
  try {
    return schema.safeParse(request);
  } catch {
    return null;
  }
}
