// The spawned-CLI checks the aws/ssm and aws/asm CLI int tests share, over a storeCliSuite whose store `aws` is
// at an AWS emulator and whose `dev` stack's `api` declares DB_PASSWORD and API_KEY in it.
import { expect } from 'vitest';
import { runCliProcess, type CliRun } from '../../cli';
import type { StoreCliRunner } from '../../store-cli';
import type { AwsJsonFault, AwsJsonServer } from './index';

/** With `operation` answering 503, list --verify exits 1 with every row `error`, never `missing`. */
export async function expectAwsVerifyDown(
  t: StoreCliRunner,
  emu: { injectFault(fault: AwsJsonFault, count?: number, operation?: string): void; clearFaults(): void },
  operation: string,
): Promise<void> {
  emu.injectFault('unavailable', 100, operation);
  try {
    const down = await t.listVerify();
    expect(down.code).toBe(1);
    expect(down.rows.map((r) => r.status)).toEqual(['error', 'error']);
    expect(down.stderr).toContain('store "aws" is unavailable');
    expect(down.stderr).toContain('ServiceUnavailable');
  } finally {
    emu.clearFaults();
  }
}

/** A key the emulator does not know fails `set API_KEY` with exit 1, naming the store and secret, no value shown. */
export async function expectWrongCredentials(dir: string, canary: string): Promise<void> {
  const run = await runCliProcess(['--base-path', dir, 'set', 'API_KEY', '-s', 'dev', '-c', 'api', '--stdin'], {
    cwd: dir,
    stdin: `${canary}\n`,
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'AKIDSTRANGER',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_CONFIG_FILE: `${dir}/no-aws-config`,
      AWS_SHARED_CREDENTIALS_FILE: `${dir}/no-aws-credentials`,
      AWS_PROFILE: '',
      ATMOS_STACK: '',
      ATMOS_COMPONENT: '',
    },
  });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('store "aws" refused the credentials');
  expect(run.stderr).toContain('"API_KEY"');
  expect(run.stdout + run.stderr).not.toContain(canary);
}

/**
 * set --stdin, get --raw, list --verify (both rows in one `batchRead` call) and delete --yes of DB_PASSWORD, with
 * the value in no output; `backend.afterSet` and `backend.afterDelete` (given the delete's run) check what the
 * emulator holds at those points.
 */
export async function expectAwsRoundTrip(
  t: StoreCliRunner,
  emu: Pick<AwsJsonServer, 'calls'>,
  canary: string,
  batchRead: string,
  backend: { afterSet(): void; afterDelete(del: CliRun): void },
): Promise<void> {
  const set = await t.cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], { stdin: `${canary}\n` });
  expect(set.code, set.stderr).toBe(0);
  expect(set.stdout + set.stderr).not.toContain(canary);
  backend.afterSet();

  const get = await t.cli(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--raw']);
  expect(get.code, get.stderr).toBe(0);
  expect(get.stdout).toBe(canary);

  emu.calls.reset();
  const listed = await t.listVerify();
  expect(listed.code, listed.stderr).toBe(0);
  expect(listed.rows.map((r) => [r.secret, r.status]).sort()).toEqual([
    ['API_KEY', 'missing'],
    ['DB_PASSWORD', 'initialized'],
  ]);
  expect(listed.output).not.toContain(canary);
  // Both rows in one batched read.
  expect(emu.calls.snapshot()).toEqual({ [batchRead]: 1 });

  const del = await t.cli(['delete', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--yes']);
  expect(del.code, del.stderr).toBe(0);
  expect(del.stdout + del.stderr).not.toContain(canary);
  backend.afterDelete(del);
  const after = await t.listVerify();
  expect(after.rows.find((r) => r.secret === 'DB_PASSWORD')?.status).toBe('missing');
}
