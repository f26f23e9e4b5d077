// The Secret Manager emulator against the official client, unmodified (gRPC, insecure channel on 127.0.0.1):
// create/add/access, `latest`, status codes and wording, size and naming rules, CRC32C, version states, pages,
// delete, faults, latency, access denial and call counts.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { googleAuthLibrary, grpc as gaxGrpc } from 'google-gax';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c } from '../gcp-kms/crc32c';
import { GCP_SM_MAX_PAYLOAD_BYTES, start, type GcpSecretManagerEmulator } from './index';

const P = 'emu-project';
const parent = `projects/${P}`;
/** No retries from gax: the faults must reach the test as they are. */
const once = { retry: null, timeout: 5_000 };

let emu: GcpSecretManagerEmulator;
let client: SecretManagerServiceClient;

beforeAll(async () => {
  emu = await start({ maxPageSize: 2 });
  client = new SecretManagerServiceClient({
    apiEndpoint: '127.0.0.1',
    port: emu.port,
    sslCreds: gaxGrpc.credentials.createInsecure(),
    universeDomain: 'googleapis.com',
  });
});
afterAll(async () => {
  await client.close();
  await emu.stop();
});

async function codeOf(p: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code?: unknown; details?: unknown };
    return { code: Number(err.code), details: String(err.details) };
  }
  throw new Error('expected the call to fail');
}

async function create(id: string): Promise<void> {
  await client.createSecret({ parent, secretId: id, secret: { replication: { automatic: {} } } }, once);
}

