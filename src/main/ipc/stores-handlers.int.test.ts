// The stores channels through the real router and handlers: a keychain store (memory keychain) and a
// hashicorp/vault store against the Vault emulator. A token typed into the app goes to the keychain (service
// atmos-secrets, account store-token/<store>) and never comes back; history never carries a value; restore
// writes an earlier version as a new one, only when confirmed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { MemoryKeychains, removeWrittenWorkspaces, writeWorkspace } from '../../../test/support/secrets-workspace';
import { memoryAppRouter, TRUSTED_SENDER } from '../../../test/support/app-router';
import { start, type VaultEmulator } from '../../../test/support/emulators/vault';
import { atmosYaml, DEV_STACK, devStack } from '../../../test/support/store-workspace';
import type { IpcRouter } from '.';

const CANARY = `stores-ipc-CANARY-${randomUUID()}`;
const TOKEN = `hvs.TOKEN-${randomUUID()}`;
const keychains = new MemoryKeychains();
let emu: VaultEmulator;
let router: IpcRouter;
const payloads: string[] = [];
const progress: string[] = [];

async function call(channel: string, request: unknown): Promise<unknown> {
  const result = await router.dispatch(channel, request, TRUSTED_SENDER, (e) => {
    progress.push(`${e.done}/${e.total}`);
    payloads.push(JSON.stringify(e));
  });
  payloads.push(JSON.stringify({ channel, result }));
  return result;
}

beforeAll(async () => {
  emu = await start();
  const dir = writeWorkspace({
    'atmos.yaml': atmosYaml([
      'stores:',
      '  kc:',
      '    kind: keychain',
      '    options: { prefix: fx, service: atmos-secrets-ipc-test }',
      '  vault:',
      '    kind: hashicorp/vault',
      '    secret: true',
      '    options:',
      `      url: ${emu.url}`,
      '      mount: secret',
      `      token: ${emu.rootToken}`,
    ]),
    [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'vault' }, LOCAL: { store: 'kc' } } }),
  });
  router = memoryAppRouter(dir, keychains);
  expect(await call('workspace:open', { path: dir })).toMatchObject({ ok: true });
});

afterAll(async () => {
  await emu.stop();
  removeWrittenWorkspaces();
});

interface Listed {
  ok: true;
  value: { stores: { name: string; tokenSaved: boolean; options: Record<string, string>; takesToken: boolean }[] };
}

describe('stores over IPC', () => {
  it('lists the stores with the token masked, and saves a typed token to the keychain only', async () => {
    const before = (await call('stores:list', {})) as Listed;
    expect(before.ok).toBe(true);
    expect(before.value.stores.map((s) => `${s.name} ${s.takesToken} ${s.tokenSaved}`)).toEqual([
      'kc false false',
      'vault true false',
    ]);
    expect(before.value.stores[1]?.options['token']).toBe('<MASKED>');
    expect(JSON.stringify(before)).not.toContain(emu.rootToken);

    expect(await call('stores:setToken', { name: 'vault', token: `${TOKEN}\n` })).toEqual({
      ok: true,
      value: { service: 'atmos-secrets', account: 'store-token/vault' },
    });
    expect(await keychains.get('atmos-secrets').get('store-token/vault')).toBe(TOKEN);
    const after = (await call('stores:list', {})) as Listed;
    expect(after.value.stores.find((s) => s.name === 'vault')?.tokenSaved).toBe(true);
  });

  it('refuses a multi-line token, an empty one and a store without tokens, never echoing the token', async () => {
    const bad = `${CANARY}\nsecond line`;
    expect(await call('stores:setToken', { name: 'vault', token: bad })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await call('stores:setToken', { name: 'vault', token: '' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await call('stores:setToken', { name: 'kc', token: CANARY })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await call('stores:setToken', { name: 'nope', token: CANARY })).toMatchObject({
      ok: false,
      error: { code: 'CONFIG' },
    });
    expect(await keychains.get('atmos-secrets').list()).toEqual(['store-token/vault']);
  });

  it('tests a store with progress, and reports an unknown one', async () => {
    progress.length = 0;
    expect(await call('stores:test', { name: 'vault' })).toMatchObject({
      ok: true,
      value: { store: 'vault', ok: true },
    });
    expect(progress).toEqual(['0/1', '1/1']);
    expect(await call('stores:test', { name: 'kc' })).toMatchObject({ ok: true, value: { ok: true } });
    emu.injectFault('sealed', 100);
    const down = (await call('stores:test', { name: 'vault' })) as {
      ok: true;
      value: { ok: boolean; code: string; message: string };
    };
    emu.clearFaults();
    expect(down.value).toMatchObject({ ok: false, code: 'BACKEND' });
    expect(await call('stores:test', { name: 'nope' })).toMatchObject({ ok: false, error: { code: 'CONFIG' } });
  });

  it('shows the history without values and restores an earlier version only when confirmed', async () => {
    const target = { stack: 'dev', component: 'api', secret: 'DB_PASSWORD' };
    for (const v of ['one', 'two'])
      expect(await call('secrets:set', { ...target, value: `${CANARY}-${v}`, confirmed: false })).toMatchObject({
        ok: true,
      });
    const h = (await call('secrets:history', target)) as {
      ok: true;
      value: { supported: boolean; canRestore: boolean; versions: { version: string; current: boolean }[] };
    };
    expect(h.value).toMatchObject({ supported: true, canRestore: true });
    expect(h.value.versions.map((v) => `${v.version}${v.current ? '*' : ''}`)).toEqual(['2*', '1']);
    expect(await call('secrets:restoreVersion', { ...target, version: '1', confirmed: true })).toEqual({
      ok: true,
      value: { restored: '1', consumers: 1 },
    });
    expect(await call('secrets:reveal', target)).toEqual({ ok: true, value: { value: `${CANARY}-one` } });
    expect(emu.stored('secret', 'dev/api/DB_PASSWORD')?.length).toBe(3);
    const kc = (await call('secrets:history', { ...target, secret: 'LOCAL' })) as {
      value: { supported: boolean; note: string };
    };
    expect(kc.value).toMatchObject({ supported: false, note: expect.stringContaining('keeps no version history') });
    expect(
      await call('secrets:restoreVersion', { ...target, secret: 'LOCAL', version: '1', confirmed: true }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('never sent a token back, nor a value except the one reveal', () => {
    const all = payloads.join('\n');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(`${CANARY}\nsecond`);
    expect(all).not.toContain(`${CANARY}-two`);
    expect(all.split(`${CANARY}-one`).length - 1).toBe(1);
  });
});
