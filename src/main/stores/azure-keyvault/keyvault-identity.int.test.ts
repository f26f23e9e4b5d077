// The azure/keyvault store with `identity:` an azure/client-secret auth identity, built the way the app and the
// CLI build it (builtInStoreFactories with the one IdentityResolver), against the Key Vault emulator and the real
// @azure/keyvault-secrets. No Entra ID token endpoint runs locally (MSAL insists on https and instance
// discovery), so the token step is a stand-in at the resolver's seam (IdentityResolverOptions.azure): it knows
// registered service principals, issues one token per client id, and throws AuthenticationError for a wrong
// secret as @azure/identity does. The emulator tells tokens apart (restrictToken), so each test shows whose token
// reached the vault; the resolver's part (principal from atmos.yaml, secret inline or from the keychain) is real.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AppError } from '../../../shared/errors';
import { start, DEFAULT_TENANT, type AzureKeyVaultEmulator } from '../../../../test/support/emulators/azure-keyvault';
import {
  azureClientSecretAccount,
  IdentityResolver,
  type AzureClientSecretSpec,
  type AzureCredentialMaker,
} from '../../auth';
import { MemoryKeychain } from '../../keychain/memory-keychain';
import { builtInStoreFactories } from '../factories';
import type { SecretPath } from '../paths';
import type { SecretStore } from '../secret-store';
import { parseStoreConfig } from '../store-config';
import { StoreAuthError } from '../store-errors';
import { rejection } from '../../../../test/support/rejection';

const WRITER_SECRET = `writer-secret-${Math.random().toString(36).slice(2, 10)}`;
const READER_SECRET = `reader-secret-${Math.random().toString(36).slice(2, 10)}`;
const WRONG_SECRET = `wrong-secret-${Math.random().toString(36).slice(2, 10)}`;

/** The service principals the stand-in token endpoint knows. */
const PRINCIPALS: Readonly<Record<string, string>> = { 'app-writer': WRITER_SECRET, 'app-reader': READER_SECRET };

class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

interface TokenRequest {
  readonly clientId: string;
  readonly tenantId: string;
  readonly scopes: string | string[];
  readonly challengeTenant: string | undefined;
}

function standIn(requests: TokenRequest[]): AzureCredentialMaker {
  return {
    clientSecret: (spec: AzureClientSecretSpec) =>
      Promise.resolve({
        getToken: (scopes, options) => {
          requests.push({
            clientId: spec.clientId,
            tenantId: spec.tenantId,
            scopes,
            challengeTenant: options?.tenantId,
          });
          if (PRINCIPALS[spec.clientId] !== spec.clientSecret) {
            return Promise.reject(
              new AuthenticationError(`AADSTS7000215: Invalid client secret provided for ${spec.clientId}.`),
            );
          }
          return Promise.resolve({ token: `token-${spec.clientId}`, expiresOnTimestamp: Date.now() + 3_600_000 });
        },
      }),
    defaultChain: () => Promise.reject(new Error('not used here')),
  };
}

const AUTH = parse(`
identities:
  kv-writer:
    kind: azure/client-secret
    principal: {tenant_id: ${DEFAULT_TENANT}, client_id: app-writer}
    credentials: {client_secret: ${WRITER_SECRET}}
  kv-reader:
    kind: azure/client-secret
    principal: {tenant_id: ${DEFAULT_TENANT}, client_id: app-reader}
  kv-wrong:
    kind: azure/client-secret
    principal: {tenant_id: ${DEFAULT_TENANT}, client_id: app-writer}
    credentials: {keychain_service: elsewhere}
  kv-unstored:
    kind: azure/client-secret
    principal: {tenant_id: ${DEFAULT_TENANT}, client_id: app-writer}
  aws-user: {kind: aws/user, credentials: {access_key_id: AKID, secret_access_key: s}}
`) as unknown;

let emu: AzureKeyVaultEmulator;
beforeAll(async () => {
  emu = await start();
  emu.restrictToken('token-app-writer', ['get', 'set']);
  emu.restrictToken('token-app-reader', ['get']);
});
afterAll(async () => {
  await emu.stop();
});