describe('gcp-secretmanager emulator (raw SDK)', () => {
  it('creates, adds versions and accesses `latest` and a number, with data_crc32c; counts calls', async () => {
    emu.calls.reset();
    await create('db_password');
    const [v1] = await client.addSecretVersion(
      { parent: `${parent}/secrets/db_password`, payload: { data: Buffer.from('one') } },
      once,
    );
    expect(v1.name).toBe(`${parent}/secrets/db_password/versions/1`);
    expect(v1.state).toBe('ENABLED');
    expect(v1.clientSpecifiedPayloadChecksum).toBe(false);
    const two = Buffer.from('two ✓');
    const [v2] = await client.addSecretVersion(
      { parent: `${parent}/secrets/db_password`, payload: { data: two, dataCrc32c: crc32c(two) } },
      once,
    );
    expect(v2.clientSpecifiedPayloadChecksum).toBe(true);
    const [latest] = await client.accessSecretVersion({ name: `${parent}/secrets/db_password/versions/latest` }, once);
    expect(latest.name).toBe(`${parent}/secrets/db_password/versions/2`);
    expect(Buffer.from(latest.payload?.data as Uint8Array).toString()).toBe('two ✓');
    expect(String(latest.payload?.dataCrc32c)).toBe(String(crc32c(two)));
    const [first] = await client.accessSecretVersion({ name: `${parent}/secrets/db_password/versions/1` }, once);
    expect(Buffer.from(first.payload?.data as Uint8Array).toString()).toBe('one');
    expect(emu.calls.snapshot()).toEqual({ CreateSecret: 1, AddSecretVersion: 2, AccessSecretVersion: 2 });
    expect(emu.lastMetadata['x-goog-request-params']).toContain('db_password');
  });

  it('answers ALREADY_EXISTS, NOT_FOUND and INVALID_ARGUMENT with the service wording', async () => {
    await create('dup');
    expect(await codeOf(create('dup'))).toEqual({ code: 6, details: `Secret [${parent}/secrets/dup] already exists.` });
    expect(await codeOf(client.accessSecretVersion({ name: `${parent}/secrets/nope/versions/latest` }, once))).toEqual({
      code: 5,
      details: `Secret [${parent}/secrets/nope] not found or has no versions.`,
    });
    // A secret with no versions: `latest` is not found either.
    expect(
      (await codeOf(client.accessSecretVersion({ name: `${parent}/secrets/dup/versions/latest` }, once))).code,
    ).toBe(5);
    expect(
      await codeOf(
        client.addSecretVersion({ parent: `${parent}/secrets/nope`, payload: { data: Buffer.from('x') } }, once),
      ),
    ).toEqual({ code: 5, details: `Secret [${parent}/secrets/nope] not found.` });
    expect((await codeOf(create('a/b'))).code).toBe(3);
    expect((await codeOf(create('x'.repeat(256)))).code).toBe(3);
    expect((await codeOf(client.createSecret({ parent, secretId: 'norep', secret: {} }, once))).details).toBe(
      'Secret.replication is required.',
    );
    expect(
      (
        await codeOf(
          client.createSecret(
            { parent, secretId: 'badlabel', secret: { replication: { automatic: {} }, labels: { Upper: 'x' } } },
            once,
          ),
        )
      ).code,
    ).toBe(3);
    expect(
      (
        await codeOf(
          client.createSecret(
            {
              parent,
              secretId: 'bigannotations',
              secret: { replication: { automatic: {} }, annotations: { k: 'x'.repeat(16 * 1024) } },
            },
            once,
          ),
        )
      ).code,
    ).toBe(3);
  });

  it('keeps labels, annotations and user-managed replication as given', async () => {
    await client.createSecret(
      {
        parent,
        secretId: 'labelled',
        secret: {
          replication: { userManaged: { replicas: [{ location: 'us-east1' }] } },
          labels: { 'managed-by': 'atmos-secrets' },
          annotations: { 'atmos-secrets.path': 'plat/dev/api/DB_PASSWORD' },
        },
      },
      once,
    );
    const [s] = await client.getSecret({ name: `${parent}/secrets/labelled` }, once);
    expect(s.labels).toEqual({ 'managed-by': 'atmos-secrets' });
    expect(s.annotations).toEqual({ 'atmos-secrets.path': 'plat/dev/api/DB_PASSWORD' });
    expect(s.replication?.userManaged?.replicas?.[0]?.location).toBe('us-east1');
    expect(emu.secret(P, 'labelled')?.replication).toBe('userManaged');
  });

  it('refuses a payload over 64 KiB and a wrong data_crc32c, storing nothing', async () => {
    await create('big');
    const over = Buffer.alloc(GCP_SM_MAX_PAYLOAD_BYTES + 1, 0x61);
    expect(
      await codeOf(client.addSecretVersion({ parent: `${parent}/secrets/big`, payload: { data: over } }, once)),
    ).toEqual({ code: 3, details: 'Secret Payload cannot be larger than 65536 bytes.' });
    const at = Buffer.alloc(GCP_SM_MAX_PAYLOAD_BYTES, 0x61);
    await client.addSecretVersion({ parent: `${parent}/secrets/big`, payload: { data: at } }, once);
    const bad = await codeOf(
      client.addSecretVersion(
        { parent: `${parent}/secrets/big`, payload: { data: Buffer.from('x'), dataCrc32c: 12345 } },
        once,
      ),
    );
    expect(bad.code).toBe(3);
    expect(emu.secret(P, 'big')?.versions).toHaveLength(1);
  });

  it('lists versions newest first in capped pages; disabled and destroyed versions fail access with FAILED_PRECONDITION', async () => {
    emu.seed(P, 'paged', ['a', 'b', 'c', 'd', 'e']);
    const [firstPage, , raw] = await client.listSecretVersions(
      { parent: `${parent}/secrets/paged`, pageSize: 100 },
      { ...once, autoPaginate: false },
    );
    expect(firstPage.map((v) => v.name?.split('/').at(-1))).toEqual(['5', '4']);
    expect(raw?.nextPageToken).not.toBe('');
    const [all] = await client.listSecretVersions({ parent: `${parent}/secrets/paged` }, once);
    expect(all.map((v) => v.name?.split('/').at(-1))).toEqual(['5', '4', '3', '2', '1']);
    await client.disableSecretVersion({ name: `${parent}/secrets/paged/versions/5` }, once);
    expect(await codeOf(client.accessSecretVersion({ name: `${parent}/secrets/paged/versions/latest` }, once))).toEqual(
      {
        code: 9,
        details: `Secret Version [${parent}/secrets/paged/versions/5] is in DISABLED state.`,
      },
    );
    await client.destroySecretVersion({ name: `${parent}/secrets/paged/versions/4` }, once);
    expect((await codeOf(client.accessSecretVersion({ name: `${parent}/secrets/paged/versions/4` }, once))).code).toBe(
      9,
    );
    expect(emu.secret(P, 'paged')?.versions[3]?.data.length).toBe(0);
    const [enabled] = await client.listSecretVersions(
      { parent: `${parent}/secrets/paged`, filter: 'state:ENABLED' },
      once,
    );
    expect(enabled.map((v) => v.state)).toEqual(['ENABLED', 'ENABLED', 'ENABLED']);
    expect(
      (await codeOf(client.listSecretVersions({ parent: `${parent}/secrets/paged`, pageToken: 'forged' }, once))).code,
    ).toBe(3);
  });

  it('filters ListSecrets on labels (= equal, : has, * any value); other filters are UNIMPLEMENTED', async () => {
    const labelled = async (id: string, labels: Record<string, string>) =>
      client.createSecret({ parent, secretId: id, secret: { replication: { automatic: {} }, labels } }, once);
    await labelled('lf_ours', { 'managed-by': 'atmos-secrets', team: 'a' });
    await labelled('lf_other', { 'managed-by': 'someone-else' });
    await labelled('lf_none', {});
    const ids = async (filter: string) =>
      (await client.listSecrets({ parent, filter }, once))[0]
        .map((x) => x.name?.slice(x.name.lastIndexOf('/') + 1))
        .filter((n) => n?.startsWith('lf_'));
    expect(await ids('labels.managed-by=atmos-secrets')).toEqual(['lf_ours']);
    expect(await ids('labels.managed-by:*')).toEqual(['lf_other', 'lf_ours']);
    expect(await ids('labels.managed-by=atmos-secrets AND labels.team=a')).toEqual(['lf_ours']);
    expect(await ids('labels.team=b')).toEqual([]);
    expect((await codeOf(client.listSecrets({ parent, filter: 'name:lf_' }, once))).code).toBe(12);
  });

  it('deletes the secret with every version at once (no soft delete); the id can be created again', async () => {
    emu.seed(P, 'gone', ['1', '2']);
    await client.deleteSecret({ name: `${parent}/secrets/gone` }, once);
    expect(emu.secret(P, 'gone')).toBeUndefined();
    expect((await codeOf(client.deleteSecret({ name: `${parent}/secrets/gone` }, once))).code).toBe(5);
    await create('gone');
    expect(emu.secret(P, 'gone')?.versions).toEqual([]);
  });

  it('injects faults by operation, denies access like IAM, and hangs until the caller gives up', async () => {
    emu.seed(P, 'faulty', ['v']);
    const name = `${parent}/secrets/faulty/versions/latest`;
    emu.injectFault('resource-exhausted', 1, 'AccessSecretVersion');
    emu.injectFault('unavailable', 1, 'AccessSecretVersion');
    emu.injectFault('unauthenticated', 1, 'AccessSecretVersion');
    emu.injectFault('internal', 1, 'AccessSecretVersion');
    expect((await codeOf(client.accessSecretVersion({ name }, once))).code).toBe(8);
    expect((await codeOf(client.accessSecretVersion({ name }, once))).code).toBe(14);
    expect((await codeOf(client.accessSecretVersion({ name }, once))).code).toBe(16);
    expect((await codeOf(client.accessSecretVersion({ name }, once))).code).toBe(13);
    const [ok] = await client.accessSecretVersion({ name }, once);
    expect(Buffer.from(ok.payload?.data as Uint8Array).toString()).toBe('v');

    emu.denyAccess('AccessSecretVersion', 'faulty');
    expect(await codeOf(client.accessSecretVersion({ name }, once))).toEqual({
      code: 7,
      details: `Permission 'secretmanager.versions.access' denied for resource '${name}' (or it may not exist).`,
    });
    emu.allowAll();

    emu.injectFault('hang', 1, 'GetSecret');
    expect(
      (await codeOf(client.getSecret({ name: `${parent}/secrets/faulty` }, { retry: null, timeout: 300 }))).code,
    ).toBe(4);
    emu.setLatency(50, 'GetSecret');
    const [s] = await client.getSecret({ name: `${parent}/secrets/faulty` }, once);
    expect(s.name).toBe(`${parent}/secrets/faulty`);
    emu.setLatency(0, 'GetSecret');
  });

  it('answers UNIMPLEMENTED for methods it does not emulate', async () => {
    expect((await codeOf(client.getIamPolicy({ resource: `${parent}/secrets/x` }, once))).code).toBe(12);
  });
});

