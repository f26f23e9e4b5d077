// A SecretStore over AWS Secrets Manager (`aws/asm`), on @aws-sdk/client-secrets-manager loaded on first use.
// Names as Atmos writes them (naming/asm.ts); values as Atmos writes strings (aws-value.ts). `set` creates the
// secret, or puts a new version when it exists (AWSCURRENT moves to it, the old one becomes AWSPREVIOUS), or
// restores a secret scheduled for deletion and puts the new version on it. `delete` schedules deletion with the
// store's recovery window (or deletes at once with window 0) and tells the caller when the secret goes for good.
// Batched reads with BatchGetSecretValue (20 ids a call); versions with their stages, newest first.
import { randomUUID } from 'node:crypto';
import type * as AsmSdk from '@aws-sdk/client-secrets-manager';
import type { SourceLocation } from '../../../shared/errors';
import type { AwsCredentialsProvider } from '../../auth';
import type { NamingContext } from '../naming/common';
import { asmSecretName } from '../naming/asm';
import type { SecretPath } from '../paths';
import {
  ALL_SCOPES,
  utf8Bytes,
  type GetManyResult,
  type ListManagedOptions,
  type ManagedEntry,
  type SecretStatus,
  type SecretStore,
  type SecretVersion,
  type StoreCapabilities,
} from '../secret-store';
import { isSecretNotFound, ValueTooLargeError } from '../store-errors';
import {
  allPages,
  awsCall,
  awsClientSettings,
  LazyAwsClient,
  requireRegion,
  awsCodeOf,
  chunks,
  decodeAwsValue,
  encodeAwsValue,
  mapAwsError,
  type AwsCallPolicy,
  type AwsCallSubject,
  type AwsCommonSettings,
} from '../aws-common';
import { mapBounded } from '../bounded';
import { managedRoot, pageSizeWithin, segmentsUnder } from '../managed-prefix';

/** ListSecrets pages hold at most 100 secrets. */
export const ASM_LIST_PAGE = 100;

/** BatchGetSecretValue takes at most 20 ids. */
export const ASM_BATCH_SIZE = 20;
export const ASM_MAX_VALUE_BYTES = 65_536;
/** AWS's default when DeleteSecret names no window. */
export const ASM_DEFAULT_RECOVERY_DAYS = 30;
const VERSIONS_PAGE = 100;
export const ASM_BATCH_CONCURRENCY = 4;
/** What a secret scheduled for deletion answers to reads and writes. */
const PENDING_DELETION = 'InvalidRequestException';

export interface AsmStoreSettings {
  readonly name: string;
  readonly common: AwsCommonSettings;
  /** 7-30 days, or 0 to delete at once without recovery. */
  readonly recoveryWindowDays: number;
  readonly kmsKeyId: string | undefined;
  readonly credentials: AwsCredentialsProvider | undefined;
  readonly policy: AwsCallPolicy;
  readonly location?: SourceLocation | undefined;
}

/** A version with its staging labels (AWSCURRENT, AWSPREVIOUS, custom ones; none when deprecated). */
export interface AsmSecretVersion extends SecretVersion {
  readonly stages: readonly string[];
}

/** What a delete did, for the person: whether anything was there, and when it is gone for good. */
export interface AsmDeletion {
  readonly deleted: boolean;
  /** 0: deleted at once, no recovery. */
  readonly recoveryWindowDays: number;
  /** When the secret is removed for good (absent when nothing was deleted). */
  readonly deletionDate: Date | undefined;
}

type Sdk = typeof AsmSdk;

export class AsmSecretStore implements SecretStore {
  readonly name: string;
  readonly kind = 'aws/asm' as const;
  readonly capabilities: StoreCapabilities;
  /** Shown before and after a delete: how long it can be undone. */
  readonly recoveryWindowDays: number;
  private readonly settings: AsmStoreSettings;
  private readonly ctx: NamingContext;
  /** The SDK and one client, loaded on the first call. */
  private readonly sdk = new LazyAwsClient(() =>
    import('@aws-sdk/client-secrets-manager').then(async (sdk) => {
      const client = new sdk.SecretsManagerClient(awsClientSettings(this.settings.common, this.settings.credentials));
      await requireRegion(client.config.region, { name: this.name, kind: this.kind, location: this.settings.location });
      return { sdk, client };
    }),
  );

