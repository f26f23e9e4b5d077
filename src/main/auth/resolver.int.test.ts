// The identity resolver through the real @aws-sdk/client-sts against the loopback STS emulator: an injected
// endpoint and AWS_ENDPOINT_URL_STS, a named profile from a shared credentials file (aws/user profile and an
// aws/profile provider), a two-role chain, one AssumeRole per identity, and AccessDenied as an AUTH error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors';
import { start, type AwsStsEmulator } from '../../../test/support/emulators/aws-sts';
import { IdentityResolver } from './resolver';

const ENV_KEYS = ['AWS_ENDPOINT_URL_STS', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_PROFILE'] as const;
const saved = new Map(ENV_KEYS.map((k) => [k, process.env[k]]));
const dir = mkdtempSync(join(tmpdir(), 'atmos-auth-int-'));
const PROFILE_SECRET = 'profile-secret-4b7e';

let sts: AwsStsEmulator;
let first: string;
let second: string;
let locked: string;

beforeAll(async () => {
  sts = await start({ accessKeyIds: ['AKIDSTATIC', 'AKIDPROFILE'] });
  first = sts.createRole('First', { trust: ['AKIDSTATIC', 'AKIDPROFILE'] }).arn;
  second = sts.createRole('Second', { trust: [first] }).arn;
  locked = sts.createRole('Locked', { trust: [] }).arn;
  writeFileSync(
    join(dir, 'credentials'),
    `[ops]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = ${PROFILE_SECRET}\n`,
  );
  writeFileSync(join(dir, 'config'), '[profile ops]\nregion = us-east-1\n');
});
afterAll(async () => {
  await sts.stop();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const [k, v] of saved) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

function auth(): unknown {
  return {
    providers: { ops: { kind: 'aws/profile', profile: 'ops', region: 'us-east-1' } },
    identities: {
      static: { kind: 'aws/user', credentials: { access_key_id: 'AKIDSTATIC', secret_access_key: 'static-secret' } },
      'profile-user': { kind: 'aws/user', profile: 'ops' },
      first: { kind: 'aws/assume-role', via: { identity: 'static' }, principal: { assume_role: first } },
      second: { kind: 'aws/assume-role', via: { identity: 'first' }, principal: { assume_role: second } },
      'from-profile': { kind: 'aws/assume-role', via: { provider: 'ops' }, principal: { assume_role: first } },
      'from-profile-user': {
        kind: 'aws/assume-role',
        via: { identity: 'profile-user' },
        principal: { assume_role: first },
      },
      locked: { kind: 'aws/assume-role', via: { identity: 'static' }, principal: { assume_role: locked } },
    },
  };
}

describe('IdentityResolver with @aws-sdk/client-sts (emulator)', () => {
  it('chains two roles through the injected endpoint, one AssumeRole per identity', async () => {
    const r = new IdentityResolver({ auth: auth(), stsEndpoint: sts.url, env: {} });
    const before = sts.sessions.length;
    const creds = await r.awsCredentials('second')();
    await r.awsCredentials('second')();
    await r.awsCredentials('first')();
    const issued = sts.sessions.slice(before);
    expect(issued.map((s) => [s.roleArn, s.callerAccessKeyId])).toEqual([
      [first, 'AKIDSTATIC'],
      [second, issued[0]?.accessKeyId],
    ]);
    expect(creds.accessKeyId).toBe(issued[1]?.accessKeyId);
    expect(creds.sessionToken).toBeTruthy();
    expect(creds.expiration).toBeInstanceOf(Date);
  });

  it('honours AWS_ENDPOINT_URL_STS, and reads named profiles from the shared files', async () => {
    process.env['AWS_ENDPOINT_URL_STS'] = sts.url;
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(dir, 'credentials');
    process.env['AWS_CONFIG_FILE'] = join(dir, 'config');
    delete process.env['AWS_PROFILE'];
    const r = new IdentityResolver({ auth: auth(), env: {} });
    const before = sts.sessions.length;
    await r.awsCredentials('from-profile')();
    await r.awsCredentials('from-profile-user')();
    expect(sts.sessions.slice(before).map((s) => s.callerAccessKeyId)).toEqual(['AKIDPROFILE', 'AKIDPROFILE']);
    await expect(r.awsCredentials('profile-user')()).resolves.toMatchObject({ accessKeyId: 'AKIDPROFILE' });
  });

  it("STS's AccessDenied is an AUTH error naming the role and identity, without credentials", async () => {
    const r = new IdentityResolver({ auth: auth(), stsEndpoint: sts.url, env: {} });
    const e: unknown = await r
      .awsCredentials('locked')()
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(isAppError(e)).toBe(true);
    if (!isAppError(e)) return;
    expect(e.code).toBe('AUTH');
    expect(e.message).toContain(`Could not assume role ${locked} for auth identity "locked": AccessDenied`);
    expect(e.message).toContain('is not authorized to perform: sts:AssumeRole');
    expect(`${e.message} ${e.hint ?? ''}`).not.toContain('static-secret');
  });
});
