// A SecretStore over AWS SSM Parameter Store (`aws/ssm`), on @aws-sdk/client-ssm loaded on first use. Names as
// Atmos writes them (naming/ssm.ts); `SecureString` in a secret store, `String` otherwise; `Overwrite: true`;
// values as Atmos writes strings (aws-value.ts). Batched reads with GetParameters (10 names a call), history
// with GetParameterHistory (newest first here), each call through aws-call.ts (timeout, retries, errors).
import type * as SsmSdk from '@aws-sdk/client-ssm';
import { AppError, type SourceLocation } from '../../../shared/errors';
import type { AwsCredentialsProvider } from '../../auth';
import type { NamingContext } from '../naming/common';
import { ssmParameterName } from '../naming/ssm';
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
  chunks,
  decodeAwsValue,
  encodeAwsValue,
  type AwsCallPolicy,
  type AwsCallSubject,
  type AwsCommonSettings,
} from '../aws-common';
import { mapBounded } from '../bounded';
import { managedRoot, pageSizeWithin, segmentsUnder } from '../managed-prefix';

/** GetParameters and DeleteParameters take at most 10 names. */
export const SSM_BATCH_SIZE = 10;
/** GetParameterHistory pages hold at most 50 versions. */
const HISTORY_PAGE = 50;
/** DescribeParameters pages hold at most 50 parameters. */
export const SSM_LIST_PAGE = 50;
/** Batches in flight at once for a large listing. */
export const SSM_BATCH_CONCURRENCY = 4;
export const SSM_STANDARD_MAX_BYTES = 4096;
export const SSM_ADVANCED_MAX_BYTES = 8192;

export type SsmTier = 'Standard' | 'Advanced';

export interface SsmStoreSettings {
  readonly name: string;
  /** `secret: true` in atmos.yaml: values are written as SecureString. */
  readonly secret: boolean;
  readonly common: AwsCommonSettings;
  /** Sent only when configured: an update without Tier keeps an Advanced parameter Advanced (no downgrade). */
  readonly tier: SsmTier | undefined;
  /** The KMS key for SecureString (default: the account's alias/aws/ssm). */
  readonly kmsKeyId: string | undefined;
  readonly credentials: AwsCredentialsProvider | undefined;
  readonly policy: AwsCallPolicy;
  readonly location?: SourceLocation | undefined;
}

type Sdk = typeof SsmSdk;

/** A version of a parameter: the SecretVersion plus its labels. */
export interface SsmSecretVersion extends SecretVersion {
  readonly labels: readonly string[];
}

export class SsmSecretStore implements SecretStore {
  readonly name: string;
  readonly kind = 'aws/ssm' as const;
  readonly capabilities: StoreCapabilities;
  private readonly settings: SsmStoreSettings;
  private readonly ctx: NamingContext;
  /** The SDK and one client, loaded on the first call. */
  private readonly sdk = new LazyAwsClient(() =>
    import('@aws-sdk/client-ssm').then(async (sdk) => {
      const client = new sdk.SSMClient(awsClientSettings(this.settings.common, this.settings.credentials));
      await requireRegion(client.config.region, { name: this.name, kind: this.kind, location: this.settings.location });
      return { sdk, client };
    }),
  );

  constructor(settings: SsmStoreSettings) {
    this.name = settings.name;
    this.settings = settings;
    this.ctx = { store: settings.name, location: settings.location };
    this.capabilities = {
      versions: true,
      batchSize: SSM_BATCH_SIZE,
      maxValueBytes: settings.tier === 'Advanced' ? SSM_ADVANCED_MAX_BYTES : SSM_STANDARD_MAX_BYTES,
      scopes: ALL_SCOPES,
      local: false,
      lossyNames: false,
    };
  }

  locate(path: SecretPath): string {
    const c = this.settings.common;
    return ssmParameterName(path, { prefix: c.prefix, stackDelimiter: c.stackDelimiter, region: c.region }, this.ctx);
  }

  private connect(): Promise<{ sdk: Sdk; client: SsmSdk.SSMClient }> {
    return this.sdk.get();
  }

  private subject(path: SecretPath, nativeName: string, operation: string): AwsCallSubject {
    return { secret: path.name, store: this.name, nativeName, operation: `SSM ${operation}` };
  }

