// The Key Vault emulator against the real @azure/keyvault-secrets SecretClient, unmodified: the 401 challenge
// (first request without a token and without its body), set/get by version, versions and secrets lists with
// pages and nextLink, soft delete (409 ObjectIsDeletedButRecoverable, recover, purge), purge protection, names
// compared without case, the size limit, 401/403 bodies, faults and call counts.
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import type { TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, DEFAULT_MAX_VALUE_BYTES, type AzureKeyVaultEmulator } from './index';

const OPTIONS: SecretClientOptions = {
  allowInsecureConnection: true,
  disableChallengeResourceVerification: true,
  retryOptions: { maxRetries: 0 },
};

interface Seen {
  readonly scopes: string[];
  readonly tenantIds: (string | undefined)[];
}

function staticCredential(token: string, seen?: Seen): TokenCredential {
  return {
    getToken: async (scopes, opts) => {
      seen?.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
      seen?.tenantIds.push(opts?.tenantId);
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

interface RestErrorLike {
  readonly name: string;
  readonly statusCode?: number;
  readonly code?: string;
  readonly message: string;
}

async function failure(p: Promise<unknown>): Promise<RestErrorLike> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof Error)) throw new Error('expected a rejection');
  return e as RestErrorLike;
}

async function all<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iter) out.push(x);
  return out;
}

