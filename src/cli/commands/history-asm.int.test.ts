// `atmos-secret history` and `stores test` as real processes against the Secrets Manager emulator: versions
// newest first with their staging labels (AWSCURRENT, AWSPREVIOUS), never values; an unknown access key is
// exit 1 with the backend's words. The host's AWS files and instance metadata are kept out.
import { describe, expect, it } from 'vitest';
import { start } from '../../../test/support/emulators/aws-asm';
import { EMULATOR_KEY } from '../../../test/support/emulators/aws-json/store-fixtures';
import { expectHistory, storeCliSuite } from '../../../test/support/store-cli';
import { atmosYaml, DEV_STACK, devStack } from '../../../test/support/store-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-asm-history`;

const t = storeCliSuite({
  start: () => start({ accessKeyIds: [EMULATOR_KEY] }),
  files: (emu) => ({
    'atmos.yaml': atmosYaml([
      'stores:',
      '  aws:',
      '    kind: aws/asm',
      '    secret: true',
      '    options:',
      '      region: us-east-1',
      `      endpoint: ${emu.url}`,
      '      prefix: atmos',
      '      max_attempts: 2',
    ]),
    [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'aws' } } }),
  }),
  // The host's AWS files and instance metadata are kept out.
  env: (_emu, dir) => ({
    AWS_ACCESS_KEY_ID: EMULATOR_KEY,
    AWS_SECRET_ACCESS_KEY: 'emulator-secret',
    AWS_CONFIG_FILE: `${dir}/no-aws-config`,
    AWS_SHARED_CREDENTIALS_FILE: `${dir}/no-aws-credentials`,
    AWS_EC2_METADATA_DISABLED: 'true',
  }),
});

function cli(args: string[], o: { stdin?: string; key?: string } = {}) {
  return t.cli(args, { stdin: o.stdin, env: o.key === undefined ? {} : { AWS_ACCESS_KEY_ID: o.key } });
}

describe('atmos-secret history and stores test with an aws/asm store (spawned CLI, emulator)', () => {
  it('stores test passes with the emulator key and fails (exit 1, AUTH) with an unknown one', async () => {
    const ok = await cli(['stores', 'test', 'aws', '--format', 'json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ store: 'aws', kind: 'aws/asm', ok: true });
    const denied = await cli(['stores', 'test', 'aws', '--format', 'json'], { key: 'AKIAUNKNOWNKEY000000' });
    expect(denied.code).toBe(1);
    expect(JSON.parse(denied.stdout)).toMatchObject({ ok: false, code: 'AUTH' });
  });

  it('prints versions newest first with their stages, never values', async () => {
    await expectHistory(t, CANARY, {
      versions: (versions) =>
        expect(versions.map((v) => [v.current, v.stages])).toEqual([
          [true, ['AWSCURRENT']],
          [false, ['AWSPREVIOUS']],
        ]),
      table: (stdout) => {
        expect(stdout).toMatch(/yes\s+AWSCURRENT\n/);
        expect(stdout).toContain('AWSPREVIOUS');
      },
    });
  });
});