  constructor(settings: AsmStoreSettings) {
    this.name = settings.name;
    this.settings = settings;
    this.recoveryWindowDays = settings.recoveryWindowDays;
    this.ctx = { store: settings.name, location: settings.location };
    this.capabilities = {
      versions: true,
      batchSize: ASM_BATCH_SIZE,
      maxValueBytes: ASM_MAX_VALUE_BYTES,
      scopes: ALL_SCOPES,
      local: false,
      lossyNames: false,
    };
  }

  locate(path: SecretPath): string {
    const c = this.settings.common;
    return asmSecretName(path, { prefix: c.prefix, stackDelimiter: c.stackDelimiter }, this.ctx);
  }

  private connect(): Promise<{ sdk: Sdk; client: AsmSdk.SecretsManagerClient }> {
    return this.sdk.get();
  }

  private subject(path: SecretPath, nativeName: string, operation: string): AwsCallSubject {
    return { secret: path.name, store: this.name, nativeName, operation: `Secrets Manager ${operation}` };
  }

  async get(path: SecretPath): Promise<string> {
    const name = this.locate(path);
    const { sdk, client } = await this.connect();
    const out = await awsCall(
      this.subject(path, name, 'GetSecretValue'),
      this.settings.policy,
      (abortSignal) => client.send(new sdk.GetSecretValueCommand({ SecretId: name }), { abortSignal }),
      // A secret scheduled for deletion holds no value anyone should use: not found (the cause says why).
      { notFound: ['ResourceNotFoundException', PENDING_DELETION] },
    );
    return decodeAwsValue(stringOf(out));
  }

  /** One earlier version's value by its id (GetSecretValue VersionId), staged or not; a version gone is not found. */
  async getVersion(path: SecretPath, version: string): Promise<string> {
    const name = this.locate(path);
    const { sdk, client } = await this.connect();
    const out = await awsCall(
      this.subject(path, name, 'GetSecretValue'),
      this.settings.policy,
      (abortSignal) =>
        client.send(new sdk.GetSecretValueCommand({ SecretId: name, VersionId: version }), { abortSignal }),
      { notFound: ['ResourceNotFoundException', PENDING_DELETION] },
    );
    return decodeAwsValue(stringOf(out));
  }

  async set(path: SecretPath, value: string): Promise<void> {
    const name = this.locate(path);
    const subject = { secret: path.name, store: this.name };
    if (utf8Bytes(value) > ASM_MAX_VALUE_BYTES) {
      throw new ValueTooLargeError(subject, ASM_MAX_VALUE_BYTES, 'a Secrets Manager secret');
    }
    const stored = encodeAwsValue(value, subject);
    const { sdk, client } = await this.connect();
    const policy = this.settings.policy;
    // One token per write, reused by every retry: the service makes a retried write the same version.
    const token = randomUUID();
    const put = (): Promise<unknown> =>
      awsCall(
        this.subject(path, name, 'PutSecretValue'),
        policy,
        (abortSignal) =>
          client.send(
            new sdk.PutSecretValueCommand({ SecretId: name, SecretString: stored, ClientRequestToken: token }),
            { abortSignal },
          ),
        { value: stored },
      );
    try {
      await awsCall(
        this.subject(path, name, 'CreateSecret'),
        policy,
        (abortSignal) =>
          client.send(
            new sdk.CreateSecretCommand({
              Name: name,
              SecretString: stored,
              ClientRequestToken: token,
              ...(this.settings.kmsKeyId !== undefined ? { KmsKeyId: this.settings.kmsKeyId } : {}),
            }),
            { abortSignal },
          ),
        { value: stored },
      );
      return;
    } catch (e) {
      const code = awsCodeOf(e);
      if (code === 'ResourceExistsException') {
        await put();
        return;
      }
      if (code !== PENDING_DELETION || !(await this.scheduledForDeletion(path, name))) throw e;
    }
    // The name is scheduled for deletion: setting a value means the person wants it back.
    await awsCall(this.subject(path, name, 'RestoreSecret'), policy, (abortSignal) =>
      client.send(new sdk.RestoreSecretCommand({ SecretId: name }), { abortSignal }),
    );
    await put();
  }

