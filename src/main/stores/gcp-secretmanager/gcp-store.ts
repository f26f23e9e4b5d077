// A SecretStore over GCP Secret Manager (`gcp/secretmanager`), on @google-cloud/secret-manager (gRPC) loaded on
// first use. Ids as Atmos makes them (naming/gcp-secretmanager.ts, lossy: validate looks for collisions); values
// JSON-encoded as Atmos writes them (gcp-value.ts). `set` adds a version, creating the secret first when it is
// missing (automatic replication, or user-managed to `locations`); `get` accesses `latest`; `delete` deletes the secret with
// all its versions; `versions` pages through ListSecretVersions. Each call goes through gcp-call.ts.
//
// Where the original path is kept: an annotation (`atmos-secrets-path`), because label values allow only 63
// lowercase letters, digits, `_` and `-`, so a path (upper case, `/`, often longer) cannot be held losslessly
// there; annotation values are free text (16 KiB in all). A label `managed-by: atmos-secrets` marks the secrets
// this app created, so they can be filtered (`labels.managed-by=atmos-secrets`) in the console and gcloud.
//
// Secret Manager has no batch read, so getMany/statusMany run one AccessSecretVersion per distinct id, a bounded
// number at a time. Status uses AccessSecretVersion too (the value is dropped at once): it answers exactly what
// `get` would, needs only roles/secretmanager.secretAccessor, and counts against the "access requests" quota
// (90,000 a minute), not the far smaller "read requests" one that GetSecret/ListSecretVersions use.
import { z } from 'zod';
import type { SourceLocation } from '../../../shared/errors';
import type { NamingContext } from '../naming/common';
import { gcpSecretId } from '../naming/gcp-secretmanager';
import { formatScopePath, scopedPath, type SecretPath } from '../paths';
import {
  ALL_SCOPES,
  type GetManyResult,
  type ListManagedOptions,
  type ManagedEntry,
  type SecretStatus,
  type SecretStore,
  type SecretVersion,
  type StoreCapabilities,
} from '../secret-store';
import { isSecretNotFound } from '../store-errors';
import { gcpCall, type GcpCallPolicy } from './gcp-call';
import { openClient, type GcpConnection } from './gcp-client';
import { GcpRequestError, GRPC, mapGcpError, type GcpCallSubject } from './gcp-errors';
import type { GcpSettings } from './gcp-options';
import { decodeGcpPayload, encodeGcpValue, GCP_MAX_VALUE_BYTES } from './gcp-value';
import { mapBounded } from '../bounded';
import { managedRoot, pageSizeWithin, segmentsUnder } from '../managed-prefix';

/** The annotation holding the original `/` path of a secret this app created. */
export const PATH_ANNOTATION = 'atmos-secrets-path';
export const MANAGED_LABEL = { 'managed-by': 'atmos-secrets' } as const;
/** The service's largest page. */
const PAGE_SIZE = 25_000;
/** ListSecrets pages hold at most 25,000 secrets. */
const LIST_PAGE_SIZE = 25_000;

export type GcpVersionState = 'ENABLED' | 'DISABLED' | 'DESTROYED';

/** A version of a secret: the SecretVersion plus its state (only ENABLED versions can be read). */
export interface GcpSecretVersion extends SecretVersion {
  readonly state: GcpVersionState;
  readonly destroyedAt: Date | undefined;
}

export interface GcpStoreSettings extends GcpSettings {
  readonly name: string;
  /** The identity's key file; undefined: application default credentials. */
  readonly keyFilename: string | undefined;
  readonly policy: GcpCallPolicy;
  readonly location?: SourceLocation | undefined;
}

/** Bytes arrive as Buffer over gRPC; int64 as a decimal string (gax loads protos with longs: String). */
const bytes = z.instanceof(Uint8Array);
const int64 = z.union([z.string(), z.number(), z.bigint()]).transform(String);
const accessResponse = z.object({
  payload: z.object({ data: bytes, dataCrc32c: int64.nullish() }).nullish(),
});
const timestamp = z
  .object({ seconds: int64, nanos: z.number().nullish() })
  .nullish()
  .transform((t) => (t ? new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1_000_000)) : undefined));
