// The AWS KMS key source through the real @aws-sdk/client-kms against the loopback TrentService emulator:
// round trips, context binding, clear errors naming the ARN, retries on throttling and 5xx, identity resolution.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AppError, isAppError } from '../../../../shared/errors';
import { start, type AwsKmsEmulator } from '../../../../../test/support/emulators/aws-kms';
import { type AssumeRoleRequest, type AwsCredentialsProvider, createAwsKmsKeySource } from './index';

const GOOD: AwsCredentialsProvider = () => Promise.resolve({ accessKeyId: 'AKIDGOOD', secretAccessKey: 'secret' });

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isAppError(e)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

describe('aws-kms key source (emulator)', () => {
  let kms: AwsKmsEmulator;
  const ENV_KEYS = ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_ENDPOINT_URL_KMS'] as const;
  const savedEnv = new Map(ENV_KEYS.map((k) => [k, process.env[k]]));

  beforeAll(async () => {
    kms = await start({ accessKeyIds: ['AKIDGOOD', 'AKIDPROFILE', 'AKIDROLE'] });
  });
  afterAll(async () => {
    await kms.stop();
  });
  afterEach(() => {
    for (const [k, v] of savedEnv) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const source = (extra: Parameters<typeof createAwsKmsKeySource>[0] = {}) =>
    createAwsKmsKeySource({ endpoint: kms.url, credentials: GOOD, ...extra });

  it('round-trips a data key with an encryption context, in the sops entry shape', async () => {
    const key = kms.createKey({ region: 'eu-west-1' });
    const dataKey = new Uint8Array(randomBytes(32));
    const ks = source({ now: () => new Date('2026-11-30T01:02:03.456Z') });
    const entry = await ks.wrap(dataKey, { type: 'kms', arn: key.arn, context: { app: 'atmos', env: 'prod' } });
    expect(entry).toMatchObject({
      type: 'kms',
      arn: key.arn,
      context: { app: 'atmos', env: 'prod' },
      aws_profile: '',
      created_at: '2026-11-30T01:02:03Z',
    });
    expect(entry.enc).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(await ks.unwrap(entry)).equals(Buffer.from(dataKey))).toBe(true);
    // Context key order does not matter.
    const reordered = { ...entry, context: { env: 'prod', app: 'atmos' } };
    expect(Buffer.from(await ks.unwrap(reordered)).equals(Buffer.from(dataKey))).toBe(true);
  });

  it('wraps through an alias ARN and unwraps without a KeyId', async () => {
    const key = kms.createKey({ alias: 'sops-test' });
    const ks = source();
    const share = new Uint8Array(randomBytes(33));
    const entry = await ks.wrap(share, { type: 'kms', arn: key.aliasArn! });
    expect(Buffer.from(await ks.unwrap(entry)).equals(Buffer.from(share))).toBe(true);
  });

  it('refuses a wrong or missing encryption context, naming the ARN', async () => {
    const key = kms.createKey();
    const ks = source();
    const entry = await ks.wrap(new Uint8Array(32), { type: 'kms', arn: key.arn, context: { app: 'a' } });
    for (const bad of [
      { ...entry, context: { app: 'b' } },
      { ...entry, context: undefined },
    ]) {
      const err = await failure(ks.unwrap(bad));
      expect(err.code).toBe('CRYPTO');
      expect(err.message).toContain(key.arn);
      expect(err.message).toContain('InvalidCiphertextException');
      expect(err.hint).toMatch(/context/);
    }
  });

  it('refuses an unknown key with an error naming the ARN', async () => {
    const arn = `arn:aws:kms:us-east-1:${kms.account}:key/00000000-0000-0000-0000-000000000000`;
    const err = await failure(source().wrap(new Uint8Array(32), { type: 'kms', arn }));
    expect(err.code).toBe('CRYPTO');
    expect(err.message).toContain(arn);
    expect(err.message).toMatch(/does not exist/);

    const alias = `arn:aws:kms:us-east-1:${kms.account}:alias/nope`;
    const aliasErr = await failure(source().wrap(new Uint8Array(32), { type: 'kms', arn: alias }));
    expect(aliasErr.message).toContain(alias);
  });

  it('reports a denied or disabled key as CRYPTO with a hint', async () => {
    const key = kms.createKey();
    const ks = source();
    const entry = await ks.wrap(new Uint8Array(32), { type: 'kms', arn: key.arn });
    kms.denyAccess(key.arn, 'Decrypt');
    const denied = await failure(ks.unwrap(entry));
    expect(denied.code).toBe('CRYPTO');
    expect(denied.message).toContain(key.arn);
    expect(denied.hint).toContain('kms:Decrypt');

    const other = kms.createKey();
    const entry2 = await ks.wrap(new Uint8Array(32), { type: 'kms', arn: other.arn });
    kms.setKeyEnabled(other.arn, false);
    const disabled = await failure(ks.unwrap(entry2));
    expect(disabled.code).toBe('CRYPTO');
    expect(disabled.message).toMatch(/DisabledException/);
  });

  it('retries throttling and 5xx (the SDK does) and reports throttling once attempts run out', async () => {
    const key = kms.createKey();
    const ks = source();
    kms.calls.reset();
    kms.injectFault('throttling', 1, 'Encrypt');
    kms.injectFault('internal', 1, 'Encrypt');
    const entry = await ks.wrap(new Uint8Array(32), { type: 'kms', arn: key.arn });
    expect(kms.calls.of('Encrypt')).toBe(3);

    kms.injectFault('throttling', 1, 'Decrypt');
    const once = source({ maxAttempts: 1 });
    const err = await failure(once.unwrap(entry));
    expect(err.code).toBe('THROTTLED');
    expect(err.message).toContain(key.arn);
  });

  it('reports refused credentials as AUTH', async () => {
    const key = kms.createKey();
    const bad: AwsCredentialsProvider = () => Promise.resolve({ accessKeyId: 'AKIDBAD', secretAccessKey: 'x' });
    const err = await failure(source({ credentials: bad }).wrap(new Uint8Array(32), { type: 'kms', arn: key.arn }));
    expect(err.code).toBe('AUTH');
    expect(err.message).toContain(key.arn);
  });

  it("prefers the entry's aws_profile over the injected identity", async () => {
    const key = kms.createKey();
    const dir = mkdtempSync(join(tmpdir(), 'awscfg-'));
    try {
      writeFileSync(join(dir, 'credentials'), '[team]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n', {
        mode: 0o600,
      });
      writeFileSync(join(dir, 'config'), '', { mode: 0o600 });
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
      process.env.AWS_CONFIG_FILE = join(dir, 'config');
      const wrong: AwsCredentialsProvider = () => Promise.resolve({ accessKeyId: 'AKIDBAD', secretAccessKey: 'x' });
      const ks = source({ credentials: wrong });
      const entry = await ks.wrap(new Uint8Array(32), { type: 'kms', arn: key.arn, aws_profile: 'team' });
      expect(entry.aws_profile).toBe('team');
      expect(await ks.unwrap(entry)).toHaveLength(32);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('assumes the entry role on top of the base identity', async () => {
    const key = kms.createKey({ region: 'us-west-2' });
    const requests: AssumeRoleRequest[] = [];
    const ks = source({
      roleSessionName: 'sops@test',
      assumeRole: (request) => {
        requests.push(request);
        return Promise.resolve({ accessKeyId: 'AKIDROLE', secretAccessKey: 's', sessionToken: 't' });
      },
      credentials: () => Promise.resolve({ accessKeyId: 'AKIDBAD', secretAccessKey: 'x' }),
    });
    const role = 'arn:aws:iam::111122223333:role/sops';
    const entry = await ks.wrap(new Uint8Array(32), { type: 'kms', arn: key.arn, role });
    expect(entry.role).toBe(role);
    await ks.unwrap(entry);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ roleArn: role, region: 'us-west-2', sessionName: 'sops@test' });
  });

  it('honours AWS_ENDPOINT_URL_KMS', async () => {
    const key = kms.createKey();
    process.env.AWS_ENDPOINT_URL_KMS = kms.url;
    const ks = createAwsKmsKeySource({ credentials: GOOD });
    const entry = await ks.wrap(new Uint8Array(32), { type: 'kms', arn: key.arn });
    expect(await ks.unwrap(entry)).toHaveLength(32);
  });

  it('refuses a malformed ARN before any call', async () => {
    kms.calls.reset();
    const err = await failure(source().wrap(new Uint8Array(32), { type: 'kms', arn: 'alias/foo' }));
    expect(err.code).toBe('CONFIG');
    expect(kms.calls.total).toBe(0);
  });
});
