// End to end: the built `atmos-secret` CLI, as a real process, against the Connect emulator through a workspace
// whose atmos.yaml declares a onepassword store: set --stdin, get, list --verify, delete --yes, with the Connect
// host and token from OP_CONNECT_HOST / OP_CONNECT_TOKEN (mode: auto picks Connect), as in CI. The references are
// templates over the stack and component.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { start } from '../../../../test/support/emulators/onepassword-connect';
import { expectMissingGet, expectRoundTrip, storeCliSuite } from '../../../../test/support/store-cli';
import { atmosYaml, DEV_STACK, devStack } from '../../../../test/support/store-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-onepassword`;

const t = storeCliSuite({
  start: () => start({ vaults: ['Infra'] }),
  files: () => ({
    'atmos.yaml': atmosYaml(['stores:', '  op:', '    type: onepassword', '    options:', '      vault: Infra']),
    [DEV_STACK]: devStack({
      api: {
        DB_PASSWORD: {
          store: 'op',
          required: true,
          reference: 'op://Infra/{{ .atmos_stack | upper }}-{{ .atmos_component }}/password',
        },
        API_KEY: { store: 'op', reference: '{{ .atmos_stack }}-{{ .atmos_component }}/api_key' },
      },
      // Another component, so the api rows the shared checks list stay as they are.
      worker: { HIDDEN: { store: 'op', reference: 'op://Hidden/worker/token' } },
    }),
  }),
  env: (emu) => ({ OP_CONNECT_HOST: emu.url, OP_CONNECT_TOKEN: emu.token }),
});

describe('atmos-secret with a onepassword store (spawned CLI, Connect emulator)', () => {
  it('set --stdin, get, list --verify, delete --yes', async () => {
    await expectRoundTrip(t, CANARY, {
      afterSet: () => {
        const item = t.emu.item('Infra', 'DEV-api');
        expect(item?.category).toBe('API_CREDENTIAL');
        expect(item?.fields.map((f) => [f.type, f.label, f.value])).toEqual([['CONCEALED', 'password', CANARY]]);
      },
      // The item's last field went, so the item did too.
      afterDelete: () => expect(t.emu.item('Infra', 'DEV-api')).toBeUndefined(),
    });
  });

  it('get of a missing secret exits 1 naming the secret and how to set it', async () => {
    await expectMissingGet(t);
  });

  it('a reference into a vault the token cannot see: exit 1, naming the file and line that declare it', async () => {
    const run = await t.cli(['get', 'HIDDEN', '-s', 'dev', '-c', 'worker']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('secret "HIDDEN" (op://Hidden/worker/token) is in vault "Hidden"');
    // The declaration (line 18 of the stack manifest), not the store's record in atmos.yaml.
    expect(run.stderr).toContain(`(declared at ${join(t.dir, DEV_STACK)}:18)`);
    expect(run.stderr).not.toContain('atmos.yaml');
  });
});
