// The azure/keyvault store's pure parts: options (vault URL, loopback defaults), the credential plan (options,
// then the AZURE_* environment, then the default chain), failure reduction and mapping (status, Key Vault code,
// network code, credential errors; the value blanked out), and the ownership tags.
import { describe, expect, it } from 'vitest';
import { parseStoreConfig } from '../store-config';
import type { SecretPath } from '../paths';
import { planCredential, credentialSource } from './keyvault-credential';
import { isSecretNotFound, isTransient, reduceFailure, toStoreError, type KeyVaultCallContext } from './keyvault-call';
import { parseKeyVaultOptions } from './keyvault-options';
import { otherOwner, ownerTags } from './keyvault-tags';

const config = (options: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  parseStoreConfig('kv', { kind: 'azure/keyvault', options, ...extra });

describe('parseKeyVaultOptions', () => {
  it('keeps the origin; skips the challenge resource check for loopback hosts only, unless told', () => {
    const remote = parseKeyVaultOptions(config({ vault_url: 'https://my-vault.vault.azure.net/' }));
    expect(remote).toMatchObject({
      vaultUrl: 'https://my-vault.vault.azure.net',
      disableChallengeResourceVerification: false,
      allowInsecureConnection: false,
      timeoutMs: 15_000,
      maxAttempts: 4,
      concurrency: 8,
    });
    const local = parseKeyVaultOptions(config({ endpoint: 'http://127.0.0.1:4567', endpoint_insecure: true }));
    expect(local).toMatchObject({ vaultUrl: 'http://127.0.0.1:4567', disableChallengeResourceVerification: true });
    const custom = parseKeyVaultOptions(
      config({ vault_url: 'https://secrets.example.com', disable_challenge_resource_verification: true }),
    );
    expect(custom.disableChallengeResourceVerification).toBe(true);
    const http = parseKeyVaultOptions(
      config({ vault_url: 'http://localhost:8443', insecure_allow_credential_with_http: true }),
    );
    expect(http.allowInsecureConnection).toBe(true);
  });
});

describe('planCredential', () => {
  const options = (extra: Record<string, unknown> = {}) =>
    parseKeyVaultOptions(config({ vault_url: 'https://v.vault.azure.net', ...extra }));
  const plan = (extra: Record<string, unknown>, env: Record<string, string> = {}) =>
    planCredential({
      store: 'kv',
      identity: undefined,
      location: undefined,
      options: options(extra),
      env,
      identities: undefined,
    });

  it('a service principal from AZURE_* when the options name none; options win field by field', () => {
    const env = { AZURE_TENANT_ID: 'env-t', AZURE_CLIENT_ID: 'env-c', AZURE_CLIENT_SECRET: 'env-s' };
    const fromEnv = plan({}, env);
    expect(fromEnv).toEqual({
      kind: 'client-secret',
      tenantId: 'env-t',
      clientId: 'env-c',
      clientSecret: 'env-s',
      source: 'AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET',
    });
    expect(plan({ client_id: 'opt-c' }, env)).toMatchObject({
      kind: 'client-secret',
      clientId: 'opt-c',
      tenantId: 'env-t',
      source: 'the service principal in options',
    });
  });

  it('the default chain when nothing names a principal (a partial environment is the chain’s business)', () => {
    expect(plan({})).toEqual({ kind: 'default' });
    expect(plan({}, { AZURE_CLIENT_ID: 'managed-identity-client' })).toEqual({ kind: 'default' });
    expect(credentialSource({ kind: 'default' })).toContain('default Azure credential chain');
    expect(plan({ without_authentication: true })).toMatchObject({ kind: 'static' });
  });
});

const ctx: KeyVaultCallContext = {
  store: 'kv',
  secret: 'DB_PASSWORD',
  name: 'dev-app-DB-PASSWORD',
  action: 'write',
  vaultUrl: 'https://v.vault.azure.net',
  credentialSource: 'the default chain',
};

function restError(message: string, fields: Record<string, unknown>): Error {
  const e = new Error(message);
  e.name = 'RestError';
  Object.assign(e, fields);
  return e;
}

describe('failures', () => {
  it('reduces RestErrors by status and Key Vault code, network errors by their code, identity errors by class', () => {
    expect(
      reduceFailure(restError('A secret ... not found', { statusCode: 404, code: 'SecretNotFound' })),
    ).toMatchObject({
      kind: 'status',
      status: 404,
      code: 'SecretNotFound',
    });
    expect(reduceFailure(restError('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' }))).toEqual({
      kind: 'network',
      code: 'ECONNREFUSED',
      words: 'connect ECONNREFUSED 127.0.0.1:1',
    });
    const cred = new Error('EnvironmentCredential is unavailable.');
    cred.name = 'CredentialUnavailableError';
    expect(reduceFailure(cred)).toMatchObject({ kind: 'credential', name: 'CredentialUnavailableError' });
  });

  it('blanks the value being written out of the words, and bounds them', () => {
    const value = 'hunter2-super-secret';
    const d = reduceFailure(
      restError(`bad value ${value} ${'x'.repeat(500)}`, { statusCode: 400, code: 'BadParameter' }),
      value,
    );
    expect(d).toMatchObject({ kind: 'status', words: expect.stringMatching(/^bad value \[value\] x+$/) });
    expect(JSON.stringify(d)).not.toContain(value);
    expect(JSON.stringify(d).length).toBeLessThan(450);
  });

  it('only SecretNotFound is "not found"; a 404 with another code is a wrong URL (BACKEND), never missing', () => {
    const wrongUrl = reduceFailure(restError('Not Found', { statusCode: 404, code: 'NotFound' }));
    expect(isSecretNotFound(wrongUrl)).toBe(false);
    const e = toStoreError(wrongUrl, ctx, 1, 1000);
    expect(e.code).toBe('BACKEND');
    expect(e.hint).toContain('options.vault_url');
  });

  it('retries 408/429/500/502/503/504 and dropped connections, not 501, 4xx, refusals, credentials or timeouts', () => {
    const status = (s: number) => reduceFailure(restError('x', { statusCode: s, code: 'C' }));
    expect([408, 429, 500, 502, 503, 504].map((s) => isTransient(status(s)))).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([400, 401, 403, 404, 409, 501].map((s) => isTransient(status(s)))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    const net = (code: string) => reduceFailure(restError('x', { code }));
    expect(isTransient(net('ECONNRESET'))).toBe(true);
    expect(isTransient(net('ECONNREFUSED'))).toBe(false);
    expect(isTransient({ kind: 'timeout' })).toBe(false);
  });
});

describe('ownership tags', () => {
  const path: SecretPath = { name: 'DB_PASSWORD', scope: 'instance', stack: 'plat-ue2-dev', component: 'infra/db' };
  const scoped = { prefix: 'atmos', stack: ['plat', 'ue2', 'dev'], component: ['infra', 'db'], name: 'DB_PASSWORD' };

  it('carry the path and coordinate; an equal coordinate is ours, a different one names the other path', () => {
    const tags = ownerTags(path, scoped, 'kv');
    expect(tags['atmos-path']).toBe('atmos/plat/ue2/dev/infra/db/DB_PASSWORD');
    expect(otherOwner(tags, path)).toBeUndefined();
    expect(otherOwner({}, path)).toBeUndefined();
    expect(otherOwner(tags, { ...path, component: 'infra-db' })).toBe('atmos/plat/ue2/dev/infra/db/DB_PASSWORD');
  });

  it('a coordinate longer than a tag holds (256) is refused as unmappable, before any call', () => {
    const long = { ...path, component: 'c'.repeat(257) };
    expect(() => ownerTags(long, { ...scoped, component: ['c'.repeat(257)] }, 'kv')).toThrow(
      /cannot be stored in store "kv" \(azure\/keyvault\): its atmos-path \(\d+ characters\) is longer than the 256/,
    );
  });
});
