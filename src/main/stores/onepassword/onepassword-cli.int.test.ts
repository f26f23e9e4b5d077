// End to end: the built `atmos-secret` CLI, as a real process, against the Connect emulator through a workspace
// whose atmos.yaml declares a onepassword store: set --stdin, get, list --verify, delete --yes, with the Connect
// host and token from OP_CONNECT_HOST / OP_CONNECT_TOKEN (mode: auto picks Connect), as in CI. The references are
// templates over the stack and component.
import { describe, expect, it } from 'vitest';
import { start } from '../../../../test/support/emulators/onepassword-connect';
import { expectMissingGet, expectRoundTrip, storeCliSuite } from '../../../../test/support/store-cli';
import { atmosYaml, DEV_STACK } from '../../../../test/support/store-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-onepassword`;

const t = storeCliSuite({
  start: () => start({ vaults: ['Infra'] }),
  files: () => ({
    'atmos.yaml': atmosYaml(['stores:', '  op:', '    type: onepassword', '    options:', '      vault: Infra']),
    [DEV_STACK]: [
      'vars:',
      '  stage: dev',
      'components:',
      '  terraform:',
      '    api:',
      '      secrets:',
      '        vars:',
      '          DB_PASSWORD:',
      '            store: op',
      '            required: true',
      '            reference: "op://Infra/{{ .atmos_stack | upper }}-{{ .atmos_component }}/password"',
      '          API_KEY:',
      '            store: op',
      '            reference: "{{ .atmos_stack }}-{{ .atmos_component }}/api_key"',
      '',
    ].join('\n'),
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
});
