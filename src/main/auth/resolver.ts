// Maps an auth identity name to SDK credentials: an AWS credentials provider for AWS KMS (aws/user,
// aws/assume-role chained `via` another identity or a provider), client options for GCP KMS
// (gcp/service-account key file, or ADC) and an Azure TokenCredential (azure/client-secret, azure/default). Configuration errors surface when an identity is resolved, before any
// call; resolved credentials are cached per identity for the resolver's life (one run).
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import { DEFAULT_KEYCHAIN_SERVICE, type Keychain } from '../keychain/keychain';
import {
  assumeRoleProvider,
  keychainProvider,
  profileProvider,
  sdkStsAssume,
  staticProvider,
  type AwsCredentialsProvider,
  type StsAssume,
} from './aws-credentials';
import {
  clientSecretCredential,
  defaultChainCredential,
  sdkAzureCredentials,
  type AzureCredentialMaker,
  type TokenCredential,
} from './azure-credentials';
import {
  cloudOf,
  identityConfig,
  parseAuthSection,
  providerConfig,
  type AuthSection,
  type Cloud,
  type IdentityConfig,
  type ProviderConfig,
} from './config';

/** What a GCP client needs for an identity: a key file, or nothing (application default credentials). */
export interface GcpIdentityOptions {
  readonly keyFilename?: string;
}

export interface IdentityResolverOptions {
  /** The raw `auth:` section of atmos.yaml (absent: no identities). */
  readonly auth: unknown;
  /** The OS keychain for a service name (aws/user keys); absent: such identities fail with AUTH. */
  readonly keychain?: ((service?: string) => Keychain) | undefined;
  /** AWS_REGION / AWS_DEFAULT_REGION for STS when an identity names no region (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Relative key files are resolved against it (default: the working directory). */
  readonly basePath?: string | undefined;
  /** STS endpoint override (default: the SDK's, which honours AWS_ENDPOINT_URL_STS). */
  readonly stsEndpoint?: string | undefined;
  readonly assume?: StsAssume | undefined;
  readonly profileProvider?: ((profile: string, region: string) => AwsCredentialsProvider) | undefined;
  readonly now?: (() => Date) | undefined;
  /** Makes Azure SDK credentials (default: @azure/identity, loaded on the first token request). */
  readonly azure?: AzureCredentialMaker | undefined;
}

const DEFAULT_SESSION = 'atmos-secrets';

/** A session name STS accepts ([\w+=,.@-], 2..64). */
function sessionName(identity: string): string {
  return `${DEFAULT_SESSION}-${identity}`.replace(/[^\w+=,.@-]+/g, '-').slice(0, 64);
}

function wrongCloud(
  what: 'identity' | 'provider',
  name: string,
  kind: IdentityConfig['kind'] | ProviderConfig['kind'],
  wanted: Cloud,
  usedFor: string,
): AppError {
  const label = (c: Cloud): string => ({ aws: 'AWS', gcp: 'GCP', azure: 'Azure' })[c];
  const article = (c: Cloud): string => (c === 'gcp' ? 'a' : 'an');
  const have = cloudOf(kind);
  return new AppError(
    'CONFIG',
    `auth ${what} "${name}" is ${article(have)} ${label(have)} ${what} (${kind}), but ${usedFor} needs ${label(wanted)} credentials`,
    {
      hint: `Give the SOPS provider or store (or --identity) ${article(wanted)} ${label(wanted)} identity, or none for the default credential chain.`,
    },
  );
}

export class IdentityResolver {
  private parsed: AuthSection | undefined;
  private readonly aws = new Map<string, AwsCredentialsProvider>();
  private readonly gcp = new Map<string, GcpIdentityOptions>();
  private readonly azure = new Map<string, TokenCredential>();

  constructor(private readonly options: IdentityResolverOptions) {}

  /** Parsed on first use: a malformed `auth:` matters only to a run that resolves an identity. */
  private get section(): AuthSection {
    this.parsed ??= parseAuthSection(this.options.auth);
    return this.parsed;
  }

  /** The configured identity names, sorted. */
  identityNames(): string[] {
    return Object.keys(this.section.identities).sort();
  }

  /**
   * AWS credentials of identity `name` for `usedFor` (e.g. "AWS KMS key arn:..."), cached per identity.
   * CONFIG: unknown, malformed, cyclic or a GCP identity; AUTH: a kind that needs an interactive login.
   */
  awsCredentials(name: string, usedFor = 'AWS KMS'): AwsCredentialsProvider {
    return this.awsIdentity(name, usedFor, []);
  }

  /** GCP client options of identity `name` (errors as for awsCredentials), cached per identity. */
  gcpOptions(name: string, usedFor = 'GCP KMS'): GcpIdentityOptions {
    return this.gcpIdentity(name, usedFor, []);
  }

