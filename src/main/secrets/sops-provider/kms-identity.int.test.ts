// End to end: a `sops/aws-kms` provider with `identity:` creates and reads its file through the engine (and the
// spawned CLI) against the loopback KMS and STS emulators. The KMS emulator records the access key id of every
// call, so the tests prove the assumed role's session was the one used; no identity keeps the SDK default chain;
// a wrong, unknown or refused identity fails with a clear error that carries no value or credential.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../../shared/errors';
import { loadWorkspace } from '../../config';
import { awsUserAccount } from '../../auth';
import { start as startKms, type AwsKmsEmulator } from '../../../../test/support/emulators/aws-kms';
import { start as startSts, type AwsStsEmulator } from '../../../../test/support/emulators/aws-sts';
import { runCliProcess } from '../../../../test/support/cli';
import { MemoryKeychains, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { createSecretsService, type ServiceDeps } from '../compose';

const CANARY = 'kms-identity-canary-51d2';
const BASE_SECRET = 'base-user-secret-9c1e';
const ENV_KEYS = [
  'AWS_ENDPOINT_URL_KMS',
  'AWS_ENDPOINT_URL_STS',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
] as const;

let kms: AwsKmsEmulator;
let sts: AwsStsEmulator;
let keyArn: string;
let roleArn: string;
let deniedRoleArn: string;
const saved = new Map(ENV_KEYS.map((k) => [k, process.env[k]]));

function atmosYaml(): string {
  return `base_path: "."
stacks:
  base_path: stacks
  included_paths: ["*.yaml"]
  name_template: "{{ .vars.stage }}"
auth:
  identities:
    base-user:
      kind: aws/user
    inline-user:
      kind: aws/user
      credentials: {access_key_id: AKIDINLINE, secret_access_key: ${BASE_SECRET}}
    secrets-role:
      kind: aws/assume-role
      via: {identity: base-user}
      principal: {assume_role: "${roleArn}", session_name: atmos-secrets-test, region: us-east-1}
    cli-role:
      kind: aws/assume-role
      via: {identity: inline-user}
      principal: {assume_role: "${roleArn}", region: us-east-1}
    locked-role:
      kind: aws/assume-role
      via: {identity: base-user}
      principal: {assume_role: "${deniedRoleArn}"}
    gcp-sa:
      kind: gcp/service-account
    sso-admin:
      kind: aws/permission-set
      via: {provider: sso}
      principal: {name: Admin, account: {name: "111122223333"}}
secrets:
  providers:
    kms:
      kind: sops/aws-kms
      identity: secrets-role
      spec: {file: "kms/{{ .atmos_stack }}.enc.yaml", kms_arn: "${keyArn}"}
    cli:
      kind: sops/aws-kms
      identity: cli-role
      spec: {file: "cli/{{ .atmos_stack }}.enc.yaml", kms_arn: "${keyArn}"}
    plain:
      kind: sops/aws-kms
      spec: {file: "plain/{{ .atmos_stack }}.enc.yaml", kms_arn: "${keyArn}"}
    wrong-cloud:
      kind: sops/aws-kms
      identity: gcp-sa
      spec: {file: "wrong/{{ .atmos_stack }}.enc.yaml", kms_arn: "${keyArn}"}
    locked:
      kind: sops/aws-kms
      identity: locked-role
      spec: {file: "locked/{{ .atmos_stack }}.enc.yaml", kms_arn: "${keyArn}"}
    sso:
      kind: sops/aws-kms
      identity: sso-admin
      spec: {file: "sso/{{ .atmos_stack }}.enc.yaml", kms_arn: "${keyArn}"}
`;
}

const STACK = `vars: {stage: dev}
secrets:
  vars:
    TOKEN: {sops: kms}
    CLI_TOKEN: {sops: cli}
    PLAIN: {sops: plain}
    WRONG: {sops: wrong-cloud}
    LOCKED: {sops: locked}
    SSO: {sops: sso}
components:
  terraform:
    app:
      vars: {name: app}
`;

beforeAll(async () => {
  kms = await startKms();
  sts = await startSts({ accessKeyIds: ['AKIDBASE', 'AKIDINLINE', 'AKIDAMBIENT'] });
  keyArn = kms.createKey({ region: 'us-east-1' }).arn;
  roleArn = sts.createRole('SopsSecrets', { trust: ['AKIDBASE', 'AKIDINLINE'] }).arn;
  deniedRoleArn = sts.createRole('Locked', { trust: ['AKIDBASE'] }).arn;
  sts.denyAssume(deniedRoleArn);
});
afterAll(async () => {
  await kms.stop();
  await sts.stop();
  removeWrittenWorkspaces();
});
beforeEach(() => {
  // The SDKs read these; the ambient chain is a known fake key, so "no identity" is observable too.
  process.env['AWS_ENDPOINT_URL_KMS'] = kms.url;
  process.env['AWS_ENDPOINT_URL_STS'] = sts.url;
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIDAMBIENT';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'ambient-secret';
  process.env['AWS_REGION'] = 'us-east-1';
  delete process.env['AWS_SESSION_TOKEN'];
  delete process.env['AWS_PROFILE'];
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = '/nonexistent/credentials';
  process.env['AWS_CONFIG_FILE'] = '/nonexistent/config';
});
afterEach(() => {
  for (const [k, v] of saved) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function service(extra: Partial<ServiceDeps> = {}): Promise<{
  dir: string;
  svc: ReturnType<typeof createSecretsService>;
  keychains: MemoryKeychains;
}> {
  const dir = writeWorkspace({ 'atmos.yaml': atmosYaml(), 'stacks/dev.yaml': STACK });
  const keychains = new MemoryKeychains();
  await keychains
    .get()
    .set(awsUserAccount('base-user'), JSON.stringify({ access_key_id: 'AKIDBASE', secret_access_key: BASE_SECRET }));
  const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
  const svc = createSecretsService(ws, {
    keychain: (s) => keychains.get(s),
    env: { XDG_CONFIG_HOME: join(dir, 'no-config') },
    remember: () => undefined,
    confirm: async () => true,
    ...extra,
  });
  return { dir, svc, keychains };
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isAppError(e)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

function expectNoSecrets(e: AppError): void {
  const text = `${e.message}\n${e.hint ?? ''}`;
  expect(text).not.toContain(CANARY);
  expect(text).not.toContain(BASE_SECRET);
  expect(text).not.toContain('ambient-secret');
}

describe('SOPS aws-kms with an auth identity (engine)', () => {
  it("creates and reads the file with the assumed role's credentials, assuming the role once per run", async () => {
    const { dir, svc } = await service();
    const stsBefore = sts.sessions.length;
    const kmsBefore = kms.callers.length;
    await svc.set({ stack: 'dev', name: 'TOKEN', value: CANARY });
    expect((await svc.get({ stack: 'dev', name: 'TOKEN' })).value).toBe(CANARY);
    const file = readFileSync(join(dir, 'kms/dev.enc.yaml'), 'utf8');
    expect(file).toContain(keyArn);
    expect(file).not.toContain(CANARY);

    // The role was assumed once, by the keychain-kept base user; every KMS call was signed with that session.
    const issued = sts.sessions.slice(stsBefore);
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ roleArn, sessionName: 'atmos-secrets-test', callerAccessKeyId: 'AKIDBASE' });
    const used = kms.callers.slice(kmsBefore);
    expect(used.length).toBeGreaterThanOrEqual(2);
    expect(new Set(used)).toEqual(new Set([issued[0]?.accessKeyId]));
  });

  it('no identity: the SDK default chain, as before', async () => {
    const { svc } = await service();
    const stsBefore = sts.calls.total;
    const kmsBefore = kms.callers.length;
    await svc.set({ stack: 'dev', name: 'PLAIN', value: CANARY });
    expect((await svc.get({ stack: 'dev', name: 'PLAIN' })).value).toBe(CANARY);
    expect(sts.calls.total).toBe(stsBefore);
    expect(new Set(kms.callers.slice(kmsBefore))).toEqual(new Set(['AKIDAMBIENT']));
  });

  it('--identity applies to a provider without its own identity', async () => {
    const { svc } = await service({ identity: 'secrets-role' });
    const stsBefore = sts.sessions.length;
    const kmsBefore = kms.callers.length;
    await svc.set({ stack: 'dev', name: 'PLAIN', value: CANARY });
    const issued = sts.sessions.slice(stsBefore);
    expect(issued).toHaveLength(1);
    expect(new Set(kms.callers.slice(kmsBefore))).toEqual(new Set([issued[0]?.accessKeyId]));
  });

  it('an unknown --identity is a CONFIG error listing the configured identities', async () => {
    const { svc } = await service({ identity: 'nobody' });
    const kmsBefore = kms.calls.total;
    const e = await failure(svc.set({ stack: 'dev', name: 'PLAIN', value: CANARY }));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toContain('auth identity "nobody" is not configured');
    expect(e.hint).toContain('secrets-role');
    expect(e.hint).toContain('base-user');
    expect(kms.calls.total).toBe(kmsBefore);
    expectNoSecrets(e);
  });

  it('an identity of the wrong cloud is refused before any KMS call', async () => {
    const { svc } = await service();
    const kmsBefore = kms.calls.total;
    const e = await failure(svc.set({ stack: 'dev', name: 'WRONG', value: CANARY }));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toContain('auth identity "gcp-sa" is a GCP identity (gcp/service-account)');
    expect(e.message).toContain('AWS KMS of SOPS provider "wrong-cloud" needs AWS credentials');
    expect(kms.calls.total).toBe(kmsBefore);
    expectNoSecrets(e);
  });

  it('a role STS refuses is an AUTH error naming the role and identity', async () => {
    const { svc } = await service();
    const e = await failure(svc.set({ stack: 'dev', name: 'LOCKED', value: CANARY }));
    expect(e.code).toBe('AUTH');
    expect(e.message).toContain(deniedRoleArn);
    expect(e.message).toContain('"locked-role"');
    expect(e.message).toContain('AccessDenied');
    expectNoSecrets(e);
  });

  it('aws/permission-set is refused with AUTH: not supported in this build', async () => {
    const { svc } = await service();
    const e = await failure(svc.set({ stack: 'dev', name: 'SSO', value: CANARY }));
    expect(e.code).toBe('AUTH');
    expect(e.message).toContain('aws/permission-set');
    expect(e.message).toContain('not supported in this build');
    expectNoSecrets(e);
  });

  it('missing aws/user keys in the keychain are an AUTH error saying where to put them', async () => {
    const { svc, keychains } = await service();
    await keychains.get().delete(awsUserAccount('base-user'));
    const e = await failure(svc.set({ stack: 'dev', name: 'TOKEN', value: CANARY }));
    expect(e.code).toBe('AUTH');
    expect(e.message).toContain('aws/user identity "base-user"');
    expect(e.hint).toContain(awsUserAccount('base-user'));
  });
});

describe('SOPS aws-kms with an auth identity (spawned CLI)', () => {
  it('set and get run as the assumed role; a wrong identity fails with exit code and message', async () => {
    const dir = writeWorkspace({ 'atmos.yaml': atmosYaml(), 'stacks/dev.yaml': STACK });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ATMOS_STACK: '',
      ATMOS_COMPONENT: '',
      ATMOS_IDENTITY: '',
      XDG_CONFIG_HOME: join(dir, 'no-config'),
    };
    const stsBefore = sts.sessions.length;
    const kmsBefore = kms.callers.length;
    const set = await runCliProcess(['--base-path', dir, 'set', 'CLI_TOKEN', '-s', 'dev', '--stdin', '--yes'], {
      cwd: dir,
      env,
      stdin: CANARY,
    });
    expect(set.stderr).not.toContain(CANARY);
    expect(set.code, set.stderr).toBe(0);
    const get = await runCliProcess(['--base-path', dir, 'get', 'CLI_TOKEN', '-s', 'dev', '--raw'], {
      cwd: dir,
      env,
    });
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toContain(CANARY);
    const issued = sts.sessions.slice(stsBefore);
    // One process per command: each assumes the role once.
    expect(issued.map((s) => s.callerAccessKeyId)).toEqual(['AKIDINLINE', 'AKIDINLINE']);
    expect(new Set(kms.callers.slice(kmsBefore))).toEqual(new Set(issued.map((s) => s.accessKeyId)));

    const wrong = await runCliProcess(
      ['--base-path', dir, 'set', 'PLAIN', '-s', 'dev', '--stdin', '--yes', '--identity', 'nobody'],
      { cwd: dir, env, stdin: CANARY },
    );
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('auth identity "nobody" is not configured');
    for (const out of [set, get, wrong]) {
      expect(out.stderr).not.toContain(BASE_SECRET);
    }
    expect(wrong.stderr).not.toContain(CANARY);
  });
});