const versionMessage = z.object({
  name: z.string(),
  createTime: timestamp,
  destroyTime: timestamp,
  state: z.union([z.enum(['ENABLED', 'DISABLED', 'DESTROYED', 'STATE_UNSPECIFIED']), z.number()]),
});
const STATE_BY_NUMBER: Readonly<Record<number, GcpVersionState>> = { 1: 'ENABLED', 2: 'DISABLED', 3: 'DESTROYED' };

export class GcpSecretStore implements SecretStore {
  readonly name: string;
  readonly kind = 'gcp/secretmanager' as const;
  readonly capabilities: StoreCapabilities = {
    versions: true,
    batchSize: 1,
    maxValueBytes: GCP_MAX_VALUE_BYTES,
    scopes: ALL_SCOPES,
    local: false,
    lossyNames: true,
  };
  private readonly settings: GcpStoreSettings;
  private readonly ctx: NamingContext;
  private connection: Promise<GcpConnection> | undefined;

  constructor(settings: GcpStoreSettings) {
    this.name = settings.name;
    this.settings = settings;
    this.ctx = { store: settings.name, location: settings.location };
  }

  locate(path: SecretPath): string {
    return gcpSecretId(path, { prefix: this.settings.prefix, stackDelimiter: this.settings.stackDelimiter }, this.ctx);
  }

  /** The `/` path Atmos' mapping starts from, kept in an annotation (the id alone is lossy). */
  originalPath(path: SecretPath): string {
    return formatScopePath(
      scopedPath(path, { prefix: this.settings.prefix ?? '', stackDelimiter: this.settings.stackDelimiter ?? '-' }),
    );
  }

  /** The client and project, made on the first call; a failure is not cached, so a later call tries again. */
  private connect(): Promise<GcpConnection> {
    if (!this.connection) {
      const s = this.settings;
      const made = openClient({
        store: s.name,
        endpoint: s.endpoint,
        projectId: s.projectId,
        keyFilename: s.keyFilename,
        timeoutMs: s.timeoutMs,
      });
      this.connection = made;
      made.catch(() => {
        if (this.connection === made) this.connection = undefined;
      });
    }
    return this.connection;
  }

  private subject(path: SecretPath, secretId: string, operation: string): GcpCallSubject {
    return { secret: path.name, store: this.name, secretId, operation };
  }

  private secretName(c: GcpConnection, secretId: string): string {
    return `projects/${c.projectId}/secrets/${secretId}`;
  }

  /** The latest value; SecretNotFoundError when there is none (no secret, no versions, latest not enabled). */
  private async read(path: SecretPath, secretId: string): Promise<string> {
    const c = await this.connect();
    const subject = this.subject(path, secretId, 'AccessSecretVersion');
    const [response] = await gcpCall(
      subject,
      this.settings.policy,
      (options) => c.client.accessSecretVersion({ name: `${this.secretName(c, secretId)}/versions/latest` }, options),
      { notFound: true, versionState: true },
    );
    const parsed = accessResponse.safeParse(response);
    if (!parsed.success) throw mapGcpError(new Error('the response held no payload'), subject);
    const data = parsed.data.payload?.data ?? new Uint8Array();
    try {
      return decodeGcpPayload(data, parsed.data.payload?.dataCrc32c ?? undefined, subject);
    } finally {
      // gRPC hands over a Buffer (maybe a view on a pooled one): the copy we no longer need is wiped.
      data.fill(0);
    }
  }

  /** The latest value, or undefined when there is none. */
  private async access(path: SecretPath, secretId: string): Promise<string | undefined> {
    try {
      return await this.read(path, secretId);
    } catch (e) {
      if (isSecretNotFound(e)) return undefined;
      throw e;
    }
  }

