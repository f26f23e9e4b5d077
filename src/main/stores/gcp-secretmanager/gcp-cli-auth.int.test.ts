// End to end with real credentials: the built CLI against the Secret Manager emulator over TLS, where only
// self-signed JWTs of a trusted service account get in. The store's `identity` names an atmos.yaml `auth:`
// identity of kind gcp/service-account whose key file sits in the workspace, so the whole path runs for real:
// atmos.yaml -> src/main/auth -> the store -> the client's JWT -> the emulator's check. The CLI trusts the
// throwaway certificate through GRPC_DEFAULT_SSL_ROOTS_FILE_PATH (grpc-js' own root-certificate override).
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../../../test/support/emulators/gcp-secretmanager';
import { storeCliSuite } from '../../../../test/support/store-cli';
import { atmosYaml, DEV_STACK, devStack } from '../../../../test/support/store-workspace';

const PROJECT = 'cli-auth-project';
const TRUSTED = 'deployer@cli-auth-project.iam.gserviceaccount.com';
const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-gcp-auth`;

function serviceAccountKey(email: string, keyId: string, privateKey: string): string {
  return JSON.stringify({
    type: 'service_account',
    project_id: PROJECT,
    private_key_id: keyId,
    private_key: privateKey,
    client_email: email,
    token_uri: 'http://127.0.0.1:9/token',
  });
}

// Made before the emulator starts (it serves with this certificate); removed after the suite.
let certDir: string;
beforeAll(() => {
  certDir = mkdtempSync(join(tmpdir(), 'atmos-gcp-cli-tls-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(certDir, 'key.pem'), '-out']
      .concat([join(certDir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'])
      .concat(['-addext', 'subjectAltName=DNS:localhost']),
    { stdio: 'ignore' },
  );
});
afterAll(() => rmSync(certDir, { recursive: true, force: true }));

const trusted = generateKeyPairSync('rsa', { modulusLength: 2048 });
const intruder = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: typeof trusted.privateKey): string => k.export({ type: 'pkcs8', format: 'pem' }).toString();

const t = storeCliSuite({
  start: () =>
    start({
      tls: {
        key: readFileSync(join(certDir, 'key.pem'), 'utf8'),
        cert: readFileSync(join(certDir, 'cert.pem'), 'utf8'),
      },
      serviceAccounts: [{ email: TRUSTED, keyId: 'deploy-1', publicKey: trusted.publicKey }],
    }),
  files: (emu) => {
    const store = (name: string, identity: string): string[] => [
      `  ${name}:`,
      '    kind: gcp/secretmanager',
      '    secret: true',
      `    identity: ${identity}`,
      '    options:',
      `      project_id: ${PROJECT}`,
      `      endpoint: https://localhost:${emu.port}`,
      '      max_attempts: 1',
    ];
    return {
      'keys/deployer.json': serviceAccountKey(TRUSTED, 'deploy-1', pem(trusted.privateKey)),
      'keys/intruder.json': serviceAccountKey(
        'intruder@elsewhere.iam.gserviceaccount.com',
        'x-9',
        pem(intruder.privateKey),
      ),
      'atmos.yaml': atmosYaml([
        'auth:',
        '  identities:',
        '    deployer:',
        '      kind: gcp/service-account',
        '      credentials: { key_file: keys/deployer.json }',
        '    intruder:',
        '      kind: gcp/service-account',
        '      credentials: { key_file: keys/intruder.json }',
        'stores:',
        ...store('gsm', 'deployer'),
        ...store('gsm-intruder', 'intruder'),
      ]),
      [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'gsm' }, OTHER_TOKEN: { store: 'gsm-intruder' } } }),
    };
  },
  env: () => ({ GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: join(certDir, 'cert.pem'), GOOGLE_APPLICATION_CREDENTIALS: '' }),
});
const cli = (args: string[], stdin?: string) => t.cli(args, { stdin });

describe('atmos-secret with a gcp/secretmanager store and a gcp/service-account identity (TLS, JWT checked)', () => {
  it("signs every call with the identity's key: set --stdin, get, list --verify", async () => {
    const set = await cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], `${CANARY}\n`);
    expect(set.code, set.stderr).toBe(0);
    expect(t.emu.lastCaller).toBe(TRUSTED);
    expect(t.emu.secret(PROJECT, 'dev_api_DB_PASSWORD')?.versions).toHaveLength(1);

    const get = await cli(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--raw']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(CANARY);

    const list = await cli(['list', '-s', 'dev', '-c', 'api', '--verify', '--format', 'json']);
    const rows = JSON.parse(list.stdout) as { secret: string; status: string }[];
    // The intruder's store is refused (an error row, never `missing`); the deployer's secret is there.
    expect(rows.map((r) => [r.secret, r.status]).sort()).toEqual([
      ['DB_PASSWORD', 'initialized'],
      ['OTHER_TOKEN', 'error'],
    ]);
    expect(list.code).toBe(1);
    expect(list.stderr).toContain('store "gsm-intruder" refused the credentials');
    expect(list.stderr).toContain('UNAUTHENTICATED');
    expect(list.stdout + list.stderr).not.toContain(CANARY);
  });
});
