// The SSM emulator against the raw @aws-sdk/client-ssm: the public API's shapes and errors, pagination,
// version retention, SecureString without decryption, naming rules, faults and call counts.
import {
  DeleteParameterCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type AwsSsmEmulator } from './index';

describe('aws-ssm emulator', () => {
  let ssm: AwsSsmEmulator;
  let client: SSMClient;

  beforeAll(async () => {
    ssm = await start({ accessKeyIds: ['test'] });
    client = new SSMClient({
      region: 'us-east-1',
      endpoint: ssm.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await ssm.stop();
  });

  it('puts, overwrites and gets a SecureString; without decryption the value is not the plaintext', async () => {
    const put = await client.send(
      new PutParameterCommand({ Name: '/emu/a', Value: 'one', Type: 'SecureString', Overwrite: true }),
    );
    expect(put).toMatchObject({ Version: 1, Tier: 'Standard' });
    await expect(
      client.send(new PutParameterCommand({ Name: '/emu/a', Value: 'two', Type: 'SecureString' })),
    ).rejects.toMatchObject({ name: 'ParameterAlreadyExists' });
    await client.send(new PutParameterCommand({ Name: '/emu/a', Value: 'two', Overwrite: true }));
    const got = await client.send(new GetParameterCommand({ Name: '/emu/a', WithDecryption: true }));
    expect(got.Parameter).toMatchObject({ Name: '/emu/a', Value: 'two', Version: 2, Type: 'SecureString' });
    expect(got.Parameter?.LastModifiedDate).toBeInstanceOf(Date);
    const raw = await client.send(new GetParameterCommand({ Name: '/emu/a' }));
    expect(raw.Parameter?.Value).not.toBe('two');
    const v1 = await client.send(new GetParameterCommand({ Name: '/emu/a:1', WithDecryption: true }));
    expect(v1.Parameter).toMatchObject({ Value: 'one', Selector: ':1' });
    await expect(client.send(new GetParameterCommand({ Name: '/emu/a:9' }))).rejects.toMatchObject({
      name: 'ParameterVersionNotFound',
    });
  });

  it('answers missing parameters as the service does', async () => {
    await expect(client.send(new GetParameterCommand({ Name: '/emu/none' }))).rejects.toMatchObject({
      name: 'ParameterNotFound',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(client.send(new DeleteParameterCommand({ Name: '/emu/none' }))).rejects.toMatchObject({
      name: 'ParameterNotFound',
    });
    const batch = await client.send(new GetParametersCommand({ Names: ['/emu/a', '/emu/none'], WithDecryption: true }));
    expect(batch.Parameters?.map((p) => p.Name)).toEqual(['/emu/a']);
    expect(batch.InvalidParameters).toEqual(['/emu/none']);
    const eleven = Array.from({ length: 11 }, (_, i) => `/emu/n${i}`);
    await expect(client.send(new GetParametersCommand({ Names: eleven }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('refuses what the service refuses: type on create, empty and oversize values, bad names, tags with overwrite', async () => {
    await expect(client.send(new PutParameterCommand({ Name: '/emu/notype', Value: 'x' }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      client.send(new PutParameterCommand({ Name: '/emu/empty', Value: '', Type: 'String' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      client.send(new PutParameterCommand({ Name: '/emu/big', Value: 'x'.repeat(4097), Type: 'String' })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('4096') });
    await client.send(
      new PutParameterCommand({ Name: '/emu/big', Value: 'x'.repeat(8192), Type: 'String', Tier: 'Advanced' }),
    );
    for (const Name of ['/emu/has space', 'no/leading', '/ssm/x', '/emu//x']) {
      await expect(client.send(new PutParameterCommand({ Name, Value: 'x', Type: 'String' }))).rejects.toMatchObject({
        name: 'ValidationException',
      });
    }
    await expect(
      client.send(new PutParameterCommand({ Name: '/aws/x', Value: 'x', Type: 'String' })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const deep = `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`;
    await expect(
      client.send(new PutParameterCommand({ Name: deep, Value: 'x', Type: 'String' })),
    ).rejects.toMatchObject({
      name: 'HierarchyLevelLimitExceededException',
    });
    await expect(
      client.send(
        new PutParameterCommand({ Name: '/emu/a', Value: 'x', Overwrite: true, Tags: [{ Key: 'k', Value: 'v' }] }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('keeps 100 versions, history oldest first in pages of at most 50', async () => {
    for (let i = 1; i <= 105; i++) {
      await client.send(new PutParameterCommand({ Name: '/emu/h', Value: `v${i}`, Type: 'String', Overwrite: true }));
    }
    expect(ssm.parameter('/emu/h')).toMatchObject({ version: 105, versionsKept: 100 });
    const first = await client.send(new GetParameterHistoryCommand({ Name: '/emu/h', WithDecryption: true }));
    expect(first.Parameters).toHaveLength(50);
    expect(first.Parameters?.[0]).toMatchObject({ Version: 6, Value: 'v6' });
    const second = await client.send(new GetParameterHistoryCommand({ Name: '/emu/h', NextToken: first.NextToken }));
    expect(second.Parameters?.at(-1)).toMatchObject({ Version: 105 });
    expect(second.NextToken).toBeUndefined();
    await expect(client.send(new GetParameterHistoryCommand({ Name: '/emu/h', MaxResults: 51 }))).rejects.toMatchObject(
      { name: 'ValidationException' },
    );
  });

  it('lists by path and describes by name, paginated', async () => {
    for (const n of ['/tree/a', '/tree/b', '/tree/sub/c']) {
      await client.send(new PutParameterCommand({ Name: n, Value: 'x', Type: 'String', Overwrite: true }));
    }
    const one = await client.send(new GetParametersByPathCommand({ Path: '/tree' }));
    expect(one.Parameters?.map((p) => p.Name)).toEqual(['/tree/a', '/tree/b']);
    const all = await client.send(new GetParametersByPathCommand({ Path: '/tree', Recursive: true, MaxResults: 2 }));
    expect(all.Parameters).toHaveLength(2);
    const rest = await client.send(
      new GetParametersByPathCommand({ Path: '/tree', Recursive: true, MaxResults: 2, NextToken: all.NextToken }),
    );
    expect(rest.Parameters?.map((p) => p.Name)).toEqual(['/tree/sub/c']);
    const described = await client.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/tree/s'] }] }),
    );
    expect(described.Parameters?.map((p) => p.Name)).toEqual(['/tree/sub/c']);
    expect(described.Parameters?.[0]).not.toHaveProperty('Value');
  });

  it('refuses unknown access keys, injects faults and counts calls by operation', async () => {
    const stranger = new SSMClient({
      region: 'us-east-1',
      endpoint: ssm.url,
      credentials: { accessKeyId: 'other', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await expect(stranger.send(new GetParameterCommand({ Name: '/emu/a' }))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
    stranger.destroy();
    ssm.calls.reset();
    ssm.injectFault('throttling', 1, 'GetParameter');
    await expect(client.send(new GetParameterCommand({ Name: '/emu/a' }))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    ssm.injectFault('internal');
    await expect(client.send(new GetParameterCommand({ Name: '/emu/a' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 500 },
    });
    ssm.denyAccess('GetParameter');
    await expect(client.send(new GetParameterCommand({ Name: '/emu/a' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    ssm.allowAccess();
    ssm.injectFault('timeout');
    await expect(
      client.send(new GetParameterCommand({ Name: '/emu/a' }), { abortSignal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    expect(ssm.calls.of('GetParameter')).toBe(4);
    expect(ssm.calls.total).toBe(4);
  });
});