  /**
   * An Azure credential of identity `name` for `usedFor` (e.g. 'store "kv" (azure/keyvault)'), cached per identity.
   * Errors as for awsCredentials; a keychain entry that is missing fails at the first token request (AUTH).
   */
  azureCredential(name: string, usedFor = 'Azure'): TokenCredential {
    const cached = this.azure.get(name);
    if (cached) return cached;
    const made = this.makeAzure(name, usedFor);
    this.azure.set(name, made);
    return made;
  }

  private makeAzure(name: string, usedFor: string): TokenCredential {
    const config = identityConfig(this.section, name);
    const maker = this.options.azure ?? sdkAzureCredentials;
    switch (config.kind) {
      case 'azure/client-secret': {
        const principal = { tenantId: config.principal.tenant_id, clientId: config.principal.client_id };
        const inline = config.credentials?.client_secret;
        if (inline !== undefined)
          return clientSecretCredential(name, principal, { kind: 'inline', secret: inline }, maker);
        const keychain = this.options.keychain;
        if (!keychain) {
          throw new AppError(
            'AUTH',
            `azure/client-secret identity "${name}" keeps its client secret in the OS keychain, which is not available here`,
            { hint: 'Set credentials.client_secret on the identity (e.g. with !env).' },
          );
        }
        const service = config.credentials?.keychain_service ?? DEFAULT_KEYCHAIN_SERVICE;
        return clientSecretCredential(name, principal, { kind: 'keychain', keychain: keychain(service) }, maker);
      }
      case 'azure/default':
        return defaultChainCredential(
          name,
          {
            ...(config.principal?.tenant_id !== undefined ? { tenantId: config.principal.tenant_id } : {}),
            ...(config.principal?.managed_identity_client_id !== undefined
              ? { managedIdentityClientId: config.principal.managed_identity_client_id }
              : {}),
          },
          maker,
        );
      case 'aws/user':
      case 'aws/assume-role':
      case 'gcp/service-account':
        throw wrongCloud('identity', name, config.kind, 'azure', usedFor);
      default: {
        const never: never = config;
        throw new AppError('INTERNAL', `unexpected identity ${String(never)}`);
      }
    }
  }

  private get now(): () => Date {
    return this.options.now ?? (() => new Date());
  }

  private region(own: string | undefined): string {
    const env = this.options.env ?? process.env;
    return own ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  }

  private enter(chain: readonly string[], key: string): string[] {
    if (chain.includes(key)) {
      throw new AppError('CONFIG', `auth chain is circular: ${[...chain, key].join(' -> ')}`, {
        hint: 'Make one identity in the chain start from a provider, static keys or the default chain.',
      });
    }
    return [...chain, key];
  }

  private awsIdentity(name: string, usedFor: string, chain: readonly string[]): AwsCredentialsProvider {
    const path = this.enter(chain, `identity ${name}`);
    // Cached per identity, also as a link of a chain: one STS session per identity and run.
    const cached = this.aws.get(name);
    if (cached) return cached;
    const made = this.makeAws(name, usedFor, path);
    this.aws.set(name, made);
    return made;
  }

  private makeAws(name: string, usedFor: string, path: readonly string[]): AwsCredentialsProvider {
    const config = identityConfig(this.section, name);
    switch (config.kind) {
      case 'aws/user':
        return this.awsUser(name, config);
      case 'aws/assume-role': {
        const via = config.via;
        const base =
          via?.identity !== undefined
            ? this.awsIdentity(via.identity, usedFor, path)
            : via?.provider !== undefined
              ? this.awsProvider(via.provider, usedFor, path)
              : undefined;
        return this.assume(name, config.principal, base);
      }
      case 'gcp/service-account':
      case 'azure/client-secret':
      case 'azure/default':
        throw wrongCloud('identity', name, config.kind, 'aws', usedFor);
      default: {
        const never: never = config;
        throw new AppError('INTERNAL', `unexpected identity ${String(never)}`);
      }
    }
  }

  private awsUser(name: string, config: Extract<IdentityConfig, { kind: 'aws/user' }>): AwsCredentialsProvider {
    const c = config.credentials;
    const region = this.region(c?.region ?? config.region);
    const profile = c?.profile ?? config.profile;
    if (profile !== undefined) return (this.options.profileProvider ?? profileProvider)(profile, region);
    if (c?.access_key_id !== undefined || c?.secret_access_key !== undefined) {
      if (c.access_key_id === undefined || c.secret_access_key === undefined) {
        throw new AppError(
          'CONFIG',
          `auth identity "${name}" (aws/user) sets only one of credentials.access_key_id and credentials.secret_access_key`,
          { hint: 'Set both (e.g. with !env), or neither to read them from the OS keychain.' },
        );
      }
      return staticProvider({
        accessKeyId: c.access_key_id,
        secretAccessKey: c.secret_access_key,
        ...(c.session_token !== undefined ? { sessionToken: c.session_token } : {}),
      });
    }
    const keychain = this.options.keychain;
    if (!keychain) {
      throw new AppError(
        'AUTH',
        `aws/user identity "${name}" keeps its keys in the OS keychain, which is not available here`,
      );
    }
    return keychainProvider(name, keychain(c?.keychain_service ?? DEFAULT_KEYCHAIN_SERVICE));
  }

