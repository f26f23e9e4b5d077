// The `auth:` section of atmos.yaml as far as this build turns identities into SDK credentials: `providers`
// (where first credentials come from) and `identities` (what a secrets call runs as), parsed with zod per
// entry when used, so one entry this build cannot handle never breaks the others.
import { z } from 'zod';
import { AppError } from '../../shared/errors';

const nonEmpty = z.string().trim().min(1);

/** `via`: the identity or provider an identity's first credentials come from (exactly one). */
const viaSchema = z
  .strictObject({ identity: nonEmpty.optional(), provider: nonEmpty.optional() })
  .refine((v) => (v.identity === undefined) !== (v.provider === undefined), {
    message: 'set exactly one of via.identity and via.provider',
  });

const assumeRolePrincipal = z.looseObject({
  assume_role: nonEmpty,
  session_name: nonEmpty.optional(),
  region: nonEmpty.optional(),
});

const awsStaticCredentials = z.looseObject({
  access_key_id: nonEmpty.optional(),
  secret_access_key: nonEmpty.optional(),
  session_token: nonEmpty.optional(),
  region: nonEmpty.optional(),
  /** A named profile of the shared AWS config instead of keys. */
  profile: nonEmpty.optional(),
  /** The keychain service the keys are kept in when not inline (default: atmos-secrets). */
  keychain_service: nonEmpty.optional(),
});

const assumeRoleIdentity = z.looseObject({
  kind: z.literal('aws/assume-role'),
  via: viaSchema.optional(),
  principal: assumeRolePrincipal,
});
const awsUserIdentity = z.looseObject({
  kind: z.literal('aws/user'),
  credentials: awsStaticCredentials.optional(),
  profile: nonEmpty.optional(),
  region: nonEmpty.optional(),
});
const gcpServiceAccountIdentity = z.looseObject({
  kind: z.literal('gcp/service-account'),
  via: viaSchema.optional(),
  credentials: z.looseObject({ key_file: nonEmpty.optional() }).optional(),
  principal: z.looseObject({ service_account_email: nonEmpty.optional() }).optional(),
});

/** A tenant as @azure/identity accepts it (a GUID or a domain name), checked here so a typo is CONFIG. */
const azureTenant = nonEmpty.regex(/^[0-9a-zA-Z.-]+$/, 'a tenant id is a GUID or a domain name');

const azureClientSecretIdentity = z.looseObject({
  kind: z.literal('azure/client-secret'),
  principal: z.looseObject({ tenant_id: azureTenant, client_id: nonEmpty }),
  credentials: z
    .looseObject({
      /** Inline (e.g. !env); absent: the OS keychain. */
      client_secret: nonEmpty.optional(),
      /** The keychain service the client secret is kept in when not inline (default: atmos-secrets). */
      keychain_service: nonEmpty.optional(),
    })
    .optional(),
});
const azureDefaultIdentity = z.looseObject({
  kind: z.literal('azure/default'),
  principal: z
    .looseObject({
      tenant_id: azureTenant.optional(),
      /** A user-assigned managed identity's client id. */
      managed_identity_client_id: nonEmpty.optional(),
    })
    .optional(),
});

const awsProfileProvider = z.looseObject({
  kind: z.literal('aws/profile'),
  profile: nonEmpty,
  region: nonEmpty.optional(),
});
const awsAssumeRoleProvider = z.looseObject({
  kind: z.literal('aws/assume-role'),
  principal: assumeRolePrincipal,
  region: nonEmpty.optional(),
});
const gcpAdcProvider = z.looseObject({ kind: z.literal('gcp/adc') });
const gcpKeyFileProvider = z.looseObject({ kind: z.literal('gcp/service-account-key'), key_file: nonEmpty });

export type AssumeRoleIdentity = z.infer<typeof assumeRoleIdentity>;
export type AwsUserIdentity = z.infer<typeof awsUserIdentity>;
export type GcpServiceAccountIdentity = z.infer<typeof gcpServiceAccountIdentity>;
export type AzureClientSecretIdentity = z.infer<typeof azureClientSecretIdentity>;
export type AzureDefaultIdentity = z.infer<typeof azureDefaultIdentity>;
export type IdentityConfig =
  AssumeRoleIdentity | AwsUserIdentity | GcpServiceAccountIdentity | AzureClientSecretIdentity | AzureDefaultIdentity;
