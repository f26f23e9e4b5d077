// Auth identities -> credentials without a network: every supported kind, chaining via identities and providers,
// caching per identity, and every error (unknown, malformed, circular, wrong cloud, login-only kinds, keychain).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AppError, isAppError } from '../../shared/errors';
import { MemoryKeychain } from '../keychain/memory-keychain';
import { awsUserAccount, memoizedProvider, type AwsCredentials, type StsAssumeRequest } from './aws-credentials';
import { identityConfig, parseAuthSection, providerConfig } from './config';
import { IdentityResolver, type IdentityResolverOptions } from './resolver';

const dir = mkdtempSync(join(tmpdir(), 'atmos-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'sa.json'), '{}');

const AUTH = parse(`
providers:
  ops-profile: {kind: aws/profile, profile: ops, region: eu-west-1}
  base-role: {kind: aws/assume-role, principal: {assume_role: "arn:aws:iam::111122223333:role/Base"}}
  sso: {kind: aws/iam-identity-center, region: us-east-1, start_url: "https://x.awsapps.com/start"}
  adc: {kind: gcp/adc}
  sa-key: {kind: gcp/service-account-key, key_file: sa.json}
  weird: {kind: acme/magic}
identities:
  static-user:
    kind: aws/user
    credentials: {access_key_id: AKIDSTATIC, secret_access_key: s3cr3t-static, region: us-west-2}
  keychain-user: {kind: aws/user}
  other-service-user: {kind: aws/user, credentials: {keychain_service: elsewhere}}
  profile-user: {kind: aws/user, profile: dev}
  half-user: {kind: aws/user, credentials: {access_key_id: AKIDHALF}}
  role-default-chain:
    kind: aws/assume-role
    principal: {assume_role: "arn:aws:iam::111122223333:role/Plain"}
  role-via-user:
    kind: aws/assume-role
    via: {identity: static-user}
    principal: {assume_role: "arn:aws:iam::111122223333:role/Secrets", session_name: my-session, region: eu-central-1}
  role-via-role:
    kind: aws/assume-role
    via: {identity: role-via-user}
    principal: {assume_role: "arn:aws:iam::999999999999:role/Prod"}
  role-via-profile:
    kind: aws/assume-role
    via: {provider: ops-profile}
    principal: {assume_role: "arn:aws:iam::111122223333:role/FromProfile"}
  role-via-provider-role:
    kind: aws/assume-role
    via: {provider: base-role}
    principal: {assume_role: "arn:aws:iam::111122223333:role/Second"}
  role-no-arn: {kind: aws/assume-role, principal: {}}
  role-bad-via: {kind: aws/assume-role, via: {identity: a, provider: b}, principal: {assume_role: "arn:aws:iam::1:role/x"}}
  loop-a: {kind: aws/assume-role, via: {identity: loop-b}, principal: {assume_role: "arn:aws:iam::111122223333:role/A"}}
  loop-b: {kind: aws/assume-role, via: {identity: loop-a}, principal: {assume_role: "arn:aws:iam::111122223333:role/B"}}
  role-via-sso: {kind: aws/assume-role, via: {provider: sso}, principal: {assume_role: "arn:aws:iam::111122223333:role/S"}}
  role-via-gcp: {kind: aws/assume-role, via: {provider: adc}, principal: {assume_role: "arn:aws:iam::111122223333:role/G"}}
  role-via-missing: {kind: aws/assume-role, via: {provider: nope}, principal: {assume_role: "arn:aws:iam::111122223333:role/M"}}
  permset: {kind: aws/permission-set, via: {provider: sso}, principal: {name: Admin, account: {name: "123"}}}
  gcp-key: {kind: gcp/service-account, credentials: {key_file: sa.json}}
  gcp-adc: {kind: gcp/service-account, via: {provider: adc}}
  gcp-via-key-provider: {kind: gcp/service-account, via: {provider: sa-key}}
  gcp-via-identity: {kind: gcp/service-account, via: {identity: gcp-key}}
  gcp-plain: {kind: gcp/service-account}
  gcp-missing-file: {kind: gcp/service-account, credentials: {key_file: nope.json}}
  gcp-impersonate: {kind: gcp/service-account, principal: {service_account_email: "sa@p.iam.gserviceaccount.com"}}
  gcp-via-aws: {kind: gcp/service-account, via: {provider: ops-profile}}
  odd: {kind: acme/magic}
  no-kind: {principal: {}}
`) as unknown;

interface Harness {
  readonly resolver: IdentityResolver;
  readonly assumed: StsAssumeRequest[];
  readonly callers: (string | undefined)[];
  readonly profiles: string[];
  readonly keychains: Map<string, MemoryKeychain>;
}

function harness(extra: Partial<IdentityResolverOptions> = {}): Harness {
  const assumed: StsAssumeRequest[] = [];
  const callers: (string | undefined)[] = [];
  const profiles: string[] = [];
  const keychains = new Map<string, MemoryKeychain>();
  let n = 0;
  const resolver = new IdentityResolver({
    auth: AUTH,
    basePath: dir,
    env: {},
    keychain: (service = 'atmos-secrets') => {
      let k = keychains.get(service);
      if (!k) keychains.set(service, (k = new MemoryKeychain(service)));
      return k;
    },
    assume: async (request) => {
      // The caller's credentials first, as the SDK signs with them before STS answers.
      const caller = request.credentials ? (await request.credentials()).accessKeyId : undefined;
      assumed.push(request);
      callers.push(caller);
      n += 1;
      return { accessKeyId: `ASIA${n}`, secretAccessKey: 'session-secret', sessionToken: 'token' };
    },
    profileProvider: (profile, region) => {
      profiles.push(`${profile}@${region}`);
      return () => Promise.resolve({ accessKeyId: `AKIDPROFILE-${profile}`, secretAccessKey: 'profile-secret' });
    },
    ...extra,
  });
  return { resolver, assumed, callers, profiles, keychains };
}

function errorOf(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

async function rejectionOf(p: Promise<unknown>): Promise<AppError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isAppError(e)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

describe('auth section parsing', () => {
  it('reads providers and identities, and an absent section as empty', () => {
    const s = parseAuthSection(AUTH);
    expect(Object.keys(s.identities)).toContain('role-via-user');
    expect(parseAuthSection(undefined)).toEqual({ providers: {}, identities: {} });
    expect(parseAuthSection(null)).toEqual({ providers: {}, identities: {} });
  });

  it('refuses a section that is not a map of maps', () => {
    const e = errorOf(() => parseAuthSection({ identities: ['a'] }));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toContain('auth.identities');
  });

  it('validates each kind', () => {
    const s = parseAuthSection(AUTH);
    expect(identityConfig(s, 'role-via-user')).toMatchObject({
      kind: 'aws/assume-role',
      via: { identity: 'static-user' },
      principal: { assume_role: 'arn:aws:iam::111122223333:role/Secrets', session_name: 'my-session' },
    });
    expect(providerConfig(s, 'ops-profile')).toMatchObject({ kind: 'aws/profile', profile: 'ops' });
    expect(providerConfig(s, 'sa-key')).toMatchObject({ kind: 'gcp/service-account-key', key_file: 'sa.json' });
    expect(errorOf(() => identityConfig(s, 'role-no-arn')).message).toContain(
      'auth.identities.role-no-arn.principal.assume_role',
    );
    expect(errorOf(() => identityConfig(s, 'role-bad-via')).message).toContain('exactly one of via.identity');
    expect(errorOf(() => identityConfig(s, 'odd'))).toMatchObject({ code: 'CONFIG' });
    expect(errorOf(() => identityConfig(s, 'odd')).message).toContain('unknown kind "acme/magic"');
    expect(errorOf(() => identityConfig(s, 'no-kind')).message).toContain('no kind');
    expect(errorOf(() => providerConfig(s, 'weird')).message).toContain('unknown kind "acme/magic"');
    expect(errorOf(() => providerConfig(s, 'absent')).message).toContain('"absent" is not configured');
  });
});

describe('AWS credentials of an identity', () => {
  it('aws/user with inline keys', async () => {
    const { resolver } = harness();
    await expect(resolver.awsCredentials('static-user')()).resolves.toMatchObject({ accessKeyId: 'AKIDSTATIC' });
  });

  it('aws/user with a profile', async () => {
    const { resolver, profiles } = harness();
    await expect(resolver.awsCredentials('profile-user')()).resolves.toMatchObject({
      accessKeyId: 'AKIDPROFILE-dev',
    });
    expect(profiles).toEqual(['dev@us-east-1']);
  });

  it('aws/user with keys in the keychain (default service, or the one named)', async () => {
    const { resolver, keychains } = harness();
    const missing = await rejectionOf(resolver.awsCredentials('keychain-user')());
    expect(missing.code).toBe('AUTH');
    expect(missing.message).toContain('No AWS keys are stored for aws/user identity "keychain-user"');
    expect(missing.hint).toContain(awsUserAccount('keychain-user'));

    const kc = keychains.get('atmos-secrets')!;
    await kc.set(awsUserAccount('keychain-user'), 'not json s3cr3t');
    const bad = await rejectionOf(resolver.awsCredentials('keychain-user')());
    expect(bad.code).toBe('AUTH');
    expect(bad.message).not.toContain('s3cr3t');

    await kc.set(
      awsUserAccount('keychain-user'),
      JSON.stringify({ access_key_id: 'AKIDKC', secret_access_key: 'kc-secret' }),
    );
    await expect(resolver.awsCredentials('keychain-user')()).resolves.toEqual({
      accessKeyId: 'AKIDKC',
      secretAccessKey: 'kc-secret',
    });

    const elsewhere = harness();
    await elsewhere.resolver
      .awsCredentials('other-service-user')()
      .catch(() => undefined);
    expect([...elsewhere.keychains.keys()]).toEqual(['elsewhere']);
  });

  it('aws/user in the keychain without a keychain is an AUTH error', () => {
    const { resolver } = harness({ keychain: undefined });
    expect(errorOf(() => resolver.awsCredentials('keychain-user')).code).toBe('AUTH');
  });

  it('aws/user with only one key is a CONFIG error that shows no key', () => {
    const e = errorOf(() => harness().resolver.awsCredentials('half-user'));
    expect(e.code).toBe('CONFIG');
    expect(e.message).not.toContain('AKIDHALF');
  });

  it('aws/assume-role via an identity: the role, session name and region, called as that identity', async () => {
    const { resolver, assumed, callers } = harness();
    const creds = await resolver.awsCredentials('role-via-user')();
    expect(creds.accessKeyId).toBe('ASIA1');
    expect(assumed[0]).toMatchObject({
      roleArn: 'arn:aws:iam::111122223333:role/Secrets',
      sessionName: 'my-session',
      region: 'eu-central-1',
    });
    expect(callers).toEqual(['AKIDSTATIC']);
  });

  it('aws/assume-role chained through another assumed role', async () => {
    const { resolver, assumed, callers } = harness();
    await expect(resolver.awsCredentials('role-via-role')()).resolves.toMatchObject({ accessKeyId: 'ASIA2' });
    expect(assumed.map((a) => a.roleArn)).toEqual([
      'arn:aws:iam::111122223333:role/Secrets',
      'arn:aws:iam::999999999999:role/Prod',
    ]);
    expect(callers).toEqual(['AKIDSTATIC', 'ASIA1']);
    // The default session name is derived from the identity; the region from the environment, else us-east-1.
    expect(assumed[1]).toMatchObject({ sessionName: 'atmos-secrets-role-via-role', region: 'us-east-1' });
  });

  it('aws/assume-role from the default chain, a profile provider, or an assume-role provider', async () => {
    const h = harness({ env: { AWS_REGION: 'ap-south-1' } });
    await h.resolver.awsCredentials('role-default-chain')();
    await h.resolver.awsCredentials('role-via-profile')();
    await h.resolver.awsCredentials('role-via-provider-role')();
    expect(h.assumed[0]?.credentials).toBeUndefined();
    expect(h.assumed[0]?.region).toBe('ap-south-1');
    expect(h.profiles).toEqual(['ops@eu-west-1']);
    expect(h.callers).toEqual([undefined, 'AKIDPROFILE-ops', undefined, 'ASIA3']);
    expect(h.assumed.map((a) => a.roleArn)).toEqual([
      'arn:aws:iam::111122223333:role/Plain',
      'arn:aws:iam::111122223333:role/FromProfile',
      'arn:aws:iam::111122223333:role/Base',
      'arn:aws:iam::111122223333:role/Second',
    ]);
  });

  it('caches per identity: one AssumeRole per identity and run, also as a link of a chain', async () => {
    const { resolver, assumed } = harness();
    expect(resolver.awsCredentials('role-via-user')).toBe(resolver.awsCredentials('role-via-user'));
    await resolver.awsCredentials('role-via-user')();
    await resolver.awsCredentials('role-via-user')();
    await resolver.awsCredentials('role-via-role')();
    expect(assumed.map((a) => a.roleArn)).toEqual([
      'arn:aws:iam::111122223333:role/Secrets',
      'arn:aws:iam::999999999999:role/Prod',
    ]);
  });

  it('a refused AssumeRole is an AUTH error naming the role and identity, and is not cached', async () => {
    let fail = true;
    const { resolver } = harness({
      assume: () =>
        fail
          ? Promise.reject(Object.assign(new Error('User: x is not authorized'), { name: 'AccessDenied' }))
          : Promise.resolve({ accessKeyId: 'ASIAOK', secretAccessKey: 's' }),
    });
    const e = await rejectionOf(resolver.awsCredentials('role-default-chain')());
    expect(e.code).toBe('AUTH');
    expect(e.message).toContain('arn:aws:iam::111122223333:role/Plain');
    expect(e.message).toContain('"role-default-chain"');
    expect(e.message).toContain('AccessDenied');
    fail = false;
    await expect(resolver.awsCredentials('role-default-chain')()).resolves.toMatchObject({ accessKeyId: 'ASIAOK' });
  });

  it('an unknown identity is a CONFIG error listing the configured ones', () => {
    const e = errorOf(() => harness().resolver.awsCredentials('nobody'));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toContain('"nobody" is not configured');
    expect(e.hint).toContain('role-via-user');
    expect(e.hint).toContain('static-user');
    const empty = errorOf(() => new IdentityResolver({ auth: undefined }).awsCredentials('x'));
    expect(empty.hint).toContain('no auth.identities');
  });

  it('refuses aws/permission-set and SSO providers with AUTH, saying what to use instead', () => {
    const r = harness().resolver;
    for (const name of ['permset', 'role-via-sso']) {
      const e = errorOf(() => r.awsCredentials(name));
      expect(e.code).toBe('AUTH');
      expect(e.message).toContain('not supported in this build');
      expect(e.hint).toContain('aws/profile');
    }
  });

  it('CONFIG errors: circular chains, a missing provider, a GCP identity or provider for AWS KMS', () => {
    const r = harness().resolver;
    expect(errorOf(() => r.awsCredentials('loop-a')).message).toContain(
      'identity loop-a -> identity loop-b -> identity loop-a',
    );
    expect(errorOf(() => r.awsCredentials('role-via-missing')).message).toContain('provider "nope" is not configured');
    const gcp = errorOf(() => r.awsCredentials('gcp-key', 'AWS KMS key arn:aws:kms:x'));
    expect(gcp.code).toBe('CONFIG');
    expect(gcp.message).toBe(
      'auth identity "gcp-key" is a GCP identity (gcp/service-account), but AWS KMS key arn:aws:kms:x needs AWS credentials',
    );
    expect(errorOf(() => r.awsCredentials('role-via-gcp')).message).toContain('auth provider "adc" is a GCP provider');
  });
});

describe('GCP options of an identity', () => {
  it('a key file (relative to the base path), via a key provider or identity, or ADC', () => {
    const r = harness().resolver;
    expect(r.gcpOptions('gcp-key')).toEqual({ keyFilename: join(dir, 'sa.json') });
    expect(r.gcpOptions('gcp-via-key-provider')).toEqual({ keyFilename: join(dir, 'sa.json') });
    expect(r.gcpOptions('gcp-via-identity')).toEqual({ keyFilename: join(dir, 'sa.json') });
    expect(r.gcpOptions('gcp-adc')).toEqual({});
    expect(r.gcpOptions('gcp-plain')).toEqual({});
  });

  it('errors: a missing key file, impersonation, an AWS identity or provider, unknown', () => {
    const r = harness().resolver;
    expect(errorOf(() => r.gcpOptions('gcp-missing-file'))).toMatchObject({ code: 'CONFIG' });
    expect(errorOf(() => r.gcpOptions('gcp-missing-file')).message).toContain(join(dir, 'nope.json'));
    const imp = errorOf(() => r.gcpOptions('gcp-impersonate'));
    expect(imp.code).toBe('AUTH');
    expect(imp.message).toContain('not supported in this build');
    expect(errorOf(() => r.gcpOptions('role-via-user', 'GCP KMS key k')).message).toBe(
      'auth identity "role-via-user" is an AWS identity (aws/assume-role), but GCP KMS key k needs GCP credentials',
    );
    expect(errorOf(() => r.gcpOptions('gcp-via-aws')).message).toContain(
      'auth provider "ops-profile" is an AWS provider',
    );
    expect(errorOf(() => r.gcpOptions('nobody')).code).toBe('CONFIG');
  });
});

describe('memoizedProvider', () => {
  it('refetches only when the credentials are within five minutes of expiry', async () => {
    let clock = new Date('2026-01-01T00:00:00Z');
    let fetched = 0;
    const p = memoizedProvider(
      async (): Promise<AwsCredentials> => {
        fetched += 1;
        return { accessKeyId: `K${fetched}`, secretAccessKey: 's', expiration: new Date('2026-01-01T01:00:00Z') };
      },
      () => clock,
    );
    expect((await p()).accessKeyId).toBe('K1');
    expect((await p()).accessKeyId).toBe('K1');
    clock = new Date('2026-01-01T00:56:00Z');
    expect((await p()).accessKeyId).toBe('K2');
  });

  it('rethrows the AppError of a failed fetch', async () => {
    const p = memoizedProvider(
      () => Promise.reject(new AppError('AUTH', 'no')),
      () => new Date(),
    );
    expect((await rejectionOf(p())).message).toBe('no');
  });
});
