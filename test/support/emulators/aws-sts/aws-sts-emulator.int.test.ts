// The STS emulator against the official @aws-sdk/client-sts: AssumeRole's XML answer, trust by access key or
// role (chaining), AccessDenied / ValidationError / InvalidClientTokenId as the SDK parses them, the counter.
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type AwsStsEmulator } from './index';

describe('aws-sts emulator', () => {
  let sts: AwsStsEmulator;
  const clients: STSClient[] = [];
  const client = (accessKeyId: string, secretAccessKey = 'x', sessionToken?: string): STSClient => {
    const c = new STSClient({
      region: 'us-east-1',
      endpoint: sts.url,
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
      maxAttempts: 1,
    });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    sts = await start({ accessKeyIds: ['AKIDBASE', 'AKIDOTHER'] });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await sts.stop();
  });

  async function failure(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
    const e: unknown = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    if (!(e instanceof Error)) throw new Error('expected a rejection');
    return e;
  }

  it('AssumeRole returns session credentials, an assumed-role ARN and an expiration', async () => {
    const role = sts.createRole('Secrets', { trust: ['AKIDBASE'] });
    const before = sts.calls.of('AssumeRole');
    const out = await client('AKIDBASE').send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'tst' }));
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.SecretAccessKey).toBeTruthy();
    expect(out.Credentials?.SessionToken).toBeTruthy();
    expect(out.Credentials?.Expiration).toBeInstanceOf(Date);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${sts.account}:assumed-role/Secrets/tst`);
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{16}:tst$/);
    expect(sts.calls.of('AssumeRole')).toBe(before + 1);
    expect(sts.sessions.at(-1)).toEqual({
      roleArn: role.arn,
      sessionName: 'tst',
      callerAccessKeyId: 'AKIDBASE',
      accessKeyId: out.Credentials?.AccessKeyId,
    });
  });

  it('a role trusted by another role can be assumed with that role session (chaining)', async () => {
    const first = sts.createRole('First', { trust: ['AKIDBASE'] });
    const second = sts.createRole('Second', { trust: [first.arn] });
    const a = await client('AKIDBASE').send(new AssumeRoleCommand({ RoleArn: first.arn, RoleSessionName: 's1' }));
    const c = a.Credentials!;
    const chained = client(c.AccessKeyId!, c.SecretAccessKey!, c.SessionToken!);
    const who = await chained.send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:sts::${sts.account}:assumed-role/First/s1`);
    expect(who.Account).toBe(sts.account);
    const b = await chained.send(new AssumeRoleCommand({ RoleArn: second.arn, RoleSessionName: 's2' }));
    expect(b.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    // The base key itself is not trusted by the second role.
    const denied = await failure(
      client('AKIDBASE').send(new AssumeRoleCommand({ RoleArn: second.arn, RoleSessionName: 's3' })),
    );
    expect(denied.name).toBe('AccessDenied');
  });

  it('AccessDenied for an untrusted caller, an unknown role or a denied role, as the SDK parses it', async () => {
    const role = sts.createRole('Locked', { trust: ['AKIDBASE'] });
    const e = await failure(
      client('AKIDOTHER').send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'x1' })),
    );
    expect(e.name).toBe('AccessDenied');
    expect(e.message).toBe(
      `User: arn:aws:iam::${sts.account}:user/AKIDOTHER is not authorized to perform: sts:AssumeRole on resource: ${role.arn}`,
    );
    expect(e.$metadata?.httpStatusCode).toBe(403);
    const unknown = await failure(
      client('AKIDBASE').send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${sts.account}:role/Nope`, RoleSessionName: 'x2' }),
      ),
    );
    expect(unknown.name).toBe('AccessDenied');
    sts.denyAssume(role.arn);
    const denied = await failure(
      client('AKIDBASE').send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'x3' })),
    );
    expect(denied.name).toBe('AccessDenied');
  });

  it('ValidationError for a bad session name, InvalidClientTokenId for an unknown key', async () => {
    const role = sts.createRole('Valid');
    const bad = await failure(
      client('AKIDBASE').send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'has space' })),
    );
    expect(bad.name).toBe('ValidationError');
    expect(bad.$metadata?.httpStatusCode).toBe(400);
    const stranger = await failure(
      client('AKIDSTRANGER').send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'ok' })),
    );
    expect(stranger.name).toBe('InvalidClientTokenId');
  });
});
