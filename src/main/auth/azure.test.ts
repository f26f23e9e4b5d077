// Azure identities -> TokenCredential without a network: azure/client-secret (inline secret, the OS keychain under
// the default or a named service) and azure/default, made on the first token request and cached per identity;
// and every error (unknown, malformed, login-only kinds, wrong cloud both ways, missing keychain entry, a
// principal the SDK refuses) with the client secret never in a message.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type AppError, isAppError } from '../../shared/errors';
import { MemoryKeychain } from '../keychain/memory-keychain';
import {
  azureClientSecretAccount,
  sdkAzureCredentials,
  type AzureClientSecretSpec,
  type AzureCredentialMaker,
  type AzureDefaultSpec,
  type TokenCredential,
} from './azure-credentials';
import { IdentityResolver, type IdentityResolverOptions } from './resolver';

const SECRET = `client-secret-${Math.random().toString(36).slice(2, 10)}`;
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

const AUTH = parse(`
identities:
  inline-sp:
    kind: azure/client-secret
    principal: {tenant_id: ${TENANT}, client_id: app-inline}
    credentials: {client_secret: ${SECRET}}
  keychain-sp:
    kind: azure/client-secret
    principal: {tenant_id: contoso.onmicrosoft.com, client_id: app-keychain}
  other-service-sp:
    kind: azure/client-secret
    principal: {tenant_id: ${TENANT}, client_id: app-other}
    credentials: {keychain_service: elsewhere}
  chain: {kind: azure/default}
  chain-mi:
    kind: azure/default
    principal: {tenant_id: ${TENANT}, managed_identity_client_id: mi-client}
  no-client: {kind: azure/client-secret, principal: {tenant_id: ${TENANT}}}
  bad-tenant:
    kind: azure/client-secret
    principal: {tenant_id: "not a tenant!", client_id: c}
    credentials: {client_secret: ${SECRET}}
  empty-secret:
    kind: azure/client-secret
    principal: {tenant_id: ${TENANT}, client_id: c}
    credentials: {client_secret: ""}
  az-login: {kind: azure/subscription, principal: {subscription_id: s}}
  device: {kind: azure/device-code}
  aws-user: {kind: aws/user, credentials: {access_key_id: AKID, secret_access_key: s}}
  gcp-adc: {kind: gcp/service-account}
`) as unknown;

interface Made {
  readonly clientSecret: AzureClientSecretSpec[];
  readonly defaultChain: AzureDefaultSpec[];
}

/** A maker whose credentials answer a token naming what they were made from (never the secret). */
function fakeMaker(made: Made, fail?: Error): AzureCredentialMaker {
  const credential = (token: string): TokenCredential => ({
    getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 60_000 }),
  });
  return {
    clientSecret: (spec) => {
      if (fail) return Promise.reject(fail);
      made.clientSecret.push(spec);
      return Promise.resolve(credential(`sp:${spec.clientId}`));
    },
    defaultChain: (spec) => {
      made.defaultChain.push(spec);
      return Promise.resolve(credential('default'));
    },
  };
}

function harness(extra: Partial<IdentityResolverOptions> = {}, fail?: Error) {
  const made: Made = { clientSecret: [], defaultChain: [] };
  const keychains = new Map<string, MemoryKeychain>();
  const keychainFor = (service = 'atmos-secrets'): MemoryKeychain => {
    let k = keychains.get(service);
    if (!k) keychains.set(service, (k = new MemoryKeychain(service)));
    return k;
  };
  const resolver = new IdentityResolver({
    auth: AUTH,
    env: {},
    keychain: keychainFor,
    azure: fakeMaker(made, fail),
    ...extra,
  });
  return { resolver, made, keychainFor };
}

