// The spawned-CLI checks the aws/ssm and aws/asm CLI int tests share, over a storeCliSuite whose store `aws` is
// at an AWS emulator and whose `dev` stack's `api` declares DB_PASSWORD and API_KEY in it.
import { expect } from 'vitest';
import { runCliProcess } from '../../cli';
import type { StoreCliRunner } from '../../store-cli';
import type { AwsJsonFault } from './index';

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