  async get(path: SecretPath): Promise<string> {
    const name = this.locate(path);
    const { sdk, client } = await this.connect();
    const out = await awsCall(
      this.subject(path, name, 'GetParameter'),
      this.settings.policy,
      (abortSignal) => client.send(new sdk.GetParameterCommand({ Name: name, WithDecryption: true }), { abortSignal }),
      { notFound: ['ParameterNotFound'] },
    );
    return decodeAwsValue(out.Parameter?.Value ?? '');
  }

  /**
   * One earlier version's value: GetParameter with the `name:version` selector (decrypted). A version that
   * history no longer holds is not found; anything but a version number is refused before any call (a label
   * would be a selector too, and restore takes the numbers `versions()` listed).
   */
  async getVersion(path: SecretPath, version: string): Promise<string> {
    const name = this.locate(path);
    if (!/^[1-9]\d{0,18}$/.test(version)) {
      throw new AppError(
        'BAD_REQUEST',
        `secret "${path.name}" in store "${this.name}" has no version "${version}": SSM versions are numbers`,
        { hint: `Pick a version number that history lists: ${historyCommand(path)}` },
      );
    }
    const { sdk, client } = await this.connect();
    const out = await awsCall(
      this.subject(path, name, 'GetParameter'),
      this.settings.policy,
      (abortSignal) =>
        client.send(new sdk.GetParameterCommand({ Name: `${name}:${version}`, WithDecryption: true }), {
          abortSignal,
        }),
      { notFound: ['ParameterNotFound', 'ParameterVersionNotFound'] },
    );
    return decodeAwsValue(out.Parameter?.Value ?? '');
  }

  async set(path: SecretPath, value: string): Promise<void> {
    const name = this.locate(path);
    const subject = { secret: path.name, store: this.name };
    if (utf8Bytes(value) > this.capabilities.maxValueBytes) {
      throw new ValueTooLargeError(
        subject,
        this.capabilities.maxValueBytes,
        `an SSM ${this.settings.tier ?? 'Standard'} parameter`,
      );
    }
    const stored = encodeAwsValue(value, subject);
    const { sdk, client } = await this.connect();
    const secure = this.settings.secret;
    await awsCall(
      this.subject(path, name, 'PutParameter'),
      this.settings.policy,
      (abortSignal) =>
        client.send(
          new sdk.PutParameterCommand({
            Name: name,
            Value: stored,
            Type: secure ? 'SecureString' : 'String',
            Overwrite: true,
            ...(this.settings.tier !== undefined ? { Tier: this.settings.tier } : {}),
            ...(secure && this.settings.kmsKeyId !== undefined ? { KeyId: this.settings.kmsKeyId } : {}),
          }),
          { abortSignal },
        ),
      { value: stored },
    );
  }

  async delete(path: SecretPath): Promise<boolean> {
    const name = this.locate(path);
    const { sdk, client } = await this.connect();
    try {
      await awsCall(
        this.subject(path, name, 'DeleteParameter'),
        this.settings.policy,
        (abortSignal) => client.send(new sdk.DeleteParameterCommand({ Name: name }), { abortSignal }),
        { notFound: ['ParameterNotFound'] },
      );
      return true;
    } catch (e) {
      if (isSecretNotFound(e)) return false;
      throw e;
    }
  }

  async status(path: SecretPath): Promise<SecretStatus> {
    return (await this.exists(path)) ? 'initialized' : 'missing';
  }

  async exists(path: SecretPath): Promise<boolean> {
    const [status] = await this.statusMany([path]);
    return status === 'initialized';
  }

  /** GetParameters without decryption (no KMS call, no plaintext on the wire): 10 names a call. */
  async statusMany(paths: readonly SecretPath[]): Promise<SecretStatus[]> {
    const found = await this.fetch(paths, false);
    return paths.map((_, i) => (found[i] !== undefined ? 'initialized' : 'missing'));
  }

  async getMany(paths: readonly SecretPath[]): Promise<GetManyResult[]> {
    const found = await this.fetch(paths, true);
    return paths.map((path, i) => {
      const raw = found[i];
      return raw === undefined ? { path, found: false } : { path, found: true, value: decodeAwsValue(raw) };
    });
  }

