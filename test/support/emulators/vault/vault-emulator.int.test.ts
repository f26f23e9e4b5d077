// The Vault emulator against the real node-vault client, unmodified: KV v2 write/read/versions, soft delete and
// the 404-with-data answer, undelete/destroy, metadata delete, retention, check-and-set, LIST (the real verb and
// ?list=1), namespaces by header and by path, 403 for missing/unknown/under-privileged tokens, faults, counters.
import vault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type VaultEmulator } from './index';

interface ApiError {
  readonly message: string;
  readonly response?: { readonly statusCode: number; readonly body: unknown };
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof Error)) throw new Error('expected a rejection');
  return e as ApiError;
}

describe('vault emulator (node-vault, unmodified)', () => {
  let emu: VaultEmulator;
  let client: vault.client;

  beforeAll(async () => {
    emu = await start({ retryAfterSeconds: 2 });
    client = vault({ endpoint: emu.url, token: emu.rootToken });
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('writes versions, reads the latest or a given one, and lists metadata newest-first-able', async () => {
    const w1 = (await client.write('secret/data/app/db', { data: { value: 'one' } })) as { data: { version: number } };
    expect(w1.data.version).toBe(1);
    await client.write('secret/data/app/db', { data: { value: 'two' } });
    const latest = (await client.read('secret/data/app/db')) as {
      data: { data: { value: string }; metadata: { version: number; deletion_time: string; destroyed: boolean } };
    };
    expect(latest.data.data).toEqual({ value: 'two' });
    expect(latest.data.metadata).toMatchObject({ version: 2, deletion_time: '', destroyed: false });
    const first = (await client.read('secret/data/app/db?version=1')) as { data: { data: { value: string } } };
    expect(first.data.data.value).toBe('one');
    const meta = (await client.read('secret/metadata/app/db')) as {
      data: { current_version: number; oldest_version: number; versions: Record<string, { created_time: string }> };
    };
    expect(meta.data.current_version).toBe(2);
    expect(meta.data.oldest_version).toBe(1);
    expect(Object.keys(meta.data.versions).sort()).toEqual(['1', '2']);
  });

  it('a missing path is 404 {"errors":[]}, which node-vault reports as "Status 404"', async () => {
    const e = await failure(client.read('secret/data/app/never'));
    expect(e.message).toBe('Status 404');
    expect(e.response?.statusCode).toBe(404);
    expect(e.response?.body).toEqual({ errors: [] });
    expect((await failure(client.read('secret/metadata/app/never'))).response?.statusCode).toBe(404);
  });

  it('soft delete: the latest version reads 404 with its metadata; undelete brings it back; destroy erases', async () => {
    await client.write('secret/data/soft/k', { data: { value: 'v1' } });
    await client.write('secret/data/soft/k', { data: { value: 'v2' } });
    await client.delete('secret/data/soft/k');
    const e = await failure(client.read('secret/data/soft/k'));
    expect(e.response?.statusCode).toBe(404);
    const body = e.response?.body as { data: { data: null; metadata: { deletion_time: string; version: number } } };
    expect(body.data.data).toBeNull();
    expect(body.data.metadata.version).toBe(2);
    expect(body.data.metadata.deletion_time).not.toBe('');
    // The older version is still readable, and the metadata survives.
    expect(
      ((await client.read('secret/data/soft/k?version=1')) as { data: { data: { value: string } } }).data.data.value,
    ).toBe('v1');
    await client.write('secret/undelete/soft/k', { versions: [2] });
    expect(((await client.read('secret/data/soft/k')) as { data: { data: { value: string } } }).data.data.value).toBe(
      'v2',
    );
    await client.write('secret/destroy/soft/k', { versions: [1] });
    expect(emu.stored('secret', 'soft/k')?.find((v) => v.version === 1)).toEqual({
      version: 1,
      data: null,
      deleted: false,
      destroyed: true,
    });
    await client.delete('secret/metadata/soft/k');
    expect(emu.stored('secret', 'soft/k')).toBeUndefined();
    expect((await failure(client.read('secret/metadata/soft/k'))).response?.statusCode).toBe(404);
  });

  it('keeps max_versions versions (0 means 10)', async () => {
    for (let i = 1; i <= 12; i++) await client.write('secret/data/many/k', { data: { value: `v${i}` } });
    const meta = (await client.read('secret/metadata/many/k')) as {
      data: { current_version: number; oldest_version: number; versions: Record<string, unknown> };
    };
    expect(meta.data.current_version).toBe(12);
    expect(meta.data.oldest_version).toBe(3);
    expect(Object.keys(meta.data.versions)).toHaveLength(10);
    expect((await failure(client.read('secret/data/many/k?version=2'))).response?.statusCode).toBe(404);
  });

  it("check-and-set and a missing data field fail with Vault's 400 texts", async () => {
    await client.write('secret/data/cas/k', { data: { value: 'a' } });
    const cas = await failure(client.write('secret/data/cas/k', { data: { value: 'b' }, options: { cas: 0 } }));
    expect(cas.response?.statusCode).toBe(400);
    expect(cas.message).toBe('check-and-set parameter did not match the current version');
    const none = await failure(client.write('secret/data/cas/k', { options: {} }));
    expect(none.message).toBe('no data provided');
  });

  it('LIST: the real verb (node-vault default) and GET ?list=1 both list one level, folders ending in /', async () => {
    await client.write('secret/data/tree/a', { data: { value: '1' } });
    await client.write('secret/data/tree/sub/b', { data: { value: '2' } });
    const viaVerb = (await client.list('secret/metadata/tree/')) as { data: { keys: string[] } };
    expect(viaVerb.data.keys).toEqual(['a', 'sub/']);
    const getList = vault({ endpoint: emu.url, token: emu.rootToken, noCustomHTTPVerbs: true });
    const viaGet = (await getList.list('secret/metadata/tree/')) as { data: { keys: string[] } };
    expect(viaGet.data.keys).toEqual(['a', 'sub/']);
    expect((await failure(client.list('secret/metadata/nothing/'))).response?.statusCode).toBe(404);
    expect(emu.requests.filter((r) => r.operation === 'list').map((r) => r.method)).toEqual(['LIST', 'GET', 'LIST']);
  });

  it('URL-encoded segments are decoded into the key', async () => {
    await client.write('secret/data/enc/A%20B%3F%23', { data: { value: 'x' } });
    expect(emu.stored('secret', 'enc/A B?#')?.[0]?.data).toEqual({ value: 'x' });
  });

  it('namespaces: by X-Vault-Namespace or a path prefix, each with its own mounts', async () => {
    emu.createNamespace('team-a');
    emu.enableKvV2('secret', { namespace: 'team-a' });
    const ns = vault({ endpoint: emu.url, token: emu.rootToken, namespace: 'team-a' });
    await ns.write('secret/data/ns/k', { data: { value: 'in team-a' } });
    expect(emu.stored('secret', 'ns/k', 'team-a')?.[0]?.data).toEqual({ value: 'in team-a' });
    expect(emu.stored('secret', 'ns/k')).toBeUndefined();
    const viaPath = (await client.read('team-a/secret/data/ns/k')) as { data: { data: { value: string } } };
    expect(viaPath.data.data.value).toBe('in team-a');
    expect((await failure(client.read('secret/data/ns/k'))).response?.statusCode).toBe(404);
    expect(emu.requests.at(-2)?.namespace).toBe('team-a');
  });

  it('403: no token, an unknown token, and a token whose policy does not grant the path', async () => {
    const anonymous = vault({ endpoint: emu.url, token: '' });
    delete (anonymous as { token?: string }).token;
    const none = await failure(anonymous.read('secret/data/app/db'));
    expect(none.response?.statusCode).toBe(403);
    const bad = await failure(vault({ endpoint: emu.url, token: 'hvs.nope' }).read('secret/data/app/db'));
    expect(bad.response?.statusCode).toBe(403);
    expect(bad.message).toContain('invalid token');
    const limited = vault({
      endpoint: emu.url,
      token: emu.createToken([{ path: 'secret/data/app/*', capabilities: ['read'] }]),
    });
    expect(((await limited.read('secret/data/app/db')) as { data: { data: { value: string } } }).data.data.value).toBe(
      'two',
    );
    const denied = await failure(limited.write('secret/data/app/db', { data: { value: 'x' } }));
    expect(denied.response?.statusCode).toBe(403);
    expect(denied.message).toBe('1 error occurred:\n\t* permission denied\n\n');
    expect((await failure(limited.read('secret/metadata/app/db'))).response?.statusCode).toBe(403);
  });

  it('faults: 429 with Retry-After, 500, 503 sealed, counted by operation', async () => {
    emu.calls.reset();
    emu.injectFault('throttling', 1, 'read');
    const throttled = await failure(client.read('secret/data/app/db'));
    expect(throttled.response?.statusCode).toBe(429);
    expect(throttled.message).toContain('rate limit quota exceeded');
    emu.injectFault('internal');
    expect((await failure(client.read('secret/data/app/db'))).response?.statusCode).toBe(500);
    emu.injectFault('sealed');
    const sealed = await failure(client.read('secret/data/app/db'));
    expect(sealed.response?.statusCode).toBe(503);
    expect(sealed.message).toBe('Vault is sealed');
    await client.read('secret/data/app/db');
    expect(emu.calls.of('read')).toBe(4);
    expect(emu.calls.total).toBe(4);
  });

  it('a hung call times out on the client; a reset connection fails it', async () => {
    const quick = vault({ endpoint: emu.url, token: emu.rootToken, requestOptions: { timeout: 200 } });
    emu.injectFault('timeout');
    const hung = await failure(quick.read('secret/data/app/db'));
    expect((hung as { code?: string }).code).toBe('ECONNABORTED');
    emu.injectFault('reset');
    const reset = await failure(client.read('secret/data/app/db'));
    expect((reset as { code?: string }).code).toBe('ECONNRESET');
  });

  it('refuses a version larger than the storage entry limit', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const e = await failure(client.write('secret/data/big/k', { data: { value: big } }));
    expect(e.response?.statusCode).toBe(500);
    expect(e.message).toContain('put failed due to value being too large');
    expect(e.message).not.toContain('xxxx');
    expect(emu.stored('secret', 'big/k')).toBeUndefined();
  });

  it('mount config max_versions and per-secret metadata max_versions bound retention; lookup-self answers', async () => {
    emu.enableKvV2('small');
    await client.write('small/config', { max_versions: 3 });
    expect(((await client.read('small/config')) as { data: { max_versions: number } }).data.max_versions).toBe(3);
    for (let i = 1; i <= 5; i++) await client.write('small/data/k', { data: { value: `v${i}` } });
    const meta = (await client.read('small/metadata/k')) as { data: { versions: Record<string, unknown> } };
    expect(Object.keys(meta.data.versions).sort()).toEqual(['3', '4', '5']);
    await client.write('small/metadata/k', { max_versions: 1 });
    await client.write('small/data/k', { data: { value: 'v6' } });
    const after = (await client.read('small/metadata/k')) as { data: { versions: Record<string, unknown> } };
    expect(Object.keys(after.data.versions)).toEqual(['6']);
    const self = (await client.read('auth/token/lookup-self')) as { data: { policies: string[] } };
    expect(self.data.policies).toEqual(['root']);
  });

  it('a request body over max_request_size (32 MiB) is 413', async () => {
    const e = await failure(client.write('secret/data/huge', { data: { value: 'x'.repeat(33 * 1024 * 1024) } }));
    expect(e.response?.statusCode).toBe(413);
    expect(emu.stored('secret', 'huge')).toBeUndefined();
  });
});