  /** Whether the secret exists and is scheduled for deletion (InvalidRequestException has other causes too). */
  private async scheduledForDeletion(path: SecretPath, name: string): Promise<boolean> {
    const { sdk, client } = await this.connect();
    const out = await awsCall(this.subject(path, name, 'DescribeSecret'), this.settings.policy, (abortSignal) =>
      client.send(new sdk.DescribeSecretCommand({ SecretId: name }), { abortSignal }),
    );
    return out.DeletedDate !== undefined;
  }

  async delete(path: SecretPath): Promise<boolean> {
    return (await this.deleteWithRecovery(path)).deleted;
  }

  /** Deletes with the store's recovery window, saying when the secret is gone for good. */
  async deleteWithRecovery(path: SecretPath): Promise<AsmDeletion> {
    const name = this.locate(path);
    const days = this.recoveryWindowDays;
    const nothing: AsmDeletion = { deleted: false, recoveryWindowDays: days, deletionDate: undefined };
    // Force-deleting a missing secret is not an error on AWS, so look first to answer "nothing was there".
    if (days === 0 && !(await this.exists(path))) return nothing;
    const { sdk, client } = await this.connect();
    try {
      const out = await awsCall(
        this.subject(path, name, 'DeleteSecret'),
        this.settings.policy,
        (abortSignal) =>
          client.send(
            new sdk.DeleteSecretCommand(
              days === 0
                ? { SecretId: name, ForceDeleteWithoutRecovery: true }
                : { SecretId: name, RecoveryWindowInDays: days },
            ),
            { abortSignal },
          ),
        // Already scheduled for deletion: nothing live was there.
        { notFound: ['ResourceNotFoundException', PENDING_DELETION] },
      );
      return { deleted: true, recoveryWindowDays: days, deletionDate: out.DeletionDate };
    } catch (e) {
      if (isSecretNotFound(e)) return nothing;
      throw e;
    }
  }

  async status(path: SecretPath): Promise<SecretStatus> {
    return (await this.exists(path)) ? 'initialized' : 'missing';
  }

  /** DescribeSecret: no value read. A secret scheduled for deletion, or one with no current version, is missing. */
  async exists(path: SecretPath): Promise<boolean> {
    const name = this.locate(path);
    const { sdk, client } = await this.connect();
    try {
      const out = await awsCall(
        this.subject(path, name, 'DescribeSecret'),
        this.settings.policy,
        (abortSignal) => client.send(new sdk.DescribeSecretCommand({ SecretId: name }), { abortSignal }),
        { notFound: ['ResourceNotFoundException'] },
      );
      if (out.DeletedDate !== undefined) return false;
      return Object.values(out.VersionIdsToStages ?? {}).some((stages) => stages.includes('AWSCURRENT'));
    } catch (e) {
      if (isSecretNotFound(e)) return false;
      throw e;
    }
  }

  async statusMany(paths: readonly SecretPath[]): Promise<SecretStatus[]> {
    const found = await this.fetch(paths);
    return paths.map((_, i) => (found[i] !== undefined ? 'initialized' : 'missing'));
  }

  async getMany(paths: readonly SecretPath[]): Promise<GetManyResult[]> {
    const found = await this.fetch(paths);
    return paths.map((path, i) => {
      const raw = found[i];
      return raw === undefined ? { path, found: false } : { path, found: true, value: decodeAwsValue(raw) };
    });
  }

  /** BatchGetSecretValue, 20 ids a call; missing and scheduled-for-deletion ids are absent, other errors throw. */
  private async fetch(paths: readonly SecretPath[]): Promise<(string | undefined)[]> {
    const names = paths.map((p) => this.locate(p));
    if (paths.length === 0) return [];
    const firstPath = new Map<string, SecretPath>();
    names.forEach((n, i) => {
      if (!firstPath.has(n)) firstPath.set(n, paths[i] as SecretPath);
    });
    const unique = [...firstPath.keys()];
    const { sdk, client } = await this.connect();
    const values = new Map<string, string>();
    await mapBounded(chunks(unique, ASM_BATCH_SIZE), ASM_BATCH_CONCURRENCY, async (batch) => {
      const head = batch[0] as string;
      const about: AwsCallSubject = {
        secret: batch.map((n) => firstPath.get(n)?.name).join(', '),
        store: this.name,
        nativeName: batch.length === 1 ? head : `${head} and ${batch.length - 1} more`,
        operation: 'Secrets Manager BatchGetSecretValue',
      };
      const out = await awsCall(about, this.settings.policy, (abortSignal) =>
        client.send(new sdk.BatchGetSecretValueCommand({ SecretIdList: batch }), { abortSignal }),
      );
      for (const error of out.Errors ?? []) {
        const code = error.ErrorCode ?? 'UnknownError';
        if (code === 'ResourceNotFoundException' || code === PENDING_DELETION) continue;
        // One secret the caller may not read fails the batch, naming that secret.
        const id = error.SecretId ?? head;
        const failure = Object.assign(new Error(error.Message ?? ''), { name: code });
        throw mapAwsError(failure, {
          ...about,
          secret: firstPath.get(id)?.name ?? id,
          nativeName: id,
        });
      }
      for (const v of out.SecretValues ?? []) {
        if (v.Name !== undefined) values.set(v.Name, stringOf(v));
      }
    });
    return names.map((n) => values.get(n));
  }