describe('gcp-secretmanager emulator over TLS with JWT authentication (raw SDK)', () => {
  it('accepts self-signed JWTs of a trusted service account and answers UNAUTHENTICATED to others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gcp-sm-tls-'));
    const keyPem = join(dir, 'key.pem');
    const certPem = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPem, '-out', certPem, '-days', '1'].concat([
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
      ]),
      { stdio: 'ignore' },
    );
    const cert = readFileSync(certPem);
    const email = 'ci@emu-project.iam.gserviceaccount.com';
    const trusted = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const tlsEmu = await start({
      tls: { key: readFileSync(keyPem, 'utf8'), cert: cert.toString('utf8') },
      serviceAccounts: [{ email, keyId: 'k1', publicKey: trusted.publicKey }],
    });
    const clientAs = (privateKey: typeof trusted.privateKey): SecretManagerServiceClient => {
      // What the client makes from a key file: a self-signed JWT (no token endpoint), key id in its header.
      const jwt = new googleAuthLibrary.JWT({
        email,
        key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        keyId: 'k1',
        scopes: ['https://www.googleapis.com/auth/cloud-platform'],
      });
      jwt.useJWTAccessWithScope = true;
      return new SecretManagerServiceClient({
        apiEndpoint: 'localhost',
        port: tlsEmu.port,
        universeDomain: 'googleapis.com',
        sslCreds: gaxGrpc.credentials.combineChannelCredentials(
          gaxGrpc.credentials.createSsl(cert),
          // As gax does it: grpc-js wants the headers as a plain object, google-auth-library returns Headers.
          gaxGrpc.credentials.createFromGoogleCredential({
            getRequestHeaders: async (url?: string) => {
              const plain: Record<string, string> = {};
              (await jwt.getRequestHeaders(url)).forEach((value, key) => (plain[key] = value));
              return plain;
            },
          }),
        ),
      });
    };
    const good = clientAs(trusted.privateKey);
    const bad = clientAs(other.privateKey);
    try {
      tlsEmu.seed(P, 'tls', ['over tls']);
      const [got] = await good.accessSecretVersion({ name: `${parent}/secrets/tls/versions/latest` }, once);
      expect(Buffer.from(got.payload?.data as Uint8Array).toString()).toBe('over tls');
      expect(tlsEmu.lastCaller).toBe(email);
      expect(
        (await codeOf(bad.accessSecretVersion({ name: `${parent}/secrets/tls/versions/latest` }, once))).code,
      ).toBe(16);
    } finally {
      await good.close();
      await bad.close();
      await tlsEmu.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
