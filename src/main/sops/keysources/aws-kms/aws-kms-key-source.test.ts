// Unit tests for the AWS KMS key source's pure parts: ARN parsing, error mapping, role session names and caching,
// and identity resolution (which credentials reach which client), with a fake client factory.
import { describe, expect, it } from 'vitest';
import {
  type AwsKmsClientConfig,
  type KmsApi,
  assumedRoleProvider,
  createAwsKmsKeySource,
  mapAwsKmsError,
  parseKmsArn,
  sopsSessionName,
} from './index';

const ARN = 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function sdkError(name: string, message = '', status = 400, attempts = 1): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, attempts } });
}

describe('parseKmsArn', () => {
  it('takes the region from key and alias ARNs, in any partition', () => {
    expect(parseKmsArn(` ${ARN} `)).toMatchObject({
      arn: ARN,
      region: 'eu-central-1',
      account: '111122223333',
      resource: 'key',
    });
    expect(parseKmsArn('arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/sops').region).toBe('us-gov-west-1');
  });
  it('refuses what is not a KMS ARN', () => {
    for (const bad of ['alias/sops', 'arn:aws:s3:::bucket', 'arn:aws:kms:us-east-1:123:key/x']) {
      expect(() => parseKmsArn(bad)).toThrow(/not an AWS KMS key ARN/);
    }
  });
});

describe('mapAwsKmsError', () => {
  it.each([
    ['InvalidCiphertextException', 'CRYPTO'],
    ['IncorrectKeyException', 'CRYPTO'],
    ['NotFoundException', 'CRYPTO'],
    ['AccessDeniedException', 'CRYPTO'],
    ['DisabledException', 'CRYPTO'],
    ['KMSInvalidStateException', 'CRYPTO'],
    ['UnrecognizedClientException', 'AUTH'],
    ['ExpiredTokenException', 'AUTH'],
    ['CredentialsProviderError', 'AUTH'],
    ['ThrottlingException', 'THROTTLED'],
    ['KMSInternalException', 'BACKEND'],
  ])('maps %s to %s and names the ARN', (name, code) => {
    const e = mapAwsKmsError(sdkError(name, 'msg'), ARN, 'unwrap');
    expect(e.code).toBe(code);
    expect(e.message).toContain(ARN);
  });
  it('says how many attempts were made', () => {
    expect(mapAwsKmsError(sdkError('ThrottlingException', '', 400, 3), ARN, 'wrap').message).toMatch(
      /after 3 attempts/,
    );
  });
  it('reports a network failure as BACKEND', () => {
    const e = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(mapAwsKmsError(e, ARN, 'wrap')).toMatchObject({ code: 'BACKEND' });
  });
});

describe('role sessions', () => {
  it('names the session sops@<host> with only the characters STS allows', () => {
    expect(sopsSessionName('my host_1.example')).toBe('sops@myhost1.example');
  });
  it('assumes once and again only near expiry', async () => {
    let calls = 0;
    let clock = new Date('2026-01-01T00:00:00Z');
    const provider = assumedRoleProvider(
      () => {
        calls += 1;
        return Promise.resolve({
          accessKeyId: `AK${calls}`,
          secretAccessKey: 's',
          expiration: new Date('2026-01-01T01:00:00Z'),
        });
      },
      { roleArn: 'arn:aws:iam::1:role/r', sessionName: 's', region: 'us-east-1' },
      () => clock,
    );
    expect((await provider()).accessKeyId).toBe('AK1');
    expect((await provider()).accessKeyId).toBe('AK1');
    clock = new Date('2026-01-01T00:58:00Z');
    expect((await provider()).accessKeyId).toBe('AK2');
  });
  it('reports a refused AssumeRole as AUTH naming the role', async () => {
    const provider = assumedRoleProvider(
      () => Promise.reject(sdkError('AccessDenied', 'not authorized to perform sts:AssumeRole')),
      { roleArn: 'arn:aws:iam::1:role/r', sessionName: 's', region: 'us-east-1' },
      () => new Date(),
    );
    await expect(provider()).rejects.toMatchObject({
      code: 'AUTH',
      message: expect.stringContaining('arn:aws:iam::1:role/r'),
    });
  });
});

describe('identity resolution', () => {
  function capture(): { configs: AwsKmsClientConfig[]; factory: (c: AwsKmsClientConfig) => KmsApi } {
    const configs: AwsKmsClientConfig[] = [];
    return {
      configs,
      factory: (c) => {
        configs.push(c);
        // KMSClient.send is heavily overloaded; this fake only ever rejects, so its shape is all that matters.
        return { send: () => Promise.reject(sdkError('NotFoundException')) } as unknown as KmsApi;
      },
    };
  }
  const injected = () => Promise.resolve({ accessKeyId: 'AKINJ', secretAccessKey: 's' });

  it('uses the entry profile over the injected identity, else the injected identity, else the default chain', async () => {
    const { configs, factory } = capture();
    const ks = createAwsKmsKeySource({ clientFactory: factory, credentials: injected });
    await ks.wrap(new Uint8Array(32), { type: 'kms', arn: ARN, aws_profile: 'team' }).catch(() => undefined);
    await ks.wrap(new Uint8Array(32), { type: 'kms', arn: ARN }).catch(() => undefined);
    expect(configs[0]).toEqual({ region: 'eu-central-1', profile: 'team' });
    expect(configs[1]).toEqual({ region: 'eu-central-1', credentials: injected });

    const plain = capture();
    await createAwsKmsKeySource({ clientFactory: plain.factory })
      .wrap(new Uint8Array(32), { type: 'kms', arn: ARN })
      .catch(() => undefined);
    expect(plain.configs[0]).toEqual({ region: 'eu-central-1' });
  });

  it('reuses one client per region and identity', async () => {
    const { configs, factory } = capture();
    const ks = createAwsKmsKeySource({ clientFactory: factory });
    for (let i = 0; i < 3; i += 1) await ks.wrap(new Uint8Array(32), { type: 'kms', arn: ARN }).catch(() => undefined);
    expect(configs).toHaveLength(1);
  });

  it('never puts the data key into an error', async () => {
    const { factory } = capture();
    const key = new Uint8Array(32).fill(0xab);
    const err: unknown = await createAwsKmsKeySource({ clientFactory: factory })
      .wrap(key, { type: 'kms', arn: ARN })
      .catch((e: unknown) => e);
    const text = JSON.stringify({ m: (err as Error).message, h: (err as { hint?: string }).hint });
    expect(text).not.toContain(Buffer.from(key).toString('base64'));
    expect(text).not.toContain(Buffer.from(key).toString('hex'));
  });
});