  /** ListSecretVersionIds with deprecated versions, every page, newest first; the AWSCURRENT one is current. */
  async versions(path: SecretPath): Promise<AsmSecretVersion[]> {
    const name = this.locate(path);
    const { sdk, client } = await this.connect();
    const all = await allPages(async (token) => {
      const out = await awsCall(
        this.subject(path, name, 'ListSecretVersionIds'),
        this.settings.policy,
        (abortSignal) =>
          client.send(
            new sdk.ListSecretVersionIdsCommand({
              SecretId: name,
              IncludeDeprecated: true,
              MaxResults: VERSIONS_PAGE,
              ...(token !== undefined ? { NextToken: token } : {}),
            }),
            { abortSignal },
          ),
        { notFound: ['ResourceNotFoundException'] },
      );
      return { items: out.Versions, next: out.NextToken };
    });
    const isCurrent = (v: AsmSdk.SecretVersionsListEntry): boolean => (v.VersionStages ?? []).includes('AWSCURRENT');
    const sorted = all.sort(
      (a, b) =>
        (b.CreatedDate?.getTime() ?? 0) - (a.CreatedDate?.getTime() ?? 0) ||
        Number(isCurrent(b)) - Number(isCurrent(a)),
    );
    return sorted.map((v) => ({
      version: v.VersionId ?? '',
      createdAt: v.CreatedDate,
      current: isCurrent(v),
      stages: v.VersionStages ?? [],
    }));
  }

  /**
   * The secrets under the store's prefix: ListSecrets with a `name` filter on the prefix (the service matches
   * name beginnings; the whole-segment check is ours), page by page (100 a call). Metadata only; secrets
   * scheduled for deletion are left out (the service's default), and LastChangedDate is the last change.
   */
  async *listManaged(options: ListManagedOptions = {}): AsyncIterable<ManagedEntry> {
    const root = managedRoot(this.settings.common.prefix ?? '');
    const subject: AwsCallSubject = {
      secret: `(every secret under ${root})`,
      store: this.name,
      nativeName: root,
      operation: 'Secrets Manager ListSecrets',
    };
    const { sdk, client } = await this.connect();
    const size = pageSizeWithin(options.pageSize, ASM_LIST_PAGE);
    let token: string | undefined;
    do {
      const next = token;
      const out = await awsCall(subject, this.settings.policy, (abortSignal) =>
        client.send(
          new sdk.ListSecretsCommand({
            Filters: [{ Key: 'name', Values: [root] }],
            MaxResults: size,
            ...(next !== undefined ? { NextToken: next } : {}),
          }),
          { abortSignal },
        ),
      );
      for (const s of out.SecretList ?? []) {
        const segments = s.Name === undefined ? undefined : segmentsUnder(s.Name, root);
        if (s.Name === undefined || !segments || s.DeletedDate !== undefined) continue;
        yield { name: s.Name, segments, lastChanged: s.LastChangedDate ?? s.CreatedDate };
      }
      token = out.NextToken;
    } while (token);
  }

  close(): Promise<void> {
    return this.sdk.close();
  }
}

/** The stored text of a value: SecretString, or a binary secret (written by another tool) read as UTF-8. */
function stringOf(v: { SecretString?: string | undefined; SecretBinary?: Uint8Array | undefined }): string {
  if (v.SecretString !== undefined) return v.SecretString;
  return v.SecretBinary !== undefined ? Buffer.from(v.SecretBinary).toString('utf8') : '';
}
