// Credentials end to end, over TLS as against Google: the emulator serves TLS with a throwaway certificate and
// accepts only self-signed JWTs (what the client makes from a service-account key file) from the accounts it
// trusts. The store's `identity` (gcp/service-account through src/main/auth), application default credentials
// (GOOGLE_APPLICATION_CREDENTIALS), and an untrusted key (UNAUTHENTICATED -> StoreAuthError) are all tested
// with the client's real auth path. grpc-js reads GRPC_DEFAULT_SSL_ROOTS_FILE_PATH when it loads, so the
// certificate is made and trusted before any import (vi.hoisted).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IdentityResolver } from '../../auth';
import { start, type GcpSecretManagerEmulator } from '../../../../test/support/emulators/gcp-secretmanager';
import type { SecretPath } from '../paths';
import { parseStoreConfig } from '../store-config';
import { StoreAuthError } from '../store-errors';
import { gcpSecretManagerStoreFactory, GcpSecretStore } from './index';

const tls = await vi.hoisted(async () => {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(tmpdir(), 'atmos-gcp-tls-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
    ].concat(['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']),
    { stdio: 'ignore' },
  );
  process.env.GRPC_DEFAULT_SSL_ROOTS_FILE_PATH = cert;
  return { dir, key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
});

const PROJECT = 'tls-project';
const TRUSTED = 'atmos@tls-project.iam.gserviceaccount.com';

/** A service-account key file as `gcloud iam service-accounts keys create` writes it; the token URI is unreachable. */
function keyFile(name: string, email: string, keyId: string): { file: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const file = join(tls.dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      type: 'service_account',
      project_id: PROJECT,
      private_key_id: keyId,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      client_email: email,
      token_uri: 'http://127.0.0.1:9/token',
    }),
  );
  return { file, publicKey };
}

const trusted = keyFile('trusted', TRUSTED, 'key-1');
const untrusted = keyFile('untrusted', 'intruder@elsewhere.iam.gserviceaccount.com', 'key-9');
let emu: GcpSecretManagerEmulator;
const opened: GcpSecretStore[] = [];

beforeAll(async () => {
  emu = await start({
    tls: { key: tls.key, cert: tls.cert },
    serviceAccounts: [{ email: TRUSTED, keyId: 'key-1', publicKey: trusted.publicKey }],
  });
});
afterAll(async () => {
  for (const s of opened) await s.close();
  await emu.stop();
});

const identities = new IdentityResolver({
  auth: {
    identities: {
      ci: { kind: 'gcp/service-account', credentials: { key_file: trusted.file } },
      intruder: { kind: 'gcp/service-account', credentials: { key_file: untrusted.file } },
    },
  },
  env: {},
});

function makeStore(identity: string | undefined): GcpSecretStore {
  const store = gcpSecretManagerStoreFactory({ identities, sleep: () => Promise.resolve() })(
    parseStoreConfig('gsm', {
      kind: 'gcp/secretmanager',
      secret: true,
      ...(identity !== undefined ? { identity } : {}),
      // `localhost`, not the IP: a TLS server name must be a host name (RFC 6066).
      options: { project_id: PROJECT, endpoint: emu.endpoint.replace('127.0.0.1', 'localhost'), prefix: 'tls' },
    }),
  );
  if (!(store instanceof GcpSecretStore)) throw new Error('expected a GcpSecretStore');
  opened.push(store);
  return store;
}

const at = (name: string): SecretPath => ({ name, scope: 'instance', stack: 'dev', component: 'api' });

describe('gcp/secretmanager credentials over TLS (emulator checks the JWT)', () => {
  it("uses the store's identity: its key file signs the calls", async () => {
    const store = makeStore('ci');
    await store.set(at('BY_IDENTITY'), 'v1');
    expect(await store.get(at('BY_IDENTITY'))).toBe('v1');
    expect(emu.lastCaller).toBe(TRUSTED);
    expect(emu.lastMetadata['authorization']).toMatch(/^Bearer /);
  });

  it('uses application default credentials when the store names no identity', async () => {
    const saved = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.GOOGLE_APPLICATION_CREDENTIALS = trusted.file;
    try {
      const store = makeStore(undefined);
      await store.set(at('BY_ADC'), 'v2');
      expect(await store.get(at('BY_ADC'))).toBe('v2');
      expect(emu.lastCaller).toBe(TRUSTED);
    } finally {
      if (saved === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      else process.env.GOOGLE_APPLICATION_CREDENTIALS = saved;
    }
  });

  it('a key the service does not trust is refused: StoreAuthError naming the store and secret; status is an error', async () => {
    const store = makeStore('intruder');
    emu.calls.reset();
    const e = await store.get(at('BY_IDENTITY')).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(StoreAuthError);
    expect((e as StoreAuthError).message).toContain('store "gsm" refused the credentials');
    expect((e as StoreAuthError).message).toContain('"BY_IDENTITY"');
    expect((e as StoreAuthError).message).toContain('UNAUTHENTICATED');
    // Not retried: a refused credential does not get better by asking again.
    expect(emu.calls.of('AccessSecretVersion')).toBe(1);
    await expect(store.status(at('BY_IDENTITY'))).rejects.toBeInstanceOf(StoreAuthError);
  });
});
