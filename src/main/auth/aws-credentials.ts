// AWS credential providers for auth identities: static keys, a named profile of the shared config, keys kept in
// the OS keychain, and STS AssumeRole on top of another provider. Each provider resolves lazily and keeps its
// credentials until shortly before they expire, so one run calls STS once per identity.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { z } from 'zod';
import { AppError, isAppError } from '../../shared/errors';
import type { Keychain } from '../keychain/keychain';

/** Structurally an AWS SDK credential identity (what `credentials` of an SDK client accepts). */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

export interface StsAssumeRequest {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly region: string;
  /** The caller: explicit credentials, else a named profile, else the SDK's default chain. */
  readonly credentials?: AwsCredentialsProvider;
  readonly profile?: string;
  /** Endpoint override; unset: the SDK's (AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL are honoured by it). */
  readonly endpoint?: string;
}

export type StsAssume = (request: StsAssumeRequest) => Promise<AwsCredentials>;

/** AssumeRole through @aws-sdk/client-sts. */
export const sdkStsAssume: StsAssume = async (request) => {
  const client = new STSClient({
    region: request.region,
    ...(request.profile ? { profile: request.profile } : {}),
    ...(request.credentials ? { credentials: request.credentials } : {}),
    ...(request.endpoint ? { endpoint: request.endpoint } : {}),
    // One attempt per call keeps a refused role quick; STS throttling is rare at one call per identity and run.
    maxAttempts: 2,
  });
  try {
    const out = await client.send(
      new AssumeRoleCommand({ RoleArn: request.roleArn, RoleSessionName: request.sessionName }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
  } finally {
    client.destroy();
  }
};

/** The error's AWS code and message (AWS messages name ARNs, never credentials); nothing else of it. */
export function describeAwsError(e: unknown): string {
  if (e instanceof Error) {
    const message = e.message && e.message !== 'UnknownError' ? `: ${e.message.slice(0, 300)}` : '';
    return `${e.name}${message}`;
  }
  return 'unknown error';
}

const REFRESH_MARGIN_MS = 5 * 60_000;

/** Calls `fetch` once and again only when the credentials are about to expire; a failure is not cached. */
export function memoizedProvider(fetch: AwsCredentialsProvider, now: () => Date): AwsCredentialsProvider {
  let cached: Promise<AwsCredentials> | undefined;
  return async () => {
    if (cached) {
      const current = await cached.catch(() => undefined);
      if (current && (!current.expiration || current.expiration.getTime() - now().getTime() > REFRESH_MARGIN_MS)) {
        return current;
      }
    }
    const pending = fetch();
    cached = pending;
    pending.catch(() => {
      if (cached === pending) cached = undefined;
    });
    return pending;
  };
}

export function staticProvider(credentials: AwsCredentials): AwsCredentialsProvider {
  return () => Promise.resolve(credentials);
}

/** The SDK's chain for a named profile (shared config/credentials files, SSO cache, credential_process). */
export function profileProvider(profile: string, region: string): AwsCredentialsProvider {
  // The client is only a way to reach the SDK's profile-aware default provider without another dependency.
  const client = new STSClient({ region, profile });
  const credentials = client.config.credentials;
  return async () => {
    try {
      return await credentials();
    } catch (e) {
      throw new AppError('AUTH', `Could not load AWS credentials of profile "${profile}": ${describeAwsError(e)}`, {
        hint: 'Check the profile in your AWS config (for an SSO profile, run `aws sso login --profile` first).',
      });
    }
  };
}

/** What an aws/user identity keeps in the keychain: JSON with these fields. */
const keychainKeys = z.object({
  access_key_id: z.string().min(1),
  secret_access_key: z.string().min(1),
  session_token: z.string().min(1).optional(),
});

/** The keychain account of an aws/user identity's keys. */
export function awsUserAccount(identity: string): string {
  return `auth/aws-user/${identity}`;
}

/** Keys of an aws/user identity read from the keychain on first use. AUTH error when missing or malformed. */
export function keychainProvider(identity: string, keychain: Keychain): AwsCredentialsProvider {
  const account = awsUserAccount(identity);
  const hint =
    `Store JSON {"access_key_id": "...", "secret_access_key": "..."} in keychain service "${keychain.service}" ` +
    `account "${account}", or set credentials (or a profile) on the identity.`;
  return async () => {
    const raw = await keychain.get(account);
    if (raw === null) {
      throw new AppError('AUTH', `No AWS keys are stored for aws/user identity "${identity}"`, { hint });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const keys = keychainKeys.safeParse(parsed);
    // Never the stored text in the message: it holds the secret key.
    if (!keys.success) {
      throw new AppError('AUTH', `The keychain entry of aws/user identity "${identity}" is not the expected JSON`, {
        hint,
      });
    }
    return {
      accessKeyId: keys.data.access_key_id,
      secretAccessKey: keys.data.secret_access_key,
      ...(keys.data.session_token ? { sessionToken: keys.data.session_token } : {}),
    };
  };
}

/** AssumeRole of `roleArn` as `base` (or the default chain), refreshed shortly before expiry. */
export function assumeRoleProvider(
  identity: string,
  request: StsAssumeRequest,
  assume: StsAssume,
  now: () => Date,
): AwsCredentialsProvider {
  return memoizedProvider(async () => {
    try {
      return await assume(request);
    } catch (e) {
      // The caller's own credentials failed (e.g. keys missing from the keychain): that error says what to fix.
      if (isAppError(e)) throw e;
      throw new AppError(
        'AUTH',
        `Could not assume role ${request.roleArn} for auth identity "${identity}": ${describeAwsError(e)}`,
        {
          hint: 'Check that the identity it is assumed from may call sts:AssumeRole on that role and the role trusts it.',
          cause: e,
        },
      );
    }
  }, now);
}
