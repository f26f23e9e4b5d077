// End to end: the built `atmos-secret` CLI, as a real process, against the Secrets Manager emulator through a
// workspace whose atmos.yaml points an aws/asm store at it (`endpoint`): set --stdin, get, list --verify,
// delete --yes, and a backend that is down (status `error`, never `missing`). Credentials come from the
// environment (the SDK's default chain), as in CI; the host's AWS files and instance metadata are kept out.
import { describe, expect, it } from 'vitest';
import { start } from '../../../../test/support/emulators/aws-asm';
import {
  AWS_CLI_UNSET,
  awsCliEnv,
  awsStoreYaml,
  EMULATOR_KEY,
} from '../../../../test/support/emulators/aws-json/store-fixtures';
import {
  expectAwsRoundTrip,
  expectAwsVerifyDown,
  expectWrongCredentials,
} from '../../../../test/support/emulators/aws-json/cli-checks';
import { storeCliSuite } from '../../../../test/support/store-cli';
import { atmosYaml, DEV_STACK, devStack } from '../../../../test/support/store-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-asm`;

const t = storeCliSuite({
  start: () => start({ accessKeyIds: [EMULATOR_KEY] }),
  files: (emu) => ({
    'atmos.yaml': atmosYaml(awsStoreYaml('aws/asm', emu.url, ['recovery_window_days: 7'])),
    [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'aws', required: true }, API_KEY: { store: 'aws' } } }),
  }),
  env: (_emu, dir) => awsCliEnv(dir),
  unset: AWS_CLI_UNSET,
});

describe('atmos-secret with an aws/asm store (spawned CLI, Secrets Manager emulator)', () => {
  it('set --stdin, get, list --verify, delete --yes', async () => {
    await expectAwsRoundTrip(t, t.emu, CANARY, 'BatchGetSecretValue', {
      afterSet: () => expect(t.emu.secret('atmos/dev/api/DB_PASSWORD')?.current).toBe(CANARY),
      afterDelete: (del) => {
        // Scheduled for deletion with the store's 7-day recovery window, restorable until then.
        const scheduled = t.emu.secret('atmos/dev/api/DB_PASSWORD');
        expect(scheduled?.deletedAt).toBeInstanceOf(Date);
        // The person is told how long it stays recoverable, with the service's own deletion date.
        const until = scheduled?.deletionDate?.toISOString().slice(0, 16).replace('T', ' ');
        expect(until).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
        expect(del.stderr).toContain(
          `Deleted DB_PASSWORD from store "aws" (aws/asm) at atmos/dev/api/DB_PASSWORD; scheduled for deletion in 7 days, recoverable until ${until} UTC (setting it again restores it).`,
        );
      },
    });
  });

  it('a backend answering 5xx makes every verified row `error` (exit 1), never `missing`', async () => {
    await expectAwsVerifyDown(t, t.emu, 'BatchGetSecretValue');
  });

  it('wrong credentials fail the set with exit 1, naming the store and secret', async () => {
    await expectWrongCredentials(t.dir, CANARY);
  });
});
