// The awsJson1_1 core shared by the SSM and Secrets Manager emulators: `POST /` with `x-amz-target:
// <Prefix>.<Operation>` and a JSON body, SigV4 read for the access key and region (signatures are not checked,
// as moto and LocalStack do by default), errors as HTTP status plus `{"__type","message"}`. It counts calls by
// operation, logs each answer's status and injects latency, throttling, 5xx, timeouts (a held request) and access
// denial, through the shared EmulatorControls.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { EmulatorControls, RequestLog, holdHungCall } from '../controls';
import {
  type CallCounter,
  type EmulatorReply,
  closeServer,
  delay,
  listenLoopback,
  readBody,
  reply,
  replyStatus,
  sendJson,
} from '../http-util';

/** A failure the service reports: its `__type`, message and HTTP status. */
export class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * Faults for the next calls: `throttling` (400 ThrottlingException), `internal` (500), `unavailable` (503),
 * `timeout` (the request is held without an answer until the client gives up or the emulator stops),
 * `reset` (the connection is dropped without an answer).
 */
export type AwsJsonFault = 'throttling' | 'internal' | 'unavailable' | 'timeout' | 'reset';

/** Who signed a call: from `Credential=<AK>/<date>/<region>/<service>/aws4_request`. */
export interface AwsCaller {
  readonly accessKeyId: string;
  readonly region: string;
  readonly account: string;
}

export interface AwsJsonServiceSpec {
  /** `AmazonSSM` or `secretsmanager`. */
  readonly targetPrefix: string;
  /** SigV4 signing name: `ssm` or `secretsmanager`. */
  readonly signingName: string;
  readonly operations: ReadonlySet<string>;
  /** The service's 5xx error types. */
  readonly internalErrorType: string;
  readonly unavailableErrorType: string;
  /** Answers one call; throws AwsJsonError for a service error. */
  handle(operation: string, body: Record<string, unknown>, caller: AwsCaller): unknown;
}

export interface AwsJsonServerOptions {
  readonly account?: string;
  /** Access key ids accepted; any other gets UnrecognizedClientException. Default: any. */
  readonly accessKeyIds?: readonly string[];
  /** Added before every answer. */
  readonly latencyMs?: number;
  /** Request bodies larger than this are refused (the services' own request limits are far below it). */
  readonly maxBodyBytes?: number;
  /** How long a `timeout` fault holds the call before dropping it (default 60 s; stop() drops it at once). */
  readonly hangMs?: number;
}

export interface AwsJsonServer {
  /** http://127.0.0.1:PORT, for a client's `endpoint`. */
  readonly url: string;
  readonly port: number;
  readonly account: string;
  /** Calls by operation (every request, answered or faulted). */
  readonly calls: CallCounter;
  /** The access key id of each signed call, in order (never a secret). */
  readonly callers: readonly string[];
  /** Each request by operation (`(none)` without a target), with the status it was answered (0: held or dropped). */
  readonly requests: readonly { readonly operation: string; readonly status: number }[];
  /** Fails the next `count` calls (of `operation`, or of any) with `fault`. */
  injectFault(fault: AwsJsonFault, count?: number, operation?: string): void;
  clearFaults(): void;
  /** Latency added before every answer (of `operation`, or of any without its own) from now on. */
  setLatency(ms: number, operation?: string): void;
  /** Makes `operation` (or every operation) fail with AccessDeniedException, as a missing IAM grant would. */
  denyAccess(operation?: string): void;
  allowAccess(): void;
  stop(): Promise<void>;
}

function parseSigV4(header: string | undefined, service: string): { accessKeyId: string; region: string } | undefined {
  const m = new RegExp(`^AWS4-HMAC-SHA256 Credential=([^/]+)/\\d{8}/([^/]+)/${service}/aws4_request`).exec(
    header ?? '',
  );
  return m ? { accessKeyId: m[1]!, region: m[2]! } : undefined;
}

const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.1' };

