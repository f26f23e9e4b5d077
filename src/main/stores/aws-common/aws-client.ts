// What every AWS SDK client of a store is built with: the region and endpoint from atmos.yaml (else the SDK's
// default chain), the store's auth identity (src/main/auth, as SOPS KMS uses it) or the default credential
// chain, and the SDK's own retries off (aws-call.ts retries, so attempts stay countable).
import { AppError } from '../../../shared/errors';
import type { AwsCredentialsProvider } from '../../auth';
import type { StoreConfig } from '../store-config';
import type { AwsCallPolicy } from './aws-call';
import type { AwsCommonSettings } from './aws-options';
import type { Sleep } from '../retry';

/** What the AWS store factories need from the app: the identity resolver (compose.ts builds one per workspace). */
export interface AwsStoreDeps {
  /** Auth identities -> AWS credentials; a store with `identity:` needs it. */
  readonly identities?: { awsCredentials(name: string, usedFor?: string): AwsCredentialsProvider } | undefined;
  /** Cancels every call of the stores made with these deps. */
  readonly signal?: AbortSignal | undefined;
  /** Tests: backoff without waiting. */
  readonly sleep?: Sleep | undefined;
  readonly random?: (() => number) | undefined;
}

export interface AwsClientSettings {
  readonly region?: string;
  readonly endpoint?: string;
  readonly credentials?: AwsCredentialsProvider;
  readonly maxAttempts: 1;
}

/** The credentials of the store's identity; undefined: the SDK default chain. CONFIG errors before any call. */
export function storeCredentials(config: StoreConfig, deps: AwsStoreDeps): AwsCredentialsProvider | undefined {
  if (config.identity === undefined) return undefined;
  if (!deps.identities) {
    throw new AppError(
      'CONFIG',
      `store "${config.name}" uses identity "${config.identity}", but no auth identities are available here`,
      { location: config.location, hint: 'Remove `identity:` to use the default AWS credential chain.' },
    );
  }
  return deps.identities.awsCredentials(config.identity, `store "${config.name}" (${config.kind})`);
}

export function awsClientSettings(
  common: AwsCommonSettings,
  credentials: AwsCredentialsProvider | undefined,
): AwsClientSettings {
  return {
    ...(common.region !== undefined ? { region: common.region } : {}),
    ...(common.endpoint !== undefined ? { endpoint: common.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts: 1,
  };
}

export function awsCallPolicy(common: AwsCommonSettings, deps: AwsStoreDeps): AwsCallPolicy {
  return {
    timeoutMs: common.timeoutMs,
    maxAttempts: common.maxAttempts,
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.random ? { random: deps.random } : {}),
  };
}

/**
 * Resolves the client's region before the first call, so a store with none anywhere (options, AWS_REGION, the
 * profile) fails as configuration, naming the store and the fix, instead of as a failed request.
 */
export async function requireRegion(
  region: () => Promise<string>,
  config: Pick<StoreConfig, 'name' | 'kind' | 'location'>,
): Promise<void> {
  let resolved: string | undefined;
  try {
    resolved = await region();
  } catch {
    resolved = undefined;
  }
  if (!resolved) {
    throw new AppError('CONFIG', `store "${config.name}" (${config.kind}) has no AWS region`, {
      location: config.location,
      hint: `Set options.region on stores.${config.name} in atmos.yaml, or AWS_REGION, or a region in your AWS profile.`,
    });
  }
}

/**
 * An SDK module and one client of it, loaded on the first call (the CLI must not pay for an AWS SDK at start) and
 * destroyed by close(), which also lets the next call load afresh. A failed load is kept: every call reports it.
 */
export class LazyAwsClient<S, C extends { destroy(): void }> {
  #loaded: Promise<{ sdk: S; client: C }> | undefined;

  constructor(private readonly load: () => Promise<{ sdk: S; client: C }>) {}

  get(): Promise<{ sdk: S; client: C }> {
    this.#loaded ??= this.load();
    return this.#loaded;
  }

  /** Closes the client's sockets (tests, and the app when a workspace closes). */
  async close(): Promise<void> {
    const loaded = this.#loaded;
    this.#loaded = undefined;
    if (loaded) (await loaded.catch(() => undefined))?.client.destroy();
  }
}

/** Every page of a paginated AWS call, in order: `page(token)` fetches one (no token: the first). */
export async function allPages<T>(
  page: (token: string | undefined) => Promise<{ readonly items: readonly T[] | undefined; readonly next?: string }>,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const out = await page(token);
    all.push(...(out.items ?? []));
    token = out.next;
  } while (token);
  return all;
}
