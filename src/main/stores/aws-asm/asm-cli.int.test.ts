// End to end: the built `atmos-secret` CLI, as a real process, against the Secrets Manager emulator through a
// workspace whose atmos.yaml points an aws/asm store at it (`endpoint`): set --stdin, get, list --verify,
// delete --yes, and a backend that is down (status `error`, never `missing`). Credentials come from the
// environment (the SDK's default chain), as in CI; the host's AWS files and instance metadata are kept out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../../../../test/support/cli';
import { start, type AwsAsmEmulator } from '../../../../test/support/emulators/aws-asm';
import { EMULATOR_KEY } from '../../../../test/support/emulators/aws-json/store-fixtures';
import { removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-asm`;

let emu: AwsAsmEmulator;
let dir: string;

beforeAll(async () => {
  emu = await start({ accessKeyIds: [EMULATOR_KEY] });
  dir = writeWorkspace({
    'atmos.yaml': [
      'base_path: "."',
      'stacks:',
      '  base_path: stacks',
      '  included_paths: ["deploy/**/*"]',
      '  name_template: "{{ .vars.stage }}"',
      'stores:',
      '  aws:',
      '    kind: aws/asm',
      '    secret: true',
      '    options:',
      '      region: us-east-1',
      `      endpoint: ${emu.url}`,
      '      prefix: atmos',
      '      max_attempts: 2',
      '      recovery_window_days: 7',
      '',
    ].join('\n'),
    'stacks/deploy/dev.yaml': [
      'vars:',
      '  stage: dev',
      'components:',
      '  terraform:',
      '    api:',
      '      secrets:',
      '        vars:',
      '          DB_PASSWORD:',
      '            store: aws',
      '            required: true',
      '          API_KEY:',
      '            store: aws',
      '',
    ].join('\n'),
  });
});

afterAll(async () => {
  await emu.stop();
  removeWrittenWorkspaces();
});

function cli(args: string[], stdin?: string) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: EMULATOR_KEY,
    AWS_SECRET_ACCESS_KEY: 'emulator-secret',
    AWS_CONFIG_FILE: `${dir}/no-aws-config`,
    AWS_SHARED_CREDENTIALS_FILE: `${dir}/no-aws-credentials`,
    AWS_EC2_METADATA_DISABLED: 'true',
    ATMOS_STACK: '',
    ATMOS_COMPONENT: '',
  };
  delete env['AWS_PROFILE'];
  delete env['AWS_SESSION_TOKEN'];
  return runCliProcess(['--base-path', dir, ...args], { cwd: dir, stdin, env });
}

interface Row {
  readonly secret: string;
  readonly status: string;
}

async function listVerify(): Promise<{ code: number; rows: Row[]; stderr: string; output: string }> {
  const run = await cli(['list', '-s', 'dev', '-c', 'api', '--verify', '--format', 'json']);
  return { code: run.code, rows: JSON.parse(run.stdout) as Row[], stderr: run.stderr, output: run.stdout + run.stderr };
}

describe('atmos-secret with an aws/asm store (spawned CLI, Secrets Manager emulator)', () => {
  it('set --stdin, get, list --verify, delete --yes', async () => {
    const set = await cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], `${CANARY}\n`);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout + set.stderr).not.toContain(CANARY);
    expect(emu.secret('atmos/dev/api/DB_PASSWORD')?.current).toBe(CANARY);

    const get = await cli(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--raw']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(CANARY);

    emu.calls.reset();
    const listed = await listVerify();
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.rows.map((r) => [r.secret, r.status]).sort()).toEqual([
      ['API_KEY', 'missing'],
      ['DB_PASSWORD', 'initialized'],
    ]);
    expect(listed.output).not.toContain(CANARY);
    // Both rows in one batched read.
    expect(emu.calls.snapshot()).toEqual({ BatchGetSecretValue: 1 });

    const del = await cli(['delete', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--yes']);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout + del.stderr).not.toContain(CANARY);
    // Scheduled for deletion with the store's 7-day recovery window, restorable until then.
    const scheduled = emu.secret('atmos/dev/api/DB_PASSWORD');
    expect(scheduled?.deletedAt).toBeInstanceOf(Date);
    // The person is told how long it stays recoverable, with the service's own deletion date.
    const until = scheduled?.deletionDate?.toISOString().slice(0, 16).replace('T', ' ');
    expect(until).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(del.stderr).toContain(
      `Deleted DB_PASSWORD from store "aws" (aws/asm) at atmos/dev/api/DB_PASSWORD; scheduled for deletion in 7 days, recoverable until ${until} UTC (setting it again restores it).`,
    );
    const after = await listVerify();
    expect(after.rows.find((r) => r.secret === 'DB_PASSWORD')?.status).toBe('missing');
  });

  it('a backend answering 5xx makes every verified row `error` (exit 1), never `missing`', async () => {
    emu.injectFault('unavailable', 100, 'BatchGetSecretValue');
    try {
      const down = await listVerify();
      expect(down.code).toBe(1);
      expect(down.rows.map((r) => r.status)).toEqual(['error', 'error']);
      expect(down.stderr).toContain('store "aws" is unavailable');
      expect(down.stderr).toContain('ServiceUnavailable');
    } finally {
      emu.clearFaults();
    }
  });

  it('wrong credentials fail the set with exit 1, naming the store and secret', async () => {
    const run = await runCliProcess(['--base-path', dir, 'set', 'API_KEY', '-s', 'dev', '-c', 'api', '--stdin'], {
      cwd: dir,
      stdin: `${CANARY}\n`,
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
    expect(run.stdout + run.stderr).not.toContain(CANARY);
  });
});
