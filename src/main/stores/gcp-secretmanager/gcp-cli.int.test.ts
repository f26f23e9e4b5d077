// End to end: the built `atmos-secret` CLI, as a real process, against the Secret Manager emulator through a
// workspace whose atmos.yaml points a gcp/secretmanager store at it (`endpoint: http://127.0.0.1:PORT`):
// set --stdin, get, list --verify, delete --yes, and a Secret Manager that is down (status `error`, never
// `missing`). No value ever reaches the CLI's output.
import { describe, expect, it } from 'vitest';
import { start } from '../../../../test/support/emulators/gcp-secretmanager';
import { expectMissingGet, expectRoundTrip, expectVerifyDown, storeCliSuite } from '../../../../test/support/store-cli';
import { gcpStoreYaml } from '../../../../test/support/store-cli-yaml';
import { atmosYaml, DEV_STACK, devStack } from '../../../../test/support/store-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-gcp`;
const PROJECT = 'cli-project';

const t = storeCliSuite({
  start: () => start(),
  files: (emu) => ({
    'atmos.yaml': atmosYaml(gcpStoreYaml(PROJECT, emu.endpoint)),
    [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'gsm', required: true }, API_KEY: { store: 'gsm' } } }),
  }),
});
describe('atmos-secret with a gcp/secretmanager store (spawned CLI, Secret Manager emulator)', () => {
  it('set --stdin, get, list --verify, delete --yes', async () => {
    await expectRoundTrip(t, CANARY, {
      afterSet: () => {
        const secret = t.emu.secret(PROJECT, 'atmos_dev_api_DB_PASSWORD');
        expect(secret?.versions.map((v) => v.data.toString())).toEqual([JSON.stringify(CANARY)]);
        expect(secret?.annotations).toEqual({ 'atmos-secrets-path': 'atmos/dev/api/DB_PASSWORD' });
      },
      // DeleteSecret: the secret and every version are gone at once.
      afterDelete: () => expect(t.emu.secret(PROJECT, 'atmos_dev_api_DB_PASSWORD')).toBeUndefined(),
    });
  });

  it('a Secret Manager that is down makes every verified row `error` with its words (exit 1), never `missing`', async () => {
    await expectVerifyDown(
      t,
      { inject: () => t.emu.injectFault('unavailable', 100, 'AccessSecretVersion'), clear: () => t.emu.clearFaults() },
      /store "gsm" is unavailable for secret "(API_KEY|DB_PASSWORD)" \(atmos_dev_api_(API_KEY|DB_PASSWORD)\): AccessSecretVersion failed: UNAVAILABLE: The service is currently unavailable\./,
    );
  });

  it('get of a missing secret exits 1 naming the secret and how to set it', async () => {
    await expectMissingGet(t);
  });
});