describe('Azure Key Vault emulator (@azure/keyvault-secrets, unmodified)', () => {
  let emu: AzureKeyVaultEmulator;
  let client: SecretClient;
  const seen: Seen = { scopes: [], tenantIds: [] };

  beforeAll(async () => {
    emu = await start({ tenantId: 'tenant-123' });
    client = new SecretClient(emu.url, staticCredential('any-token', seen), OPTIONS);
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('answers the first request with the 401 challenge before reading its (stripped) body, then serves the replay', async () => {
    const set = await client.setSecret('db-password', 'first', { tags: { 'atmos-path': 'a/b/DB' } });
    expect(set.value).toBe('first');
    expect(set.properties.version).toMatch(/^[0-9a-f]{32}$/);
    expect(emu.requests.slice(0, 2)).toEqual([
      { method: 'PUT', path: '/secrets/db-password', operation: 'challenge', status: 401, hadBody: false },
      { method: 'PUT', path: '/secrets/db-password', operation: 'set', status: 200, hadBody: true },
    ]);
    expect(seen.scopes).toEqual(['https://vault.azure.net/.default']);
    expect(seen.tenantIds).toEqual(['tenant-123']);
    expect(emu.calls.of('challenge')).toBe(1);
  });

  it('keeps every version; gets the latest or a given one; lists versions and secrets with tags, never values', async () => {
    const v1 = (await client.getSecret('db-password')).properties.version ?? '';
    await client.setSecret('DB-PASSWORD', 'second');
    const latest = await client.getSecret('db-password');
    expect(latest.value).toBe('second');
    expect(latest.name).toBe('db-password');
    expect((await client.getSecret('db-password', { version: v1 })).value).toBe('first');
    const versions = await all(client.listPropertiesOfSecretVersions('db-password'));
    expect(versions).toHaveLength(2);
    expect(versions.map((v) => v.version).sort()).toEqual([v1, latest.properties.version].sort());
    expect(versions.every((v) => v.createdOn instanceof Date && v.enabled === true)).toBe(true);
    expect(versions.find((v) => v.version === v1)?.tags).toEqual({ 'atmos-path': 'a/b/DB' });
    expect(JSON.stringify(versions)).not.toContain('second');
    const secrets = await all(client.listPropertiesOfSecrets());
    expect(secrets.map((s) => s.name)).toEqual(['db-password']);
    expect(secrets[0]?.recoveryLevel).toBe('Recoverable+Purgeable');
    expect(secrets[0]?.recoverableDays).toBe(90);
  });

  it('pages lists by maxresults (<= 25) with an absolute nextLink the SDK follows', async () => {
    for (let i = 0; i < 30; i += 1) await client.setSecret(`page-${String(i).padStart(2, '0')}`, `v${i}`);
    const before = emu.calls.of('list');
    const pages: number[] = [];
    for await (const p of client.listPropertiesOfSecrets().byPage({ maxPageSize: 12 })) pages.push(p.length);
    expect(pages).toEqual([12, 12, 7]);
    expect(emu.calls.of('list') - before).toBe(3);
    const big = await failure(all(client.listPropertiesOfSecrets().byPage({ maxPageSize: 26 })));
    expect(big.statusCode).toBe(400);
    expect(big.code).toBe('BadParameter');
  });

  it('404 SecretNotFound for a missing secret or version, as RestError with code and status', async () => {
    const e = await failure(client.getSecret('never-set'));
    expect(e.name).toBe('RestError');
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe('SecretNotFound');
    expect(e.message).toContain('A secret with (name/id) never-set was not found in this key vault');
    const v = await failure(client.getSecret('db-password', { version: '0'.repeat(32) }));
    expect(v.code).toBe('SecretNotFound');
    expect((await failure(client.listPropertiesOfSecretVersions('never-set').next())).statusCode).toBe(404);
  });

  it('soft delete: the name is blocked (409 ObjectIsDeletedButRecoverable) until recovered or purged', async () => {
    await client.setSecret('soft', 'old');
    const poller = await client.beginDeleteSecret('soft');
    const deleted = await poller.pollUntilDone();
    expect(deleted.properties.recoveryId).toBe(`${emu.url}/deletedsecrets/soft`);
    expect(deleted.scheduledPurgeDate).toBeInstanceOf(Date);
    expect(emu.isDeleted('soft')).toBe(true);
    expect((await failure(client.getSecret('soft'))).statusCode).toBe(404);
    const conflict = await failure(client.setSecret('soft', 'new'));
    expect(conflict.statusCode).toBe(409);
    expect(conflict.code).toBe('Conflict');
    expect(conflict.message).toContain('deleted but recoverable state');
    expect((await client.getDeletedSecret('soft')).name).toBe('soft');
    await (await client.beginRecoverDeletedSecret('soft')).pollUntilDone();
    expect((await client.getSecret('soft')).value).toBe('old');
    await (await client.beginDeleteSecret('soft')).pollUntilDone();
    await client.purgeDeletedSecret('soft');
    expect(emu.isDeleted('soft')).toBe(false);
    expect((await client.setSecret('soft', 'fresh')).value).toBe('fresh');
    expect(emu.stored('soft')).toHaveLength(1);
    expect((await failure(client.beginDeleteSecret('never-set'))).code).toBe('SecretNotFound');
  });

  it('refuses an illegal name (400) and a value over 25,000 bytes (400), keeping nothing', async () => {
    const bad = await failure(client.setSecret('bad_name', 'v'));
    expect(bad.statusCode).toBe(400);
    expect(bad.code).toBe('BadParameter');
    await client.setSecret('at-limit', 'x'.repeat(DEFAULT_MAX_VALUE_BYTES));
    const over = await failure(client.setSecret('over-limit', 'x'.repeat(DEFAULT_MAX_VALUE_BYTES + 1)));
    expect(over.statusCode).toBe(400);
    expect(emu.stored('over-limit')).toBeUndefined();
    expect(emu.stored('at-limit')?.[0]?.value).toHaveLength(DEFAULT_MAX_VALUE_BYTES);
  });

  it('401 for a rejected token and 403 ForbiddenByRbac for an operation the token may not do', async () => {
    emu.rejectToken('revoked');
    const revoked = new SecretClient(emu.url, staticCredential('revoked'), OPTIONS);
    const e401 = await failure(revoked.getSecret('db-password'));
    expect(e401.statusCode).toBe(401);
    expect(e401.code).toBe('Unauthorized');
    emu.restrictToken('reader', ['get']);
    const reader = new SecretClient(emu.url, staticCredential('reader'), OPTIONS);
    expect((await reader.getSecret('db-password')).value).toBe('second');
    const e403 = await failure(reader.setSecret('db-password', 'nope'));
    expect(e403.statusCode).toBe(403);
    expect(e403.code).toBe('Forbidden');
  });

  it('a disabled latest version answers 403 SecretDisabled to get', async () => {
    await client.setSecret('disabled', 'v');
    emu.setEnabled('disabled', false);
    const e = await failure(client.getSecret('disabled'));
    expect(e.statusCode).toBe(403);
    expect(e.message).toBe('Operation get is not allowed on a disabled secret.');
  });

  it('injects throttling (429 + Retry-After), 500, 503, a reset and a hung call, per operation; counts calls', async () => {
    emu.injectFault('throttling', 1, 'get');
    const throttled = await failure(client.getSecret('db-password'));
    expect(throttled.statusCode).toBe(429);
    expect(throttled.code).toBe('Throttled');
    emu.injectFault('internal', 1, 'get');
    expect((await failure(client.getSecret('db-password'))).statusCode).toBe(500);
    emu.injectFault('unavailable', 1, 'set');
    expect((await failure(client.setSecret('db-password', 'x'))).statusCode).toBe(503);
    emu.injectFault('reset', 1, 'get');
    expect((await failure(client.getSecret('db-password'))).name).toBe('RestError');
    emu.injectFault('timeout', 1, 'get');
    const hung = await failure(client.getSecret('db-password', { abortSignal: AbortSignal.timeout(200) }));
    expect(hung.name).toBe('AbortError');
    const before = emu.calls.of('get');
    expect((await client.getSecret('db-password')).value).toBe('second');
    expect(emu.calls.of('get') - before).toBe(1);
    emu.injectFault('internal', 5);
    emu.clearFaults();
    expect((await client.getSecret('db-password')).value).toBe('second');
  });
});