  /** Each path's stored value (ciphertext without decryption), or undefined; every path is mapped before any call. */
  private async fetch(paths: readonly SecretPath[], decrypt: boolean): Promise<(string | undefined)[]> {
    const names = paths.map((p) => this.locate(p));
    if (paths.length === 0) return [];
    const unique = [...new Set(names)];
    const firstPath = new Map<string, SecretPath>();
    names.forEach((n, i) => {
      if (!firstPath.has(n)) firstPath.set(n, paths[i] as SecretPath);
    });
    const { sdk, client } = await this.connect();
    const values = new Map<string, string>();
    await mapBounded(chunks(unique, SSM_BATCH_SIZE), SSM_BATCH_CONCURRENCY, async (batch) => {
      const head = batch[0] as string;
      const about =
        batch.length === 1
          ? this.subject(firstPath.get(head) as SecretPath, head, 'GetParameters')
          : {
              secret: batch.map((n) => firstPath.get(n)?.name).join(', '),
              store: this.name,
              nativeName: `${head} and ${batch.length - 1} more`,
              operation: 'SSM GetParameters',
            };
      const out = await awsCall(about, this.settings.policy, (abortSignal) =>
        client.send(new sdk.GetParametersCommand({ Names: batch, WithDecryption: decrypt }), { abortSignal }),
      );
      for (const p of out.Parameters ?? []) {
        if (p.Name !== undefined) values.set(p.Name, p.Value ?? '');
      }
    });
    return names.map((n) => values.get(n));
  }

  /** GetParameterHistory, every page, newest first; the current version is the highest. */
  async versions(path: SecretPath): Promise<SsmSecretVersion[]> {
    const name = this.locate(path);
    const { sdk, client } = await this.connect();
    const all = await allPages(async (token) => {
      const out = await awsCall(
        this.subject(path, name, 'GetParameterHistory'),
        this.settings.policy,
        (abortSignal) =>
          client.send(
            new sdk.GetParameterHistoryCommand({
              Name: name,
              WithDecryption: false,
              MaxResults: HISTORY_PAGE,
              ...(token !== undefined ? { NextToken: token } : {}),
            }),
            { abortSignal },
          ),
        { notFound: ['ParameterNotFound'] },
      );
      return { items: out.Parameters, next: out.NextToken };
    });
    const sorted = all.sort((a, b) => (b.Version ?? 0) - (a.Version ?? 0));
    return sorted.map((v, i) => ({
      version: String(v.Version ?? ''),
      createdAt: v.LastModifiedDate,
      current: i === 0,
      labels: v.Labels ?? [],
    }));
  }

  /**
   * The parameters under the store's prefix: DescribeParameters with a recursive Path filter, page by page (50
   * a call). Metadata only: unlike GetParametersByPath it never carries a value, not even ciphertext.
   */
  async *listManaged(options: ListManagedOptions = {}): AsyncIterable<ManagedEntry> {
    const root = managedRoot(this.settings.common.prefix ?? '', 'force');
    const path = root === '/' ? '/' : root.replace(/\/+$/, '');
    const subject: AwsCallSubject = {
      secret: `(every secret under ${root})`,
      store: this.name,
      nativeName: path,
      operation: 'SSM DescribeParameters',
    };
    const { sdk, client } = await this.connect();
    const size = pageSizeWithin(options.pageSize, SSM_LIST_PAGE);
    let token: string | undefined;
    do {
      const next = token;
      const out = await awsCall(subject, this.settings.policy, (abortSignal) =>
        client.send(
          new sdk.DescribeParametersCommand({
            ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [path] }],
            MaxResults: size,
            ...(next !== undefined ? { NextToken: next } : {}),
          }),
          { abortSignal },
        ),
      );
      for (const p of out.Parameters ?? []) {
        const segments = p.Name === undefined ? undefined : segmentsUnder(p.Name, root);
        if (p.Name === undefined || !segments) continue;
        yield { name: p.Name, segments, lastChanged: p.LastModifiedDate };
      }
      token = out.NextToken;
    } while (token);
  }

  /** Closes the client's sockets (tests, and the app when a workspace closes). */
  close(): Promise<void> {
    return this.sdk.close();
  }
}

/** The CLI command that lists a path's versions (stack and component as the path has them). */
function historyCommand(path: SecretPath): string {
  const stack = path.stack ?? '<stack>';
  const component = path.scope === 'instance' && path.component !== undefined ? ` -c ${path.component}` : '';
  return `atmos-secret history ${path.name} -s ${stack}${component}`;
}