  async get(path: SecretPath): Promise<string> {
    return this.read(path, this.locate(path));
  }

  /**
   * Adds a version; when the secret is missing (NOT_FOUND), creates it and adds again. Adding first costs one
   * call for the common case (a rotation) and works for an identity that may only add versions
   * (roles/secretmanager.secretVersionAdder); a new secret costs three.
   */
  async set(path: SecretPath, value: string): Promise<void> {
    const secretId = this.locate(path);
    const payload = encodeGcpValue(value, { secret: path.name, store: this.name });
    const c = await this.connect();
    const add = (): Promise<unknown> =>
      gcpCall(
        this.subject(path, secretId, 'AddSecretVersion'),
        this.settings.policy,
        (options) =>
          c.client.addSecretVersion(
            { parent: this.secretName(c, secretId), payload: { data: payload.data, dataCrc32c: payload.dataCrc32c } },
            options,
          ),
        { value, notFound: true },
      );
    try {
      await add();
      return;
    } catch (e) {
      if (!isSecretNotFound(e)) throw e;
    }
    await this.create(path, secretId, c);
    await add();
  }

  /** CreateSecret with our label and the path annotation; ALREADY_EXISTS (another writer was first) is fine. */
  private async create(path: SecretPath, secretId: string, c: GcpConnection): Promise<void> {
    const locations = this.settings.locations;
    try {
      await gcpCall(this.subject(path, secretId, 'CreateSecret'), this.settings.policy, (options) =>
        c.client.createSecret(
          {
            parent: `projects/${c.projectId}`,
            secretId,
            secret: {
              replication: locations
                ? { userManaged: { replicas: locations.map((location) => ({ location })) } }
                : { automatic: {} },
              labels: { ...MANAGED_LABEL },
              annotations: { [PATH_ANNOTATION]: this.originalPath(path) },
            },
          },
          options,
        ),
      );
    } catch (e) {
      if (!(e instanceof GcpRequestError && e.grpcCode === GRPC.ALREADY_EXISTS)) throw e;
    }
  }

  async delete(path: SecretPath): Promise<boolean> {
    const secretId = this.locate(path);
    const c = await this.connect();
    try {
      await gcpCall(
        this.subject(path, secretId, 'DeleteSecret'),
        this.settings.policy,
        (options) => c.client.deleteSecret({ name: this.secretName(c, secretId) }, options),
        { notFound: true },
      );
      return true;
    } catch (e) {
      if (isSecretNotFound(e)) return false;
      throw e;
    }
  }

  async status(path: SecretPath): Promise<SecretStatus> {
    const secretId = this.locate(path);
    return (await this.access(path, secretId)) === undefined ? 'missing' : 'initialized';
  }

  async exists(path: SecretPath): Promise<boolean> {
    return (await this.status(path)) === 'initialized';
  }

  /** One AccessSecretVersion per distinct id, `concurrency` at a time; every path is mapped before any call. */
  async getMany(paths: readonly SecretPath[]): Promise<GetManyResult[]> {
    const values = await this.accessAll(paths);
    return paths.map((path, i) => {
      const value = values[i];
      return value === undefined ? { path, found: false } : { path, found: true, value };
    });
  }

  async statusMany(paths: readonly SecretPath[]): Promise<SecretStatus[]> {
    const values = await this.accessAll(paths);
    return values.map((v) => (v === undefined ? 'missing' : 'initialized'));
  }

  private async accessAll(paths: readonly SecretPath[]): Promise<(string | undefined)[]> {
    const ids = paths.map((p) => this.locate(p));
    const first = new Map<string, SecretPath>();
    ids.forEach((id, i) => {
      if (!first.has(id)) first.set(id, paths[i] as SecretPath);
    });
    const unique = [...first.keys()];
    const values = await mapBounded(unique, this.settings.concurrency, (id) =>
      this.access(first.get(id) as SecretPath, id),
    );
    const byId = new Map(unique.map((id, i) => [id, values[i]]));
    return ids.map((id) => byId.get(id));
  }