export type ProviderConfig =
  | z.infer<typeof awsProfileProvider>
  | z.infer<typeof awsAssumeRoleProvider>
  | z.infer<typeof gcpAdcProvider>
  | z.infer<typeof gcpKeyFileProvider>;
export type Via = z.infer<typeof viaSchema>;

const UNSUPPORTED_HINT =
  'Run `aws sso login --profile P` yourself and use an `aws/profile` provider for profile P (an aws/assume-role ' +
  'identity can chain via it), or use an aws/user identity (keys in the OS keychain) or an aws/assume-role identity.';
const AZURE_UNSUPPORTED_HINT =
  'Run `az login` yourself and use an azure/default identity, or use an azure/client-secret identity (a service ' +
  'principal; its client secret inline with !env or in the OS keychain).';

/** Kinds Atmos knows that need an interactive login or a token exchange this build does not do, and what to use. */
const INTERACTIVE_KINDS: Readonly<Record<string, { readonly needs: string; readonly hint: string }>> = {
  'aws/permission-set': { needs: 'an AWS IAM Identity Center (SSO) browser login', hint: UNSUPPORTED_HINT },
  'aws/iam-identity-center': { needs: 'an AWS IAM Identity Center (SSO) browser login', hint: UNSUPPORTED_HINT },
  'aws/saml': { needs: 'a SAML browser login', hint: UNSUPPORTED_HINT },
  'github/oidc': { needs: 'a GitHub Actions OIDC token exchange', hint: UNSUPPORTED_HINT },
  'gcp/workload-identity-federation': {
    needs: 'a workload identity federation token exchange',
    hint: UNSUPPORTED_HINT,
  },
  'azure/subscription': { needs: 'an Azure login', hint: AZURE_UNSUPPORTED_HINT },
  'azure/device-code': { needs: 'an Azure device-code login', hint: AZURE_UNSUPPORTED_HINT },
};

export const SUPPORTED_IDENTITY_KINDS = [
  'aws/assume-role',
  'aws/user',
  'gcp/service-account',
  'azure/client-secret',
  'azure/default',
] as const;
export const SUPPORTED_PROVIDER_KINDS = [
  'aws/profile',
  'aws/assume-role',
  'gcp/adc',
  'gcp/service-account-key',
] as const;

const rawSection = z
  .looseObject({
    providers: z.record(z.string(), z.unknown()).nullish(),
    identities: z.record(z.string(), z.unknown()).nullish(),
  })
  .nullish();

/** The raw entries of `auth:`; entries are validated when an identity that needs them is resolved. */
export interface AuthSection {
  readonly providers: Readonly<Record<string, unknown>>;
  readonly identities: Readonly<Record<string, unknown>>;
}

/** `auth:` of the raw atmos.yaml (absent: no identities). CONFIG error when it is not a map of maps. */
export function parseAuthSection(raw: unknown): AuthSection {
  const parsed = rawSection.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('CONFIG', `atmos.yaml auth is invalid: ${issues(parsed.error, 'auth')}`);
  }
  return { providers: parsed.data?.providers ?? {}, identities: parsed.data?.identities ?? {} };
}

function issues(error: z.ZodError, prefix: string): string {
  return error.issues.map((i) => `${[prefix, ...i.path.map(String)].join('.')}: ${i.message}`).join('; ');
}

function kindOf(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const kind = (entry as Record<string, unknown>)['kind'];
  return typeof kind === 'string' ? kind : undefined;
}

function refuseInteractive(what: 'identity' | 'provider', name: string, kind: string): AppError | undefined {
  const refused = INTERACTIVE_KINDS[kind];
  if (refused === undefined) return undefined;
  return new AppError(
    'AUTH',
    `auth ${what} "${name}" is of kind ${kind}, which needs ${refused.needs}; that is not supported in this build`,
    { hint: refused.hint },
  );
}