function harness() {
  const requests: TokenRequest[] = [];
  const keychains = new Map<string, MemoryKeychain>();
  const keychainFor = (service = 'atmos-secrets'): MemoryKeychain => {
    let k = keychains.get(service);
    if (!k) keychains.set(service, (k = new MemoryKeychain(service)));
    return k;
  };
  const identities = new IdentityResolver({ auth: AUTH, env: {}, keychain: keychainFor, azure: standIn(requests) });
  const factories = builtInStoreFactories({ azure: { identities, env: {} } });
  const store = (identity: string): SecretStore => {
    const factory = factories.get('azure/keyvault');
    if (!factory) throw new Error('azure/keyvault is not registered');
    return factory(
      parseStoreConfig(
        'kv',
        {
          kind: 'azure/keyvault',
          secret: true,
          identity,
          options: { vault_url: emu.url, endpoint_insecure: true, max_attempts: 1 },
        },
        { file: 'atmos.yaml', line: 3 },
      ),
    );
  };
  return { requests, keychainFor, store };
}

const path = (name: string): SecretPath => ({ name, scope: 'instance', stack: 'plat-ue2-dev', component: 'app' });

describe('azure/keyvault with an azure/client-secret identity (emulator)', () => {
  it("writes and reads with the inline principal's token, asked for the challenge's scope and tenant", async () => {
    const { requests, store } = harness();
    const kv = store('kv-writer');
    await kv.set(path('DB_PASSWORD'), 'v1');
    expect(await kv.get(path('DB_PASSWORD'))).toBe('v1');
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r.clientId === 'app-writer' && r.tenantId === DEFAULT_TENANT)).toBe(true);
    expect(requests[0]?.scopes).toEqual(['https://vault.azure.net/.default']);
    expect(requests[0]?.challengeTenant).toBe(DEFAULT_TENANT);
  });

  it("reads with the keychain principal's token (atmos-secrets, auth/azure-client-secret/<identity>), whose writes the vault refuses", async () => {
    const { requests, keychainFor, store } = harness();
    await harness().store('kv-writer').set(path('API_KEY'), 'from-writer');
    await keychainFor().set(azureClientSecretAccount('kv-reader'), READER_SECRET);
    const kv = store('kv-reader');
    expect(await kv.get(path('API_KEY'))).toBe('from-writer');
    const e = await rejection(kv.set(path('API_KEY'), 'overwrite'));
    expect(e).toBeInstanceOf(StoreAuthError);
    expect(e.message).toContain('answered 403 Forbidden to the write of secret "API_KEY"');
    expect(requests.map((r) => r.clientId)).toContain('app-reader');
    expect(requests.every((r) => r.clientId === 'app-reader')).toBe(true);
    expect(await harness().store('kv-writer').get(path('API_KEY'))).toBe('from-writer');
  });

  it('a wrong client secret (from a named keychain service) is AUTH naming the store and the secret, never the client secret', async () => {
    const { keychainFor, store } = harness();
    await keychainFor('elsewhere').set(azureClientSecretAccount('kv-wrong'), WRONG_SECRET);
    const e = await rejection(store('kv-wrong').get(path('DB_PASSWORD')));
    expect(e).toBeInstanceOf(StoreAuthError);
    expect(e.message).toContain(
      'no Azure token for the read of secret "DB_PASSWORD" (plat-ue2-dev-app-DB-PASSWORD) from identity "kv-wrong": AuthenticationError',
    );
    expect(inspect(e)).not.toContain(WRONG_SECRET);
    expect(inspect(e)).not.toContain(WRITER_SECRET);
  });

  it('a client secret missing from the keychain is AUTH naming the keychain entry to fill', async () => {
    const e = await rejection(harness().store('kv-unstored').get(path('DB_PASSWORD')));
    expect(e).toBeInstanceOf(StoreAuthError);
    expect(e.message).toContain('No client secret is stored for azure/client-secret identity "kv-unstored"');
    expect(e.hint).toContain('keychain service "atmos-secrets" account "auth/azure-client-secret/kv-unstored"');
  });

  it('an AWS identity on a Key Vault store is CONFIG when the store is built, before any call', () => {
    const before = emu.calls.snapshot();
    let e: unknown;
    try {
      harness().store('aws-user');
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('CONFIG');
    expect((e as AppError).message).toBe(
      'auth identity "aws-user" is an AWS identity (aws/user), but store "kv" (azure/keyvault) needs Azure credentials',
    );
    expect(emu.calls.snapshot()).toEqual(before);
  });
});
