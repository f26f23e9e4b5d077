// The Secrets Manager emulator against the raw @aws-sdk/client-secrets-manager: versions and stages, the
// ClientRequestToken, soft delete with its recovery window, batch reads, pagination, naming and size rules,
// faults and call counts.
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type AwsAsmEmulator } from './index';

describe('aws-asm emulator', () => {
  let asm: AwsAsmEmulator;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    asm = await start({ accessKeyIds: ['test'] });
    client = new SecretsManagerClient({
      region: 'us-east-1',
      endpoint: asm.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await asm.stop();
  });

  it('creates, then puts new versions: AWSCURRENT moves, the old one becomes AWSPREVIOUS', async () => {
    const created = await client.send(new CreateSecretCommand({ Name: 'app/db', SecretString: 'one' }));
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:111122223333:secret:app\/db-[A-Za-z0-9]{6}$/);
    await expect(client.send(new CreateSecretCommand({ Name: 'app/db', SecretString: 'x' }))).rejects.toMatchObject({
      name: 'ResourceExistsException',
    });
    const put = await client.send(new PutSecretValueCommand({ SecretId: 'app/db', SecretString: 'two' }));
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    expect(put.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    const got = await client.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(got).toMatchObject({ SecretString: 'two', VersionId: put.VersionId, VersionStages: ['AWSCURRENT'] });
    const previous = await client.send(new GetSecretValueCommand({ SecretId: 'app/db', VersionStage: 'AWSPREVIOUS' }));
    expect(previous.SecretString).toBe('one');
    const described = await client.send(new DescribeSecretCommand({ SecretId: 'app/db' }));
    expect(described.VersionIdsToStages?.[put.VersionId!]).toEqual(['AWSCURRENT']);
    expect(described.VersionIdsToStages?.[created.VersionId!]).toEqual(['AWSPREVIOUS']);
  });

  it('treats a repeated ClientRequestToken as the same version, and refuses it with another value', async () => {
    const token = 'a'.repeat(32);
    const first = await client.send(
      new PutSecretValueCommand({ SecretId: 'app/db', SecretString: 'three', ClientRequestToken: token }),
    );
    const again = await client.send(
      new PutSecretValueCommand({ SecretId: 'app/db', SecretString: 'three', ClientRequestToken: token }),
    );
    expect(again.VersionId).toBe(first.VersionId);
    await expect(
      client.send(new PutSecretValueCommand({ SecretId: 'app/db', SecretString: 'four', ClientRequestToken: token })),
    ).rejects.toMatchObject({ name: 'ResourceExistsException' });
  });

  it('keeps labelled versions and the 100 newest deprecated ones', async () => {
    await client.send(new CreateSecretCommand({ Name: 'app/many', SecretString: 'v0' }));
    for (let i = 1; i <= 105; i++) {
      await client.send(new PutSecretValueCommand({ SecretId: 'app/many', SecretString: `v${i}` }));
    }
    const listed = await client.send(
      new ListSecretVersionIdsCommand({ SecretId: 'app/many', IncludeDeprecated: true, MaxResults: 100 }),
    );
    expect(listed.Versions).toHaveLength(100);
    const rest = await client.send(
      new ListSecretVersionIdsCommand({ SecretId: 'app/many', IncludeDeprecated: true, NextToken: listed.NextToken }),
    );
    expect(rest.Versions).toHaveLength(2);
    const labelled = await client.send(new ListSecretVersionIdsCommand({ SecretId: 'app/many' }));
    expect(labelled.Versions?.map((v) => v.VersionStages)).toEqual([['AWSPREVIOUS'], ['AWSCURRENT']]);
  });

  it('schedules deletion with a recovery window; the secret then answers InvalidRequestException until restored', async () => {
    await client.send(new CreateSecretCommand({ Name: 'app/gone', SecretString: 'v' }));
    await expect(
      client.send(new DeleteSecretCommand({ SecretId: 'app/gone', RecoveryWindowInDays: 3 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const deleted = await client.send(new DeleteSecretCommand({ SecretId: 'app/gone', RecoveryWindowInDays: 7 }));
    const days = (deleted.DeletionDate!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    for (const call of [
      client.send(new GetSecretValueCommand({ SecretId: 'app/gone' })),
      client.send(new PutSecretValueCommand({ SecretId: 'app/gone', SecretString: 'x' })),
      client.send(new CreateSecretCommand({ Name: 'app/gone', SecretString: 'x' })),
      client.send(new DeleteSecretCommand({ SecretId: 'app/gone' })),
    ]) {
      await expect(call).rejects.toMatchObject({ name: 'InvalidRequestException' });
    }
    expect((await client.send(new DescribeSecretCommand({ SecretId: 'app/gone' }))).DeletedDate).toBeInstanceOf(Date);
    const listed = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['app/gone'] }] }));
    expect(listed.SecretList).toEqual([]);
    await client.send(new RestoreSecretCommand({ SecretId: 'app/gone' }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'app/gone' }))).SecretString).toBe('v');
    await client.send(new DeleteSecretCommand({ SecretId: 'app/gone', ForceDeleteWithoutRecovery: true }));
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'app/gone' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    // Force-deleting what is not there is not an error.
    await client.send(new DeleteSecretCommand({ SecretId: 'app/never', ForceDeleteWithoutRecovery: true }));
  });

  it('batch-reads up to 20 ids, reporting the missing ones in Errors', async () => {
    const out = await client.send(new BatchGetSecretValueCommand({ SecretIdList: ['app/db', 'app/none'] }));
    expect(out.SecretValues?.map((v) => [v.Name, v.SecretString])).toEqual([['app/db', 'three']]);
    expect(out.Errors).toEqual([
      { SecretId: 'app/none', ErrorCode: 'ResourceNotFoundException', Message: expect.any(String) },
    ]);
    const ids = Array.from({ length: 21 }, (_, i) => `app/x${i}`);
    await expect(client.send(new BatchGetSecretValueCommand({ SecretIdList: ids }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      client.send(new BatchGetSecretValueCommand({ SecretIdList: ['app/db'], MaxResults: 5 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const filtered = await client.send(
      new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['app/'] }], MaxResults: 1 }),
    );
    expect(filtered.SecretValues).toHaveLength(1);
    expect(filtered.NextToken).toBeDefined();
  });

  it('refuses bad names and oversize values', async () => {
    await expect(client.send(new CreateSecretCommand({ Name: 'has space', SecretString: 'x' }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      client.send(new CreateSecretCommand({ Name: 'a'.repeat(513), SecretString: 'x' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      client.send(new CreateSecretCommand({ Name: 'app/big', SecretString: 'x'.repeat(65_537) })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await client.send(new CreateSecretCommand({ Name: 'app/big', SecretString: 'x'.repeat(65_536) }));
  });

  it('injects faults and counts calls by operation', async () => {
    asm.calls.reset();
    asm.injectFault('throttling');
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'app/db' }))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    asm.injectFault('unavailable', 1, 'GetSecretValue');
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'app/db' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 503 },
    });
    asm.injectFault('reset');
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'app/db' }))).rejects.toThrow();
    expect(asm.calls.snapshot()).toEqual({ GetSecretValue: 3 });
  });
});
