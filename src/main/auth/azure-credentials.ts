// Azure credentials for auth identities: a service principal's client secret (inline, or kept in the OS keychain)
// and DefaultAzureCredential. @azure/identity is loaded with import() on the first token request, never when an
// identity is resolved: resolving happens while a store is built, and the CLI must not pay for the package at
// start. The credential handed out is ours (a TokenCredential that makes the SDK's on first use), so resolving
// stays synchronous and configuration errors still surface before any call.
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { AppError, isAppError } from '../../shared/errors';
import type { Keychain } from '../keychain/keychain';

export type { TokenCredential } from '@azure/identity';

/** A service principal with a client secret. */
export interface AzureClientSecretSpec {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** DefaultAzureCredential's options an identity may set. */
export interface AzureDefaultSpec {
  readonly tenantId?: string;
  readonly managedIdentityClientId?: string;
}

/** Makes the SDK's credentials; the seam tests replace (no Entra ID token endpoint runs locally). */
export interface AzureCredentialMaker {
  clientSecret(spec: AzureClientSecretSpec): Promise<TokenCredential>;
  defaultChain(spec: AzureDefaultSpec): Promise<TokenCredential>;
}

/** @azure/identity, loaded on first use. */
export const sdkAzureCredentials: AzureCredentialMaker = {
  async clientSecret(spec) {
    const identity = await import('@azure/identity');
    // No additionallyAllowedTenants: a vault whose challenge names another tenant is refused (AUTH), rather than
    // our principal asking that tenant for a token.
    return new identity.ClientSecretCredential(spec.tenantId, spec.clientId, spec.clientSecret);
  },
  async defaultChain(spec) {
    const identity = await import('@azure/identity');
    return new identity.DefaultAzureCredential({
      ...(spec.tenantId !== undefined ? { tenantId: spec.tenantId } : {}),
      ...(spec.managedIdentityClientId !== undefined ? { managedIdentityClientId: spec.managedIdentityClientId } : {}),
    });
  },
};

/** The keychain account of an azure/client-secret identity's client secret (the secret itself, as plain text). */
export function azureClientSecretAccount(identity: string): string {
  return `auth/azure-client-secret/${identity}`;
}

/** Where an identity's client secret comes from: given inline, or read from the keychain on first use. */
export type ClientSecretSource =
  { readonly kind: 'inline'; readonly secret: string } | { readonly kind: 'keychain'; readonly keychain: Keychain };

async function clientSecretOf(identity: string, source: ClientSecretSource): Promise<string> {
  switch (source.kind) {
    case 'inline':
      return source.secret;
    case 'keychain': {
      const account = azureClientSecretAccount(identity);
      const stored = await source.keychain.get(account);
      if (stored === null || stored.trim() === '') {
        throw new AppError('AUTH', `No client secret is stored for azure/client-secret identity "${identity}"`, {
          hint:
            `Store the client secret in keychain service "${source.keychain.service}" account "${account}", or ` +
            'set credentials.client_secret on the identity (e.g. with !env).',
        });
      }
      return stored;
    }
    default: {
      const never: never = source;
      return never;
    }
  }
}

/**
 * A TokenCredential that makes the real one with `make` on the first token request and keeps it. A failure to
 * make it (no keychain entry, a principal @azure/identity refuses) is not kept: the next request tries again.
 */
export function lazyCredential(identity: string, make: () => Promise<TokenCredential>): TokenCredential {
  let made: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const pending = (made ??= make().catch((e: unknown) => {
        made = undefined;
        if (isAppError(e)) throw e;
        // @azure/identity's constructors throw plain Errors about the configuration (never the secret).
        throw new AppError(
          'CONFIG',
          `auth identity "${identity}" cannot be used: ${e instanceof Error ? e.message.slice(0, 300) : 'unknown error'}`,
          { hint: 'Check principal.tenant_id and principal.client_id of the identity in atmos.yaml.' },
        );
      }));
      return (await pending).getToken(scopes, options);
    },
  };
}

/** An azure/client-secret identity's credential. */
export function clientSecretCredential(
  identity: string,
  principal: { readonly tenantId: string; readonly clientId: string },
  source: ClientSecretSource,
  maker: AzureCredentialMaker,
): TokenCredential {
  return lazyCredential(identity, async () =>
    maker.clientSecret({ ...principal, clientSecret: await clientSecretOf(identity, source) }),
  );
}

/** An azure/default identity's credential. */
export function defaultChainCredential(
  identity: string,
  spec: AzureDefaultSpec,
  maker: AzureCredentialMaker,
): TokenCredential {
  return lazyCredential(identity, () => maker.defaultChain(spec));
}
