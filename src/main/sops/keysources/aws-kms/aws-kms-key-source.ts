// The AWS KMS key source: Encrypt/Decrypt of a SOPS data key with @aws-sdk/client-kms, as sops does it
// (Encrypt {KeyId: arn, Plaintext, EncryptionContext}; Decrypt {CiphertextBlob, EncryptionContext}; enc = base64).
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { z } from 'zod';
import { AppError } from '../../../../shared/errors';
import { type KeySource, type MasterKeyEntry, type MasterKeySpec } from '../../key-source';
import { parseKmsArn } from './arn';
import {
  type AssumeRole,
  type AwsCredentialsProvider,
  assumedRoleProvider,
  sopsSessionName,
  stsAssumeRole,
} from './credentials';
import { mapAwsKmsError } from './errors';

type KmsEntry = Extract<MasterKeyEntry, { type: 'kms' }>;
type KmsSpec = Extract<MasterKeySpec, { type: 'kms' }>;

/** What the key source needs from a KMS client (a KMSClient has it; tests may wrap one). */
export type KmsApi = Pick<KMSClient, 'send'> & { destroy?(): void };

export type AwsKmsKeySource = KeySource<'kms'> & {
  /** Releases the SDK clients (their sockets); the source can still be used and makes new ones. */
  close(): void;
};

/** One client per region and identity. */
export interface AwsKmsClientConfig {
  readonly region: string;
  /** The entry's aws_profile, when set. */
  readonly profile?: string;
  /** The resolved credentials: role or injected provider. Unset: the SDK's chain (with `profile` if set). */
  readonly credentials?: AwsCredentialsProvider;
  readonly endpoint?: string;
  readonly maxAttempts?: number;
}

export type KmsClientFactory = (config: AwsKmsClientConfig) => KmsApi;

export interface AwsKmsKeySourceOptions {
  /** The identity to use when an entry names no aws_profile (e.g. from the app's identity settings). */
  readonly credentials?: AwsCredentialsProvider;
  /** Endpoint override. Default: the SDK's own (AWS_ENDPOINT_URL_KMS / AWS_ENDPOINT_URL are honoured by it). */
  readonly endpoint?: string;
  /** SDK attempts per call (retries on throttling and 5xx). Default: the SDK's (3). */
  readonly maxAttempts?: number;
  readonly clientFactory?: KmsClientFactory;
  /** STS AssumeRole for entries with a role. Default: @aws-sdk/client-sts. */
  readonly assumeRole?: AssumeRole;
  /** The role session name. Default: sops@<hostname>. */
  readonly roleSessionName?: string;
  readonly now?: () => Date;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/\s]*={0,2}\s*$/, 'not base64');
const encryptOutput = z.object({ CiphertextBlob: z.instanceof(Uint8Array) });
const decryptOutput = z.object({ Plaintext: z.instanceof(Uint8Array) });

export const defaultKmsClientFactory: KmsClientFactory = (config) =>
  new KMSClient({
    region: config.region,
    ...(config.profile ? { profile: config.profile } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.maxAttempts ? { maxAttempts: config.maxAttempts } : {}),
  });

function rfc3339Seconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A context with no keys is the same as none: sops omits it and KMS treats both alike. */
function contextOf(context: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  return context && Object.keys(context).length > 0 ? { ...context } : undefined;
}

export function createAwsKmsKeySource(options: AwsKmsKeySourceOptions = {}): AwsKmsKeySource {
  const factory = options.clientFactory ?? defaultKmsClientFactory;
  const assume = options.assumeRole ?? stsAssumeRole;
  const now = options.now ?? (() => new Date());
  const clients = new Map<string, KmsApi>();
  const roleProviders = new Map<string, AwsCredentialsProvider>();

  /** Identity order: the entry's profile and role, else the injected provider, else the SDK's default chain. */
  function clientFor(region: string, profile: string | undefined, role: string | undefined): KmsApi {
    const cacheKey = JSON.stringify([region, profile ?? '', role ?? '']);
    const existing = clients.get(cacheKey);
    if (existing) return existing;
    let credentials: AwsCredentialsProvider | undefined = profile ? undefined : options.credentials;
    if (role) {
      let provider = roleProviders.get(cacheKey);
      if (!provider) {
        provider = assumedRoleProvider(
          assume,
          {
            roleArn: role,
            sessionName: options.roleSessionName ?? sopsSessionName(),
            region,
            ...(profile ? { profile } : {}),
            ...(credentials ? { credentials } : {}),
          },
          now,
        );
        roleProviders.set(cacheKey, provider);
      }
      credentials = provider;
    }
    const client = factory({
      region,
      ...(profile && !role ? { profile } : {}),
      ...(credentials ? { credentials } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    });
    clients.set(cacheKey, client);
    return client;
  }

  async function wrap(dataKey: Uint8Array, spec: KmsSpec): Promise<KmsEntry> {
    const { arn, region } = parseKmsArn(spec.arn);
    const profile = spec.aws_profile || undefined;
    const role = spec.role || undefined;
    const context = contextOf(spec.context);
    let blob: Uint8Array;
    try {
      const out = await clientFor(region, profile, role).send(
        new EncryptCommand({ KeyId: arn, Plaintext: dataKey, ...(context ? { EncryptionContext: context } : {}) }),
      );
      blob = encryptOutput.parse(out).CiphertextBlob;
    } catch (e) {
      throw e instanceof z.ZodError
        ? new AppError('BACKEND', `AWS KMS returned no ciphertext for key ${arn}.`)
        : mapAwsKmsError(e, arn, 'wrap');
    }
    return {
      type: 'kms',
      arn,
      ...(role ? { role } : {}),
      ...(context ? { context } : {}),
      // sops always writes aws_profile, empty when unset.
      aws_profile: profile ?? '',
      enc: Buffer.from(blob).toString('base64'),
      created_at: rfc3339Seconds(now()),
    };
  }

  async function unwrap(entry: KmsEntry): Promise<Uint8Array> {
    const { arn, region } = parseKmsArn(entry.arn);
    if (!base64.safeParse(entry.enc).success || entry.enc.trim() === '') {
      throw new AppError('SOPS', `The kms entry for ${arn} does not hold a base64 ciphertext.`);
    }
    const context = contextOf(entry.context);
    try {
      const out = await clientFor(region, entry.aws_profile || undefined, entry.role || undefined).send(
        new DecryptCommand({
          CiphertextBlob: new Uint8Array(Buffer.from(entry.enc, 'base64')),
          ...(context ? { EncryptionContext: context } : {}),
        }),
      );
      return decryptOutput.parse(out).Plaintext;
    } catch (e) {
      throw e instanceof z.ZodError
        ? new AppError('BACKEND', `AWS KMS returned no plaintext for key ${arn}.`)
        : mapAwsKmsError(e, arn, 'unwrap');
    }
  }

  function close(): void {
    for (const c of clients.values()) c.destroy?.();
    clients.clear();
  }

  return { type: 'kms', wrap, unwrap, close };
}