/** One identity, validated for its kind: CONFIG when unknown or malformed, AUTH when its kind needs a login. */
export function identityConfig(section: AuthSection, name: string): IdentityConfig {
  const entry = section.identities[name];
  if (entry === undefined) {
    const names = Object.keys(section.identities).sort();
    throw new AppError('CONFIG', `auth identity "${name}" is not configured in atmos.yaml`, {
      hint:
        names.length > 0
          ? `Configured identities: ${names.join(', ')}. Fix the identity of the provider, --identity/ATMOS_IDENTITY or the component's auth.`
          : 'atmos.yaml has no auth.identities. Add one, or remove the identity to use the default credential chain.',
    });
  }
  const kind = kindOf(entry);
  const refused = kind === undefined ? undefined : refuseInteractive('identity', name, kind);
  if (refused) throw refused;
  const schema =
    kind === 'aws/assume-role'
      ? assumeRoleIdentity
      : kind === 'aws/user'
        ? awsUserIdentity
        : kind === 'gcp/service-account'
          ? gcpServiceAccountIdentity
          : kind === 'azure/client-secret'
            ? azureClientSecretIdentity
            : kind === 'azure/default'
              ? azureDefaultIdentity
              : undefined;
  if (!schema) {
    throw new AppError('CONFIG', `auth identity "${name}" has ${kind ? `unknown kind "${kind}"` : 'no kind'}`, {
      hint: `Kinds this build supports: ${SUPPORTED_IDENTITY_KINDS.join(', ')}.`,
    });
  }
  const parsed = schema.safeParse(entry);
  if (!parsed.success) {
    throw new AppError(
      'CONFIG',
      `auth identity "${name}" is invalid: ${issues(parsed.error, `auth.identities.${name}`)}`,
    );
  }
  return parsed.data;
}

/** One provider, validated for its kind (errors as for identities). */
export function providerConfig(section: AuthSection, name: string): ProviderConfig {
  const entry = section.providers[name];
  if (entry === undefined) {
    const names = Object.keys(section.providers).sort();
    throw new AppError('CONFIG', `auth provider "${name}" is not configured in atmos.yaml`, {
      hint: names.length > 0 ? `Configured providers: ${names.join(', ')}.` : 'atmos.yaml has no auth.providers.',
    });
  }
  const kind = kindOf(entry);
  const refused = kind === undefined ? undefined : refuseInteractive('provider', name, kind);
  if (refused) throw refused;
  const schema =
    kind === 'aws/profile'
      ? awsProfileProvider
      : kind === 'aws/assume-role'
        ? awsAssumeRoleProvider
        : kind === 'gcp/adc'
          ? gcpAdcProvider
          : kind === 'gcp/service-account-key'
            ? gcpKeyFileProvider
            : undefined;
  if (!schema) {
    throw new AppError('CONFIG', `auth provider "${name}" has ${kind ? `unknown kind "${kind}"` : 'no kind'}`, {
      hint: `Kinds this build supports: ${SUPPORTED_PROVIDER_KINDS.join(', ')}.`,
    });
  }
  const parsed = schema.safeParse(entry);
  if (!parsed.success) {
    throw new AppError(
      'CONFIG',
      `auth provider "${name}" is invalid: ${issues(parsed.error, `auth.providers.${name}`)}`,
    );
  }
  return parsed.data;
}

/** The cloud an identity or provider kind belongs to. */
export type Cloud = 'aws' | 'gcp' | 'azure';

export function cloudOf(kind: IdentityConfig['kind'] | ProviderConfig['kind']): Cloud {
  switch (kind) {
    case 'aws/assume-role':
    case 'aws/user':
    case 'aws/profile':
      return 'aws';
    case 'gcp/service-account':
    case 'gcp/adc':
    case 'gcp/service-account-key':
      return 'gcp';
    case 'azure/client-secret':
    case 'azure/default':
      return 'azure';
    default: {
      const never: never = kind;
      throw new AppError('INTERNAL', `unexpected auth kind ${String(never)}`);
    }
  }
}