function errorOf(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

async function rejectionOf(p: Promise<unknown>): Promise<AppError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isAppError(e)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

const SCOPE = 'https://vault.azure.net/.default';

describe('Azure credentials of an identity', () => {
  it('azure/client-secret with an inline secret: made on the first token request, once, cached per identity', async () => {
    const { resolver, made } = harness();
    const credential = resolver.azureCredential('inline-sp', 'store "kv" (azure/keyvault)');
    expect(made.clientSecret).toEqual([]);
    expect(resolver.azureCredential('inline-sp')).toBe(credential);
    expect((await credential.getToken(SCOPE))?.token).toBe('sp:app-inline');
    expect((await credential.getToken(SCOPE))?.token).toBe('sp:app-inline');
    expect(made.clientSecret).toEqual([{ tenantId: TENANT, clientId: 'app-inline', clientSecret: SECRET }]);
  });

  it('azure/client-secret without one reads the keychain: service atmos-secrets or credentials.keychain_service', async () => {
    const { resolver, made, keychainFor } = harness();
    expect(azureClientSecretAccount('keychain-sp')).toBe('auth/azure-client-secret/keychain-sp');
    await keychainFor('atmos-secrets').set('auth/azure-client-secret/keychain-sp', 'from-default-service');
    await keychainFor('elsewhere').set('auth/azure-client-secret/other-service-sp', 'from-elsewhere');
    expect((await resolver.azureCredential('keychain-sp').getToken(SCOPE))?.token).toBe('sp:app-keychain');
    expect((await resolver.azureCredential('other-service-sp').getToken(SCOPE))?.token).toBe('sp:app-other');
    expect(made.clientSecret).toEqual([
      { tenantId: 'contoso.onmicrosoft.com', clientId: 'app-keychain', clientSecret: 'from-default-service' },
      { tenantId: TENANT, clientId: 'app-other', clientSecret: 'from-elsewhere' },
    ]);
  });

  it('a missing keychain entry is AUTH naming the service and account, and is not cached', async () => {
    const { resolver, keychainFor } = harness();
    const credential = resolver.azureCredential('keychain-sp');
    const e = await rejectionOf(credential.getToken(SCOPE));
    expect(e.code).toBe('AUTH');
    expect(e.message).toBe('No client secret is stored for azure/client-secret identity "keychain-sp"');
    expect(e.hint).toContain('keychain service "atmos-secrets" account "auth/azure-client-secret/keychain-sp"');
    await keychainFor().set(azureClientSecretAccount('keychain-sp'), 'stored-later');
    expect((await credential.getToken(SCOPE))?.token).toBe('sp:app-keychain');
  });

  it('no keychain available: AUTH at resolve time saying to set the secret inline', () => {
    const { resolver } = harness({ keychain: undefined });
    const e = errorOf(() => resolver.azureCredential('keychain-sp'));
    expect(e.code).toBe('AUTH');
    expect(e.message).toContain('keeps its client secret in the OS keychain, which is not available here');
    expect(e.hint).toContain('credentials.client_secret');
  });

  it('azure/default: DefaultAzureCredential with the tenant and managed identity given', async () => {
    const { resolver, made } = harness();
    expect((await resolver.azureCredential('chain').getToken(SCOPE))?.token).toBe('default');
    await resolver.azureCredential('chain-mi').getToken(SCOPE);
    expect(made.defaultChain).toEqual([{}, { tenantId: TENANT, managedIdentityClientId: 'mi-client' }]);
  });

  it('a principal the SDK refuses is CONFIG naming the identity, never the secret, and is tried again', async () => {
    const { resolver } = harness({}, new Error('Invalid client id'));
    const credential = resolver.azureCredential('inline-sp');
    const e = await rejectionOf(credential.getToken(SCOPE));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toBe('auth identity "inline-sp" cannot be used: Invalid client id');
    expect((await rejectionOf(credential.getToken(SCOPE))).code).toBe('CONFIG');
    expect(inspect(e)).not.toContain(SECRET);
  });

  it('CONFIG: unknown, malformed (no client_id, a bad tenant, an empty secret), never quoting the secret', () => {
    const { resolver } = harness();
    const unknown = errorOf(() => resolver.azureCredential('nope'));
    expect(unknown.code).toBe('CONFIG');
    expect(unknown.hint).toContain('inline-sp');
    const noClient = errorOf(() => resolver.azureCredential('no-client'));
    expect(noClient.code).toBe('CONFIG');
    expect(noClient.message).toContain('auth.identities.no-client.principal.client_id');
    const badTenant = errorOf(() => resolver.azureCredential('bad-tenant'));
    expect(badTenant.code).toBe('CONFIG');
    expect(badTenant.message).toContain('a tenant id is a GUID or a domain name');
    expect(inspect(badTenant)).not.toContain(SECRET);
    const empty = errorOf(() => resolver.azureCredential('empty-secret'));
    expect(empty.code).toBe('CONFIG');
    expect(empty.message).toContain('auth.identities.empty-secret.credentials.client_secret');
  });

  it('AUTH for kinds that need an Azure login, saying what to use instead', () => {
    const { resolver } = harness();
    for (const name of ['az-login', 'device']) {
      const e = errorOf(() => resolver.azureCredential(name));
      expect(e.code).toBe('AUTH');
      expect(e.message).toContain('not supported in this build');
      expect(e.hint).toContain('azure/client-secret');
      expect(e.hint).toContain('az login');
    }
  });

  it('CONFIG for the wrong cloud, both ways', () => {
    const { resolver } = harness();
    expect(errorOf(() => resolver.azureCredential('aws-user', 'store "kv" (azure/keyvault)')).message).toBe(
      'auth identity "aws-user" is an AWS identity (aws/user), but store "kv" (azure/keyvault) needs Azure credentials',
    );
    expect(errorOf(() => resolver.azureCredential('gcp-adc')).code).toBe('CONFIG');
    expect(errorOf(() => resolver.awsCredentials('inline-sp', 'AWS KMS')).message).toBe(
      'auth identity "inline-sp" is an Azure identity (azure/client-secret), but AWS KMS needs AWS credentials',
    );
    expect(errorOf(() => resolver.gcpOptions('chain', 'GCP KMS')).message).toBe(
      'auth identity "chain" is an Azure identity (azure/default), but GCP KMS needs GCP credentials',
    );
  });
});

describe('sdkAzureCredentials (@azure/identity)', () => {
  it('makes a ClientSecretCredential and a DefaultAzureCredential', async () => {
    const identity = await import('@azure/identity');
    expect(
      await sdkAzureCredentials.clientSecret({ tenantId: TENANT, clientId: 'c', clientSecret: SECRET }),
    ).toBeInstanceOf(identity.ClientSecretCredential);
    expect(await sdkAzureCredentials.defaultChain({ tenantId: TENANT })).toBeInstanceOf(
      identity.DefaultAzureCredential,
    );
  });
});
