// A loopback Secret Manager emulator over gRPC (backends-wire.md §5): the SecretManagerService descriptor shipped
// in @google-cloud/secret-manager, served by @grpc/grpc-js on 127.0.0.1, so the official client talks to it
// unchanged (apiEndpoint/port and insecure sslCreds). It follows the public API, not one adapter:
//  - CreateSecret (id [A-Za-z0-9_-]{1,255}, replication required, label and annotation rules), GetSecret,
//    ListSecrets, DeleteSecret (the secret and every version, at once: Secret Manager has no soft delete);
//  - AddSecretVersion (payload <= 64 KiB, optional data_crc32c checked), AccessSecretVersion (a number or
//    `latest` = the most recently created version; DISABLED/DESTROYED -> FAILED_PRECONDITION; data_crc32c
//    returned), GetSecretVersion, ListSecretVersions (newest first, page_size capped, opaque page tokens, a
//    `state:` filter), Disable/Enable/DestroySecretVersion; versions are kept without limit;
//  - NOT_FOUND / ALREADY_EXISTS / INVALID_ARGUMENT / FAILED_PRECONDITION / PERMISSION_DENIED with the service's
//    wording (exact texts are not all verified: backends-wire.md lists which);
//  - faults (UNAVAILABLE, RESOURCE_EXHAUSTED, INTERNAL, UNAUTHENTICATED, or a hang until the caller's deadline),
//    latency, per-operation access denial, call counts by operation and the peak of calls in flight;
//  - optionally TLS, and authentication as Google does it for a key file: only self-signed RS256 JWTs from the
//    service accounts it trusts, otherwise UNAUTHENTICATED (plaintext mode gets no credentials to check).
// Other methods (IAM, rotation) answer UNIMPLEMENTED, as grpc-js does for a method with no handler.
import { verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { crc32c } from '../gcp-kms/crc32c';
import { EmulatorControls } from '../controls';
import { type CallCounter, delay } from '../http-util';

export type GcpSmFault = 'unavailable' | 'resource-exhausted' | 'internal' | 'unauthenticated' | 'hang';
export type GcpSmOperation =
  | 'CreateSecret'
  | 'GetSecret'
  | 'ListSecrets'
  | 'DeleteSecret'
  | 'AddSecretVersion'
  | 'AccessSecretVersion'
  | 'GetSecretVersion'
  | 'ListSecretVersions'
  | 'DisableSecretVersion'
  | 'EnableSecretVersion'
  | 'DestroySecretVersion';
export type GcpVersionState = 'ENABLED' | 'DISABLED' | 'DESTROYED';

/** The IAM permission each operation needs, for PERMISSION_DENIED texts. */
const PERMISSION: Readonly<Record<GcpSmOperation, string>> = {
  CreateSecret: 'secretmanager.secrets.create',
  GetSecret: 'secretmanager.secrets.get',
  ListSecrets: 'secretmanager.secrets.list',
  DeleteSecret: 'secretmanager.secrets.delete',
  AddSecretVersion: 'secretmanager.versions.add',
  AccessSecretVersion: 'secretmanager.versions.access',
  GetSecretVersion: 'secretmanager.versions.get',
  ListSecretVersions: 'secretmanager.versions.list',
  DisableSecretVersion: 'secretmanager.versions.disable',
  EnableSecretVersion: 'secretmanager.versions.enable',
  DestroySecretVersion: 'secretmanager.versions.destroy',
};

/** A service account the emulator trusts: its key id and public key, as in the key file it was made with. */
export interface TrustedServiceAccount {
  readonly email: string;
  readonly keyId: string;
  readonly publicKey: KeyObject;
}

export interface GcpSmEmulatorOptions {
  /** The most results one List page holds, whatever page_size asks (the service's cap is 25000). */
  readonly maxPageSize?: number;
  /** Serve TLS with this key and certificate (PEM) instead of plaintext. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /**
   * Require `authorization: Bearer <JWT>` on every call: a self-signed JWT (RS256), as the client makes from a
   * service-account key file, signed by one of these accounts and not expired. Otherwise UNAUTHENTICATED.
   */
  readonly serviceAccounts?: readonly TrustedServiceAccount[];
}

export interface StoredVersion {
  readonly version: number;
  state: GcpVersionState;
  /** Wiped when destroyed. */
  data: Buffer;
  readonly createTime: Date;
  destroyTime: Date | undefined;
  /** Whether the client sent payload.data_crc32c. */
  readonly clientChecksum: boolean;
}

export interface StoredSecret {
  readonly name: string;
  readonly createTime: Date;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly replication: 'automatic' | 'userManaged';
  readonly locations: readonly string[];
  readonly versions: StoredVersion[];
}

export interface GcpSecretManagerEmulator {
  readonly port: number;
  /** 127.0.0.1:PORT (the client's apiEndpoint and port). */
  readonly address: string;
  /** http://127.0.0.1:PORT (https:// with `tls`): the `endpoint` option of a gcp/secretmanager store. */
  readonly endpoint: string;
  readonly calls: CallCounter;
  /** The next `count` calls (of `operation`, or any) fail with the fault. */
  injectFault(fault: GcpSmFault, count?: number, operation?: GcpSmOperation): void;
  clearFaults(): void;
  /** Runs `action` just before the next call of `operation` is handled (e.g. another writer gets in first). */
  beforeNext(operation: GcpSmOperation, action: () => void): void;
  /** Every call (of `operation`, or any) waits this long before it is answered. */
  setLatency(ms: number, operation?: GcpSmOperation): void;
  /** `operation` answers PERMISSION_DENIED, as a missing IAM binding does (for every secret, or one id). */
  denyAccess(operation: GcpSmOperation, secretId?: string): void;
  allowAll(): void;
  /** A secret as stored (tests inspect labels, annotations, versions), or undefined. */
  secret(project: string, secretId: string): StoredSecret | undefined;
  /** Secret ids of a project. */
  secretIds(project: string): string[];
  /** Test setup without a client: a secret and versions as another tool would have written them. */
  seed(project: string, secretId: string, values: readonly (string | Buffer)[]): void;
  setVersionState(project: string, secretId: string, version: number, state: GcpVersionState): void;
  /** The most calls in flight at once since start (or resetPeak): what a client's concurrency really was. */
  readonly peakInFlight: number;
  resetPeak(): void;
  /** The service account whose JWT the last authenticated call carried (serviceAccounts mode). */
  readonly lastCaller: string | undefined;
  /** Metadata keys and values of the last call (x-goog-request-params, authorization when sent). */
  readonly lastMetadata: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

class RpcError extends Error {
  constructor(
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(details);
  }
}

export const GCP_SM_MAX_PAYLOAD_BYTES = 64 * 1024;
const SERVICE_MAX_PAGE = 25_000;
const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;
const PROJECT_PARENT = /^projects\/([^/]+)$/;
const SECRET_NAME = /^projects\/([^/]+)\/secrets\/([^/]+)$/;
const VERSION_NAME = /^projects\/([^/]+)\/secrets\/([^/]+)\/versions\/([^/]+)$/;
const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;
const MAX_LABELS = 64;
const ANNOTATION_KEY = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const ANNOTATIONS_MAX_BYTES = 16 * 1024;
const STATE_FILTER = /^state\s*[:=]\s*(ENABLED|DISABLED|DESTROYED)$/;

interface Timestamp {
  readonly seconds: string;
  readonly nanos: number;
}
function timestamp(d: Date): Timestamp {
  const ms = d.getTime();
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

// Request shapes as proto-loader decodes them (keepCase false, longs String, enums String, defaults, oneofs).
interface SecretMessage {
  readonly replication?: {
    readonly replication?: 'automatic' | 'userManaged';
    readonly userManaged?: { readonly replicas?: readonly { readonly location?: string }[] } | null;
  } | null;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}
interface CreateSecretRequest {
  readonly parent: string;
  readonly secretId: string;
  readonly secret?: SecretMessage | null;
}
interface NameRequest {
  readonly name: string;
}
interface ListRequest {
  readonly parent: string;
  readonly pageSize: number;
  readonly pageToken: string;
  readonly filter: string;
}
interface AddVersionRequest {
  readonly parent: string;
  readonly payload?: { readonly data?: Buffer; readonly dataCrc32c?: string | null } | null;
}

function loadService(): grpc.ServiceDefinition {
  const require = createRequire(import.meta.url);
  const json: unknown = JSON.parse(
    readFileSync(require.resolve('@google-cloud/secret-manager/build/protos/protos.json'), 'utf8'),
  );
  const def = protoLoader.fromJSON(json as Parameters<typeof protoLoader.fromJSON>[0], {
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const service = def['google.cloud.secretmanager.v1.SecretManagerService'];
  if (!service || !('AccessSecretVersion' in service)) throw new Error('SecretManagerService not found in protos.json');
  return service as grpc.ServiceDefinition;
}

/** Page tokens are opaque to clients: an offset and the listing they belong to, base64-encoded. */
function encodeToken(parent: string, offset: number): string {
  return Buffer.from(JSON.stringify({ parent, offset })).toString('base64url');
}
function decodeToken(parent: string, token: string): number {
  if (token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      parent?: unknown;
      offset?: unknown;
    };
    if (parsed.parent === parent && typeof parsed.offset === 'number' && parsed.offset >= 0) return parsed.offset;
  } catch {
    // falls through to the service's answer for a token it did not issue
  }
  throw new RpcError(grpc.status.INVALID_ARGUMENT, 'The page token is invalid.');
}

export async function start(options: GcpSmEmulatorOptions = {}): Promise<GcpSecretManagerEmulator> {
  const maxPageSize = Math.min(options.maxPageSize ?? SERVICE_MAX_PAGE, SERVICE_MAX_PAGE);
  const secrets = new Map<string, StoredSecret>();
  const controls = new EmulatorControls<GcpSmFault, GcpSmOperation>();
  const denied = new Map<GcpSmOperation, Set<string> | 'all'>();
  const hanging = new Set<() => void>();
  const before = new Map<GcpSmOperation, () => void>();
  let lastMetadata: Record<string, string> = {};
  let lastCaller: string | undefined;

  function denyIfConfigured(operation: GcpSmOperation, resource: string, secretId: string | undefined): void {
    const rule = denied.get(operation);
    if (rule === 'all' || (rule && secretId !== undefined && rule.has(secretId))) {
      throw new RpcError(
        grpc.status.PERMISSION_DENIED,
        `Permission '${PERMISSION[operation]}' denied for resource '${resource}' (or it may not exist).`,
      );
    }
  }

  function secretOf(name: string, operation: GcpSmOperation): StoredSecret {
    const m = SECRET_NAME.exec(name);
    if (!m) {
      throw new RpcError(grpc.status.INVALID_ARGUMENT, `Invalid resource field value in the request.`);
    }
    denyIfConfigured(operation, name, m[2]);
    const secret = secrets.get(name);
    if (!secret) throw new RpcError(grpc.status.NOT_FOUND, `Secret [${name}] not found.`);
    return secret;
  }

  function versionOf(name: string, operation: GcpSmOperation): { secret: StoredSecret; version: StoredVersion } {
    const m = VERSION_NAME.exec(name);
    if (!m) throw new RpcError(grpc.status.INVALID_ARGUMENT, `Invalid resource field value in the request.`);
    const secretName = `projects/${m[1]}/secrets/${m[2]}`;
    denyIfConfigured(operation, name, m[2]);
    const secret = secrets.get(secretName);
    const id = m[3]!;
    if (id === 'latest') {
      // `latest` is the most recently created version, whatever its state.
      const newest = secret?.versions.at(-1);
      if (!secret || !newest) {
        throw new RpcError(grpc.status.NOT_FOUND, `Secret [${secretName}] not found or has no versions.`);
      }
      return { secret, version: newest };
    }
    if (!/^[1-9]\d*$/.test(id)) {
      throw new RpcError(grpc.status.INVALID_ARGUMENT, `Invalid resource field value in the request.`);
    }
    const version = secret?.versions.find((v) => v.version === Number(id));
    if (!secret || !version) throw new RpcError(grpc.status.NOT_FOUND, `Secret Version [${name}] not found.`);
    return { secret, version };
  }

  function secretMessage(s: StoredSecret): unknown {
    return {
      name: s.name,
      createTime: timestamp(s.createTime),
      labels: s.labels,
      annotations: s.annotations,
      replication:
        s.replication === 'automatic'
          ? { automatic: {} }
          : { userManaged: { replicas: s.locations.map((location) => ({ location })) } },
      etag: `"${s.createTime.getTime().toString(16)}"`,
    };
  }

  function versionMessage(s: StoredSecret, v: StoredVersion): unknown {
    return {
      name: `${s.name}/versions/${v.version}`,
      createTime: timestamp(v.createTime),
      ...(v.destroyTime ? { destroyTime: timestamp(v.destroyTime) } : {}),
      state: v.state,
      etag: `"${v.createTime.getTime().toString(16)}${v.state}"`,
      clientSpecifiedPayloadChecksum: v.clientChecksum,
    };
  }

  function checkLabels(labels: Readonly<Record<string, string>>): void {
    const entries = Object.entries(labels);
    if (entries.length > MAX_LABELS) {
      throw new RpcError(grpc.status.INVALID_ARGUMENT, `A secret can have at most ${MAX_LABELS} labels.`);
    }
    for (const [k, v] of entries) {
      if (!LABEL_KEY.test(k) || !LABEL_VALUE.test(v)) {
        throw new RpcError(
          grpc.status.INVALID_ARGUMENT,
          `Label key [${k}] or value [${v}] is invalid: keys start with a lowercase letter; keys and values hold at most 63 lowercase letters, digits, _ and -.`,
        );
      }
    }
  }

  function checkAnnotations(annotations: Readonly<Record<string, string>>): void {
    let size = 0;
    for (const [k, v] of Object.entries(annotations)) {
      if (!ANNOTATION_KEY.test(k)) {
        throw new RpcError(
          grpc.status.INVALID_ARGUMENT,
          `Annotation key [${k}] is invalid: 1 to 63 characters, starting and ending with a letter or digit, with - _ . in between.`,
        );
      }
      size += Buffer.byteLength(k) + Buffer.byteLength(v);
    }
    if (size > ANNOTATIONS_MAX_BYTES) {
      throw new RpcError(
        grpc.status.INVALID_ARGUMENT,
        `The total size of annotation keys and values must be less than ${ANNOTATIONS_MAX_BYTES} bytes.`,
      );
    }
  }

  function createSecret(req: CreateSecretRequest): unknown {
    const parent = PROJECT_PARENT.exec(req.parent);
    if (!parent) throw new RpcError(grpc.status.INVALID_ARGUMENT, `Invalid resource field value in the request.`);
    denyIfConfigured('CreateSecret', req.parent, undefined);
    if (!SECRET_ID.test(req.secretId)) {
      throw new RpcError(
        grpc.status.INVALID_ARGUMENT,
        `The provided Secret ID [${req.secretId}] does not match the expected format [[a-zA-Z_0-9-]{1,255}]`,
      );
    }
    const kind = req.secret?.replication?.replication;
    if (kind === undefined) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'Secret.replication is required.');
    const locations = (req.secret?.replication?.userManaged?.replicas ?? []).map((r) => r.location ?? '');
    if (kind === 'userManaged' && (locations.length === 0 || locations.some((l) => l === ''))) {
      throw new RpcError(grpc.status.INVALID_ARGUMENT, 'Replication.user_managed.replicas must name locations.');
    }
    const labels = { ...(req.secret?.labels ?? {}) };
    const annotations = { ...(req.secret?.annotations ?? {}) };
    checkLabels(labels);
    checkAnnotations(annotations);
    const name = `${req.parent}/secrets/${req.secretId}`;
    if (secrets.has(name)) throw new RpcError(grpc.status.ALREADY_EXISTS, `Secret [${name}] already exists.`);
    const secret: StoredSecret = {
      name,
      createTime: new Date(),
      labels,
      annotations,
      replication: kind,
      locations,
      versions: [],
    };
    secrets.set(name, secret);
    return secretMessage(secret);
  }

  function addVersion(secret: StoredSecret, data: Buffer, clientChecksum: boolean): StoredVersion {
    const last = secret.versions.at(-1);
    // Creation times strictly increase, so "newest first" never depends on equal timestamps.
    const now = new Date(Math.max(Date.now(), (last?.createTime.getTime() ?? 0) + 1));
    const version: StoredVersion = {
      version: (last?.version ?? 0) + 1,
      state: 'ENABLED',
      data: Buffer.from(data),
      createTime: now,
      destroyTime: undefined,
      clientChecksum,
    };
    secret.versions.push(version);
    return version;
  }

  function addSecretVersion(req: AddVersionRequest): unknown {
    const secret = secretOf(req.parent, 'AddSecretVersion');
    const data = req.payload?.data ?? Buffer.alloc(0);
    if (data.length > GCP_SM_MAX_PAYLOAD_BYTES) {
      throw new RpcError(
        grpc.status.INVALID_ARGUMENT,
        `Secret Payload cannot be larger than ${GCP_SM_MAX_PAYLOAD_BYTES} bytes.`,
      );
    }
    const given = req.payload?.dataCrc32c;
    const hasChecksum = given !== undefined && given !== null;
    if (hasChecksum && BigInt(given) !== BigInt(crc32c(data))) {
      throw new RpcError(
        grpc.status.INVALID_ARGUMENT,
        'The checksum in field payload.data_crc32c did not match the data in field payload.data.',
      );
    }
    return versionMessage(secret, addVersion(secret, data, hasChecksum));
  }

  function accessSecretVersion(req: NameRequest): unknown {
    const { secret, version } = versionOf(req.name, 'AccessSecretVersion');
    if (version.state !== 'ENABLED') {
      throw new RpcError(
        grpc.status.FAILED_PRECONDITION,
        `Secret Version [${secret.name}/versions/${version.version}] is in ${version.state} state.`,
      );
    }
    return {
      name: `${secret.name}/versions/${version.version}`,
      payload: { data: version.data, dataCrc32c: String(crc32c(version.data)) },
    };
  }

  function page<T>(parent: string, all: readonly T[], req: ListRequest): { items: T[]; next: string } {
    if (req.pageSize < 0) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'page_size must not be negative.');
    const size = Math.min(req.pageSize === 0 ? maxPageSize : req.pageSize, maxPageSize);
    const offset = decodeToken(parent, req.pageToken);
    const items = all.slice(offset, offset + size);
    const end = offset + items.length;
    return { items, next: end < all.length ? encodeToken(parent, end) : '' };
  }

  function listSecretVersions(req: ListRequest): unknown {
    const secret = secretOf(req.parent, 'ListSecretVersions');
    let all = [...secret.versions].reverse();
    const filter = req.filter.trim();
    if (filter !== '') {
      const m = STATE_FILTER.exec(filter);
      if (!m) throw new RpcError(grpc.status.INVALID_ARGUMENT, `Invalid filter: ${filter}`);
      all = all.filter((v) => v.state === m[1]);
    }
    const { items, next } = page(req.parent, all, req);
    return {
      versions: items.map((v) => versionMessage(secret, v)),
      nextPageToken: next,
      totalSize: all.length,
    };
  }

  /**
   * The label terms of the service's list filter (https://cloud.google.com/secret-manager/docs/filtering):
   * `labels.KEY=VALUE` (equal) and `labels.KEY:VALUE` (has; `*` for any value), joined by spaces or AND. The rest of
   * the filter language is not emulated: a caller relying on it gets UNIMPLEMENTED, not a wrong answer.
   */
  function labelFilter(filter: string): (labels: Readonly<Record<string, string>>) => boolean {
    const text = filter.trim();
    if (text === '') return () => true;
    const terms = text.split(/\s+(?:AND\s+)?/).map((term) => {
      const m = /^labels\.([a-z][a-z0-9_-]*)([=:])(.+)$/.exec(term);
      if (!m) throw new RpcError(grpc.status.UNIMPLEMENTED, `The emulator implements only label filters, not: ${term}`);
      const [, key = '', op, value = ''] = m;
      return (labels: Readonly<Record<string, string>>) =>
        op === ':' && value === '*' ? labels[key] !== undefined : labels[key] === value;
    });
    return (labels) => terms.every((t) => t(labels));
  }

  function listSecrets(req: ListRequest): unknown {
    const parent = PROJECT_PARENT.exec(req.parent);
    if (!parent) throw new RpcError(grpc.status.INVALID_ARGUMENT, `Invalid resource field value in the request.`);
    denyIfConfigured('ListSecrets', req.parent, undefined);
    const matches = labelFilter(req.filter);
    const all = [...secrets.values()]
      .filter((s) => s.name.startsWith(`${req.parent}/secrets/`) && matches(s.labels))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const { items, next } = page(req.parent, all, req);
    return { secrets: items.map(secretMessage), nextPageToken: next, totalSize: all.length };
  }

  function setState(req: NameRequest, operation: GcpSmOperation, state: GcpVersionState): unknown {
    const { secret, version } = versionOf(req.name, operation);
    if (version.state === 'DESTROYED' && state !== 'DESTROYED') {
      throw new RpcError(
        grpc.status.FAILED_PRECONDITION,
        `Secret Version [${secret.name}/versions/${version.version}] is in DESTROYED state.`,
      );
    }
    version.state = state;
    if (state === 'DESTROYED') {
      version.data = Buffer.alloc(0);
      version.destroyTime = new Date();
    }
    return versionMessage(secret, version);
  }

  /** proto-loader decodes each request to its message's shape; the handlers declare which. */
  const typed =
    <R>(fn: (req: R) => unknown) =>
    (req: unknown): unknown =>
      fn(req as R);
  const handlers: Record<GcpSmOperation, (req: unknown) => unknown> = {
    CreateSecret: typed(createSecret),
    GetSecret: typed((req: NameRequest) => secretMessage(secretOf(req.name, 'GetSecret'))),
    ListSecrets: typed(listSecrets),
    DeleteSecret: typed((req: NameRequest) => {
      const secret = secretOf(req.name, 'DeleteSecret');
      secrets.delete(secret.name);
      return {};
    }),
    AddSecretVersion: typed(addSecretVersion),
    AccessSecretVersion: typed(accessSecretVersion),
    GetSecretVersion: typed((req: NameRequest) => {
      const { secret, version } = versionOf(req.name, 'GetSecretVersion');
      return versionMessage(secret, version);
    }),
    ListSecretVersions: typed(listSecretVersions),
    DisableSecretVersion: typed((req: NameRequest) => setState(req, 'DisableSecretVersion', 'DISABLED')),
    EnableSecretVersion: typed((req: NameRequest) => setState(req, 'EnableSecretVersion', 'ENABLED')),
    DestroySecretVersion: typed((req: NameRequest) => setState(req, 'DestroySecretVersion', 'DESTROYED')),
  };

  const unauthenticated = (): RpcError =>
    new RpcError(
      grpc.status.UNAUTHENTICATED,
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    );

  /** The caller's service account, from a self-signed JWT only a trusted key could have signed. */
  function authenticate(authorization: string | undefined): string {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    const parts = token?.split('.');
    if (!parts || parts.length !== 3) throw unauthenticated();
    const [head, body, signature] = parts as [string, string, string];
    let header: { alg?: unknown; kid?: unknown };
    let claims: { iss?: unknown; exp?: unknown };
    try {
      header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as typeof header;
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      throw unauthenticated();
    }
    const account = options.serviceAccounts?.find((a) => a.keyId === header.kid && a.email === claims.iss);
    const signed = Buffer.from(`${head}.${body}`);
    if (
      header.alg !== 'RS256' ||
      !account ||
      !verify('RSA-SHA256', signed, account.publicKey, Buffer.from(signature, 'base64url')) ||
      typeof claims.exp !== 'number' ||
      claims.exp * 1000 < Date.now()
    ) {
      throw unauthenticated();
    }
    return account.email;
  }

  function faultError(fault: Exclude<GcpSmFault, 'hang'>, operation: GcpSmOperation): RpcError {
    switch (fault) {
      case 'unavailable':
        return new RpcError(grpc.status.UNAVAILABLE, 'The service is currently unavailable.');
      case 'resource-exhausted':
        return new RpcError(
          grpc.status.RESOURCE_EXHAUSTED,
          `Quota exceeded for quota metric '${operation === 'AccessSecretVersion' ? 'Access requests' : 'Read requests'}' and limit 'per minute per project' of service 'secretmanager.googleapis.com'.`,
        );
      case 'internal':
        return new RpcError(grpc.status.INTERNAL, 'Internal error encountered.');
      case 'unauthenticated':
        return new RpcError(
          grpc.status.UNAUTHENTICATED,
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        );
      default: {
        const never: never = fault;
        throw new Error(`unknown fault ${String(never)}`);
      }
    }
  }

  function unary(operation: GcpSmOperation): grpc.handleUnaryCall<unknown, unknown> {
    const fn = handlers[operation];
    return (call, reply) => {
      controls.calls.record(operation);
      const finish = controls.enter();
      const callback: grpc.sendUnaryData<unknown> = (err, value) => {
        finish();
        reply(err, value);
      };
      const meta: Record<string, string> = {};
      for (const [k, v] of Object.entries(call.metadata.getMap())) meta[k] = String(v);
      lastMetadata = meta;
      const fault = controls.takeFault(operation);
      const answer = (): void => {
        try {
          const action = before.get(operation);
          before.delete(operation);
          action?.();
          if (options.serviceAccounts) lastCaller = authenticate(meta['authorization']);
          if (fault !== undefined && fault !== 'hang') throw faultError(fault, operation);
          callback(null, fn(call.request));
        } catch (e) {
          const err = e instanceof RpcError ? e : new RpcError(grpc.status.INTERNAL, 'Internal error encountered.');
          callback({ code: err.code, details: err.details, metadata: new grpc.Metadata() });
        }
      };
      if (fault === 'hang') {
        // Never answers: the caller's deadline (or cancel) ends the call; stop() releases it.
        const release = (): void => {
          hanging.delete(release);
          finish();
        };
        hanging.add(release);
        call.on('cancelled', release);
        return;
      }
      const wait = controls.latencyOf(operation);
      if (wait > 0) void delay(wait).then(answer);
      else answer();
    };
  }

  const server = new grpc.Server();
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const op of Object.keys(handlers) as GcpSmOperation[]) implementation[op] = unary(op);
  server.addService(loadService(), implementation);
  const port = await new Promise<number>((resolve, reject) => {
    const credentials = options.tls
      ? grpc.ServerCredentials.createSsl(null, [
          { private_key: Buffer.from(options.tls.key), cert_chain: Buffer.from(options.tls.cert) },
        ])
      : grpc.ServerCredentials.createInsecure();
    server.bindAsync('127.0.0.1:0', credentials, (err, p) => (err ? reject(err) : resolve(p)));
  });

  function stored(project: string, secretId: string): StoredSecret {
    const s = secrets.get(`projects/${project}/secrets/${secretId}`);
    if (!s) throw new Error(`emulator: no secret ${secretId} in project ${project}`);
    return s;
  }

  return {
    port,
    address: `127.0.0.1:${port}`,
    endpoint: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    calls: controls.calls,
    injectFault: controls.injectFault,
    clearFaults: controls.clearFaults,
    beforeNext(operation, action) {
      before.set(operation, action);
    },
    setLatency: controls.setLatency,
    denyAccess(operation, secretId) {
      if (secretId === undefined) {
        denied.set(operation, 'all');
        return;
      }
      const current = denied.get(operation);
      if (current === 'all') return;
      denied.set(operation, new Set([...(current ?? []), secretId]));
    },
    allowAll() {
      denied.clear();
    },
    secret(project, secretId) {
      return secrets.get(`projects/${project}/secrets/${secretId}`);
    },
    secretIds(project) {
      const prefix = `projects/${project}/secrets/`;
      return [...secrets.keys()].filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
    },
    seed(project, secretId, values) {
      const name = `projects/${project}/secrets/${secretId}`;
      const secret: StoredSecret = secrets.get(name) ?? {
        name,
        createTime: new Date(),
        labels: {},
        annotations: {},
        replication: 'automatic',
        locations: [],
        versions: [],
      };
      secrets.set(name, secret);
      for (const v of values) addVersion(secret, typeof v === 'string' ? Buffer.from(v, 'utf8') : v, false);
    },
    setVersionState(project, secretId, version, state) {
      const v = stored(project, secretId).versions.find((x) => x.version === version);
      if (!v) throw new Error(`emulator: no version ${version} of ${secretId}`);
      v.state = state;
      if (state === 'DESTROYED') {
        v.data = Buffer.alloc(0);
        v.destroyTime = new Date();
      }
    },
    get lastMetadata() {
      return lastMetadata;
    },
    get lastCaller() {
      return lastCaller;
    },
    get peakInFlight() {
      return controls.peakInFlight;
    },
    resetPeak: controls.resetPeak,
    stop() {
      for (const release of [...hanging]) release();
      // In-flight calls are cancelled; tests stop after their calls are done.
      server.forceShutdown();
      return Promise.resolve();
    },
  };
}
