// Drift over a 1Password store through the Connect emulator: the listing gives the items of the store's vault,
// and references name fields of items, so an item several declared references use is declared, an item nobody's
// reference names is an orphan (with its update time, and no place: references are templates).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type ConnectEmulator } from '../../../../test/support/emulators/onepassword-connect';
import { memoryService, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { atmosYaml, DEV_STACK, devStack } from '../../../../test/support/store-workspace';

let emu: ConnectEmulator;

beforeAll(async () => {
  emu = await start({ vaults: ['Infra', 'Other'] });
});

afterAll(async () => {
  await emu.stop();
  removeWrittenWorkspaces();
});

describe('drift over onepassword (Connect emulator)', () => {
  it("reports the vault's items no declared reference names; an item two references share is declared", async () => {
    const dir = writeWorkspace({
      'atmos.yaml': atmosYaml([
        'stores:',
        '  op:',
        '    type: onepassword',
        '    options:',
        '      mode: connect',
        `      connect_host: ${emu.url}`,
        `      connect_token: ${emu.token}`,
        '      vault: Infra',
      ]),
      [DEV_STACK]: devStack({
        api: {
          DB_PASSWORD: { store: 'op', reference: 'op://Infra/{{ .atmos_stack }}-{{ .atmos_component }}/password' },
          API_KEY: { store: 'op', reference: 'op://Infra/{{ .atmos_stack }}-{{ .atmos_component }}/api_key' },
        },
      }),
    });
    const { svc } = await memoryService(dir);
    await svc.set({ name: 'DB_PASSWORD', stack: 'dev', component: 'api', value: 'op-declared-1' });
    await svc.set({ name: 'API_KEY', stack: 'dev', component: 'api', value: 'op-declared-2' });
    const raw = svc.registry.secretStore('op');
    await raw.set({ name: 'OLD', scope: 'global', reference: 'op://Infra/old-item/password' }, 'op-orphan-3');
    // Another vault is not the store's: not listed.
    await raw.set({ name: 'ELSE', scope: 'global', reference: 'op://Other/else-item/password' }, 'op-other-4');

    const report = await svc.drift();
    expect(report.findings).toEqual([
      {
        kind: 'orphan',
        provider: 'store:op',
        backend: 'store',
        providerKind: 'onepassword',
        path: 'op://Infra/old-item',
        place: undefined,
        placeNote: 'the backend name does not say which stack or component it belongs to',
        lastChanged: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown as string,
      },
    ]);
    expect(report.providers).toEqual([
      { provider: 'store:op', backend: 'store', providerKind: 'onepassword', listed: true, entries: 2, orphans: 1 },
    ]);
    expect(JSON.stringify(report)).not.toMatch(/op-declared|op-orphan|op-other/);
  });
});