export async function startAwsJsonServer(
  spec: AwsJsonServiceSpec,
  options: AwsJsonServerOptions = {},
): Promise<AwsJsonServer> {
  const account = options.account ?? '111122223333';
  const controls = new EmulatorControls<AwsJsonFault, string>(options.latencyMs ?? 0);
  const requests = new RequestLog<{ readonly operation: string }>();
  const callers: string[] = [];
  const hangMs = options.hangMs ?? 60_000;
  let denied: { operation: string | undefined } | undefined;

  const answer = (status: number, body: unknown): EmulatorReply =>
    reply(status, body, { ...JSON_HEADERS, 'x-amzn-requestid': randomUUID() });
  const errorReply = (e: AwsJsonError): EmulatorReply => answer(e.status, { __type: e.type, message: e.message });
  const internalError = (): EmulatorReply =>
    errorReply(new AwsJsonError(spec.internalErrorType, 'An internal error occurred.', 500));

  async function handle(req: IncomingMessage, log: (entry: { operation: string }) => void): Promise<EmulatorReply> {
    const target = req.headers['x-amz-target'];
    const prefix = `${spec.targetPrefix}.`;
    const operation = typeof target === 'string' && target.startsWith(prefix) ? target.slice(prefix.length) : '';
    controls.calls.record(operation || '(none)');
    log({ operation: operation || '(none)' });
    const raw = await readBody(req, options.maxBodyBytes ?? 2 * 1024 * 1024);
    await delay(controls.latencyOf(operation));
    const fault = controls.takeFault(operation);
    // Never answered: the client's timeout (or stop()) ends it.
    if (fault === 'timeout') return { kind: 'hang' };
    if (fault === 'reset') return { kind: 'reset' };
    try {
      if (req.method !== 'POST' || !spec.operations.has(operation)) {
        throw new AwsJsonError('UnknownOperationException', `Unknown operation ${operation || String(target)}`);
      }
      const auth = parseSigV4(req.headers.authorization, spec.signingName);
      if (!auth) throw new AwsJsonError('MissingAuthenticationTokenException', 'Missing Authentication Token');
      callers.push(auth.accessKeyId);
      if (options.accessKeyIds && !options.accessKeyIds.includes(auth.accessKeyId)) {
        throw new AwsJsonError('UnrecognizedClientException', 'The security token included in the request is invalid.');
      }
      if (fault === 'throttling') throw new AwsJsonError('ThrottlingException', 'Rate exceeded');
      if (fault === 'internal') throw new AwsJsonError(spec.internalErrorType, 'An internal error occurred.', 500);
      if (fault === 'unavailable') {
        throw new AwsJsonError(spec.unavailableErrorType, 'Service is unavailable. Try again later.', 503);
      }
      if (denied && (denied.operation === undefined || denied.operation === operation)) {
        throw new AwsJsonError(
          'AccessDeniedException',
          `User: arn:aws:iam::${account}:user/test is not authorized to perform: ${spec.signingName}:${operation} because no identity-based policy allows the ${spec.signingName}:${operation} action`,
        );
      }
      let body: unknown;
      try {
        body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
      } catch {
        throw new AwsJsonError('SerializationException', 'Start of structure or map found where not expected.');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new AwsJsonError('SerializationException', 'Start of structure or map found where not expected.');
      }
      return answer(200, spec.handle(operation, body as Record<string, unknown>, { ...auth, account }));
    } catch (e) {
      // Anything but a service error is the emulator's own 500 (RequestLog.answer's onError).
      if (e instanceof AwsJsonError) return errorReply(e);
      throw e;
    }
  }

  const server = createServer((req, res) => {
    const send = (r: EmulatorReply): void => {
      if (r.kind === 'reply') sendJson(res, r.status, r.body, r.headers);
      else req.socket.destroy();
    };
    requests
      .answer((log) => handle(req, log), replyStatus, internalError)
      .then(async (out) => {
        if (out.kind === 'hang') await holdHungCall(hangMs);
        send(out);
      })
      .catch(() => {
        if (!res.headersSent) send(internalError());
      });
  });
  const port = await listenLoopback(server);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    account,
    calls: controls.calls,
    callers,
    requests: requests.entries,
    injectFault: controls.injectFault,
    clearFaults: controls.clearFaults,
    setLatency: controls.setLatency,
    denyAccess(operation) {
      denied = { operation };
    },
    allowAccess() {
      denied = undefined;
    },
    stop: () => closeServer(server),
  };
}

/** Records by region, then by name: each region of an account holds its own parameters or secrets. */
export class RegionalRecords<R> {
  readonly #regions = new Map<string, Map<string, R>>();

  /** The records of `region`, empty on first use. */
  of(region: string): Map<string, R> {
    let m = this.#regions.get(region);
    if (!m) {
      m = new Map();
      this.#regions.set(region, m);
    }
    return m;
  }

  find(name: string, region: string): R | undefined {
    return this.#regions.get(region)?.get(name);
  }

  /** The names in `region`, sorted. */
  names(region: string): string[] {
    return [...(this.#regions.get(region)?.keys() ?? [])].sort();
  }
}

/** Strictly increasing epoch milliseconds, so versions written in one millisecond still order. */
export function monotonicClock(): () => number {
  let clock = 0;
  return () => {
    clock = Math.max(clock + 1, Date.now());
    return clock;
  };
}

/** Validation helpers for request fields, answering as the services do (ValidationException). */
export function str(body: Record<string, unknown>, key: string, required: true): string;
export function str(body: Record<string, unknown>, key: string, required?: false): string | undefined;
export function str(body: Record<string, unknown>, key: string, required = false): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) {
      throw new AwsJsonError(
        'ValidationException',
        `1 validation error detected: Value null at '${lowerFirst(key)}' failed to satisfy constraint: Member must not be null`,
      );
    }
    return undefined;
  }
  if (typeof v !== 'string') throw new AwsJsonError('SerializationException', `${key} must be a string`);
  return v;
}

export function num(body: Record<string, unknown>, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new AwsJsonError('SerializationException', `${key} must be an integer`);
  return v;
}

export function bool(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new AwsJsonError('SerializationException', `${key} must be a boolean`);
  return v;
}

export function strList(body: Record<string, unknown>, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw new AwsJsonError('SerializationException', `${key} must be a list of strings`);
  }
  return v as string[];
}

export function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** Epoch seconds with milliseconds, as the services send timestamps. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/** An opaque pagination token for an offset (the services' tokens are opaque too). */
export function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64');
}

export function readPageToken(token: string | undefined, invalidType: string): number {
  if (token === undefined) return 0;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    const o = (parsed as { o?: unknown }).o;
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through
  }
  throw new AwsJsonError(invalidType, 'The specified token is not valid.');
}