  /** ListSecretVersions, every page, newest first; the current version is the newest, when it is enabled. */
  async versions(path: SecretPath): Promise<GcpSecretVersion[]> {
    const secretId = this.locate(path);
    const c = await this.connect();
    const subject = this.subject(path, secretId, 'ListSecretVersions');
    const all: GcpSecretVersion[] = [];
    let pageToken = '';
    do {
      const [, , raw] = await gcpCall(
        subject,
        this.settings.policy,
        (options) =>
          c.client.listSecretVersions(
            { parent: this.secretName(c, secretId), pageSize: PAGE_SIZE, pageToken },
            { ...options, autoPaginate: false },
          ),
        { notFound: true },
      );
      for (const v of raw?.versions ?? []) {
        const parsed = versionMessage.safeParse(v);
        const m = parsed.success ? parsed.data : undefined;
        const state = typeof m?.state === 'number' ? STATE_BY_NUMBER[m.state] : m?.state;
        if (!m || state === undefined || state === 'STATE_UNSPECIFIED') {
          throw mapGcpError(new Error('the service listed a version without a name, time or state'), subject);
        }
        all.push({
          version: m.name.slice(m.name.lastIndexOf('/') + 1),
          createdAt: m.createTime,
          current: false,
          state,
          destroyedAt: m.destroyTime,
        });
      }
      pageToken = raw?.nextPageToken ?? '';
    } while (pageToken !== '');
    all.sort((a, b) => Number(b.version) - Number(a.version));
    return all.map((v, i) => (i === 0 && v.state === 'ENABLED' ? { ...v, current: true } : v));
  }

  /**
   * The secrets this app created under the store's prefix: ListSecrets filtered on our label
   * (`labels.managed-by=atmos-secrets`), page by page, kept when their path annotation (the original path: ids
   * are lossy) is under the prefix. Names, labels and annotations only. A secret resource carries no change time
   * (only its versions do, one call each), so entries have none.
   */
  async *listManaged(options: ListManagedOptions = {}): AsyncIterable<ManagedEntry> {
    const c = await this.connect();
    const root = managedRoot(
      (this.settings.prefix ?? '')
        .split('/')
        .filter((s) => s !== '')
        .join('/'),
    ).replace(/^\/+/, '');
    const subject: GcpCallSubject = {
      secret: `(every secret under ${root || 'the project'})`,
      store: this.name,
      secretId: '(list)',
      operation: 'ListSecrets',
    };
    const size = pageSizeWithin(options.pageSize, LIST_PAGE_SIZE);
    const [key, value] = Object.entries(MANAGED_LABEL)[0] as [string, string];
    let pageToken = '';
    do {
      const token = pageToken;
      const [, , raw] = await gcpCall(subject, this.settings.policy, (o) =>
        c.client.listSecrets(
          { parent: `projects/${c.projectId}`, pageSize: size, pageToken: token, filter: `labels.${key}=${value}` },
          { ...o, autoPaginate: false },
        ),
      );
      for (const s of raw?.secrets ?? []) {
        const path = s.annotations?.[PATH_ANNOTATION];
        if (typeof s.name !== 'string' || typeof path !== 'string') continue;
        const segments = segmentsUnder(path, root);
        if (!segments) continue;
        yield { name: s.name.slice(s.name.lastIndexOf('/') + 1), segments, lastChanged: undefined };
      }
      pageToken = raw?.nextPageToken ?? '';
    } while (pageToken !== '');
  }

  /** Closes the client's channel (tests, and the app when a workspace closes). */
  async close(): Promise<void> {
    const connected = this.connection;
    this.connection = undefined;
    if (connected) await (await connected.catch(() => undefined))?.client.close();
  }
}