  private assume(
    name: string,
    principal: { assume_role: string; session_name?: string | undefined; region?: string | undefined },
    base: AwsCredentialsProvider | undefined,
  ): AwsCredentialsProvider {
    return assumeRoleProvider(
      name,
      {
        roleArn: principal.assume_role,
        sessionName: principal.session_name ?? sessionName(name),
        region: this.region(principal.region),
        ...(base ? { credentials: base } : {}),
        ...(this.options.stsEndpoint ? { endpoint: this.options.stsEndpoint } : {}),
      },
      this.options.assume ?? sdkStsAssume,
      this.now,
    );
  }

  private awsProvider(name: string, usedFor: string, chain: readonly string[]): AwsCredentialsProvider {
    this.enter(chain, `provider ${name}`);
    const config: ProviderConfig = providerConfig(this.section, name);
    switch (config.kind) {
      case 'aws/profile':
        return (this.options.profileProvider ?? profileProvider)(config.profile, this.region(config.region));
      case 'aws/assume-role':
        return this.assume(
          `provider ${name}`,
          { ...config.principal, region: config.principal.region ?? config.region },
          undefined,
        );
      case 'gcp/adc':
      case 'gcp/service-account-key':
        throw wrongCloud('provider', name, config.kind, 'aws', usedFor);
      default: {
        const never: never = config;
        throw new AppError('INTERNAL', `unexpected provider ${String(never)}`);
      }
    }
  }

  private keyFile(owner: string, file: string): GcpIdentityOptions {
    const path = isAbsolute(file) ? file : resolve(this.options.basePath ?? process.cwd(), file);
    if (!existsSync(path)) {
      throw new AppError('CONFIG', `the service-account key file of ${owner} does not exist: ${path}`, {
        hint: 'Point key_file at a service-account JSON key (relative paths are from the base path).',
      });
    }
    return { keyFilename: path };
  }

  private gcpIdentity(name: string, usedFor: string, chain: readonly string[]): GcpIdentityOptions {
    const path = this.enter(chain, `identity ${name}`);
    const cached = this.gcp.get(name);
    if (cached) return cached;
    const made = this.makeGcp(name, usedFor, path);
    this.gcp.set(name, made);
    return made;
  }

  private makeGcp(name: string, usedFor: string, path: readonly string[]): GcpIdentityOptions {
    const config = identityConfig(this.section, name);
    switch (config.kind) {
      case 'gcp/service-account': {
        if (config.principal?.service_account_email !== undefined) {
          throw new AppError(
            'AUTH',
            `auth identity "${name}" impersonates ${config.principal.service_account_email}; service-account impersonation is not supported in this build`,
            {
              hint: 'Use credentials.key_file with a key of that service account, or application default credentials.',
            },
          );
        }
        if (config.credentials?.key_file !== undefined) {
          return this.keyFile(`auth identity "${name}"`, config.credentials.key_file);
        }
        const via = config.via;
        if (via?.identity !== undefined) return this.gcpIdentity(via.identity, usedFor, path);
        if (via?.provider !== undefined) return this.gcpProvider(via.provider, usedFor, path);
        return {};
      }
      case 'aws/user':
      case 'aws/assume-role':
      case 'azure/client-secret':
      case 'azure/default':
        throw wrongCloud('identity', name, config.kind, 'gcp', usedFor);
      default: {
        const never: never = config;
        throw new AppError('INTERNAL', `unexpected identity ${String(never)}`);
      }
    }
  }

  private gcpProvider(name: string, usedFor: string, chain: readonly string[]): GcpIdentityOptions {
    this.enter(chain, `provider ${name}`);
    const config = providerConfig(this.section, name);
    switch (config.kind) {
      case 'gcp/adc':
        return {};
      case 'gcp/service-account-key':
        return this.keyFile(`auth provider "${name}"`, config.key_file);
      case 'aws/profile':
      case 'aws/assume-role':
        throw wrongCloud('provider', name, config.kind, 'gcp', usedFor);
      default: {
        const never: never = config;
        throw new AppError('INTERNAL', `unexpected provider ${String(never)}`);
      }
    }
  }
}
