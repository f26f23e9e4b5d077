// Which Azure credential a store uses, decided from its config before any call, and made (with @azure/identity
// loaded by import() on first use) only when the first call needs it:
//   1. `without_authentication: true`: a fixed placeholder token, for emulators that take any bearer token.
//   2. The store's `identity:`, through the app's auth resolver (src/main/auth: azure/client-secret, azure/default;
//      it reports unknown or wrong-cloud identities). Without a resolver (a bare factory) this is a CONFIG error.
//   3. A service principal: tenant_id / client_id / client_secret from the options, each else AZURE_TENANT_ID /
//      AZURE_CLIENT_ID / AZURE_CLIENT_SECRET: ClientSecretCredential. Options that name only part of one are an error.
//   4. Otherwise DefaultAzureCredential (environment, workload identity, managed identity, Azure CLI, ...).
import type { TokenCredential } from '@azure/identity';
import { AppError, type SourceLocation } from '../../../shared/errors';
import type { KeyVaultOptions } from './keyvault-options';

export type { TokenCredential } from '@azure/identity';

/** What the app may pass: its auth identities, when they can give Azure credentials. */
export interface AzureIdentities {
  azureCredential?(name: string, usedFor: string): TokenCredential;
}

export type CredentialPlan =
  | { readonly kind: 'static'; readonly token: string }
  | { readonly kind: 'given'; readonly credential: TokenCredential; readonly source: string }
  | {
      readonly kind: 'client-secret';
      readonly tenantId: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly source: string;
    }
  | { readonly kind: 'default' };

/** The placeholder bearer token of `without_authentication`: never a real credential. */
export const NO_AUTH_TOKEN = 'atmos-secrets-without-authentication';

export interface PlanInput {
  readonly store: string;
  readonly identity: string | undefined;
  readonly location: SourceLocation | undefined;
  readonly options: KeyVaultOptions;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly identities: AzureIdentities | undefined;
}

export function planCredential(input: PlanInput): CredentialPlan {
  const { store, options: o, env } = input;
  const where = `store "${store}" (azure/keyvault)`;
  if (o.withoutAuthentication) return { kind: 'static', token: NO_AUTH_TOKEN };
  if (input.identity !== undefined) {
    const resolve = input.identities?.azureCredential;
    if (!resolve) {
      throw new AppError(
        'CONFIG',
        `${where} names identity "${input.identity}", but no auth identities are available here`,
        {
          location: input.location,
          hint:
            'Remove `identity:` and give a service principal with options tenant_id/client_id/client_secret (or ' +
            'AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET), or rely on the default chain (az login, managed identity).',
        },
      );
    }
    return {
      kind: 'given',
      credential: resolve.call(input.identities, input.identity, `store "${store}" (azure/keyvault)`),
      source: `identity "${input.identity}"`,
    };
  }
  const fromOptions = [o.tenantId, o.clientId, o.clientSecret].some((v) => v !== undefined);
  const tenantId = o.tenantId ?? (env['AZURE_TENANT_ID'] || undefined);
  const clientId = o.clientId ?? (env['AZURE_CLIENT_ID'] || undefined);
  const clientSecret = o.clientSecret ?? (env['AZURE_CLIENT_SECRET'] || undefined);
  if (tenantId !== undefined && clientId !== undefined && clientSecret !== undefined) {
    return {
      kind: 'client-secret',
      tenantId,
      clientId,
      clientSecret,
      source: fromOptions ? 'the service principal in options' : 'AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET',
    };
  }
  if (fromOptions) {
    const missing = [
      tenantId === undefined ? 'tenant_id (or AZURE_TENANT_ID)' : undefined,
      clientId === undefined ? 'client_id (or AZURE_CLIENT_ID)' : undefined,
      clientSecret === undefined ? 'client_secret (or AZURE_CLIENT_SECRET)' : undefined,
    ].filter((m) => m !== undefined);
    throw new AppError('CONFIG', `${where} gives part of a service principal: missing ${missing.join(', ')}`, {
      location: input.location,
      hint: 'Give all three, or none to use the default Azure credential chain.',
    });
  }
  return { kind: 'default' };
}

/** Where the credentials came from, for error hints. */
export function credentialSource(plan: CredentialPlan): string {
  switch (plan.kind) {
    case 'static':
      return 'without_authentication (a placeholder token)';
    case 'given':
    case 'client-secret':
      return plan.source;
    case 'default':
      return 'the default Azure credential chain (environment, managed identity, Azure CLI, ...)';
    default: {
      const never: never = plan;
      return never;
    }
  }
}

/** The credential for a plan; @azure/identity is loaded only for the kinds that need it. */
export async function makeCredential(plan: CredentialPlan): Promise<TokenCredential> {
  switch (plan.kind) {
    case 'static':
      return {
        getToken: () => Promise.resolve({ token: plan.token, expiresOnTimestamp: Date.now() + 3_600_000 }),
      };
    case 'given':
      return plan.credential;
    case 'client-secret': {
      const identity = await import('@azure/identity');
      // No additionallyAllowedTenants: a vault whose challenge names another tenant is refused (AUTH), rather
      // than our principal asking that tenant for a token.
      return new identity.ClientSecretCredential(plan.tenantId, plan.clientId, plan.clientSecret);
    }
    case 'default': {
      const identity = await import('@azure/identity');
      return new identity.DefaultAzureCredential();
    }
    default: {
      const never: never = plan;
      return never;
    }
  }
}
