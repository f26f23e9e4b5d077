// End to end: the built `atmos-secret` CLI, as a real process, against the SSM emulator through a
// workspace whose atmos.yaml points an aws/ssm store at it (`endpoint`): set --stdin, get, list --verify,
// delete --yes, and a backend that is down (status `error`, never `missing`). Credentials come from the
// environment (the SDK's default chain), as in CI; the host's AWS files and instance metadata are kept out.
import { describe, expect, it } from 'vitest';
import { start } from '../../../../test/support/emulators/aws-ssm';
import {
  AWS_CLI_UNSET,
  awsCliEnv,
  awsStoreYaml,
  EMULATOR_KEY,
} from '../../../../test/support/emulators/aws-json/store-fixtures';
import { expectAwsVerifyDown, expectWrongCredentials } from '../../../../test/support/emulators/aws-json/cli-checks';
import { storeCliSuite } from '../../../../test/support/store-cli';
import { atmosYaml, DEV_STACK, devStack } from '../../../../test/support/store-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-ssm`;

const t = storeCliSuite({
  start: () => start({ accessKeyIds: [EMULATOR_KEY] }),
  files: (emu) => ({
    'atmos.yaml': atmosYaml(awsStoreYaml('aws/ssm', emu.url)),
    [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'aws', required: true }, API_KEY: { store: 'aws' } } }),
  }),
  env: (_emu, dir) => awsCliEnv(dir),
  unset: AWS_CLI_UNSET,
});

function cli(args: string[], stdin?: string) {
  return t.cli(args, { stdin });
}

describe('atmos-secret with an aws/ssm store (spawned CLI, SSM emulator)', () => {
  it('set --stdin, get, list --verify, delete --yes', async () => {
    const set = await cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], `${CANARY}\n`);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout + set.stderr).not.toContain(CANARY);
    expect(t.emu.parameter('/atmos/dev/api/DB_PASSWORD')).toMatchObject({ type: 'SecureString', value: CANARY });

    const get = await cli(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--raw']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(CANARY);

    t.emu.calls.reset();
    const listed = await t.listVerify();
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.rows.map((r) => [r.secret, r.status]).sort()).toEqual([
      ['API_KEY', 'missing'],
      ['DB_PASSWORD', 'initialized'],
    ]);
    expect(listed.output).not.toContain(CANARY);
    // Both rows in one batched read.
    expect(t.emu.calls.snapshot()).toEqual({ GetParameters: 1 });

    const del = await cli(['delete', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--yes']);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout + del.stderr).not.toContain(CANARY);
    expect(t.emu.parameter('/atmos/dev/api/DB_PASSWORD')).toBeUndefined();
    const after = await t.listVerify();
    expect(after.rows.find((r) => r.secret === 'DB_PASSWORD')?.status).toBe('missing');
  });

  it('a backend answering 5xx makes every verified row `error` (exit 1), never `missing`', async () => {
    await expectAwsVerifyDown(t, t.emu, 'GetParameters');
  });

  it('wrong credentials fail the set with exit 1, naming the store and secret', async () => {
    await expectWrongCredentials(t.dir, CANARY);
  });
});
