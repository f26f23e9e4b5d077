// `mode: auto` and the credential chain: which backend the store builds, from which credentials, and why; the
// environment variables set and unset; forced modes; options refused. No 1Password call: the connectors record
// what they were asked to build.
import { describe, expect, it } from 'vitest';
import { MemoryKeychain } from '../../keychain/memory-keychain';
import { rejection } from '../../../../test/support/rejection';
import type { SecretPath } from '../paths';
import { parseStoreConfig } from '../store-config';
import { storeTokenAccount } from '../store-token';
import { onePasswordStoreFactory, type OnePasswordSecretStore, type OpBackend, type OpConnectors } from './index';

const emptyBackend = (mode: OpBackend['mode']): OpBackend => ({
  mode,
  listVaults: async () => [{ id: 'v1', title: 'Infra' }],
  listItems: async () => [],
  getItem: async () => undefined,
  getItems: async (_v, items) => items.map(() => undefined),
  createItem: async () => undefined,
  updateItem: async () => undefined,
  deleteItem: async () => undefined,
});

function setup(
  options: Record<string, unknown>,
  env: Record<string, string>,
  keychainToken?: string,
): { store: OnePasswordSecretStore; built: string[] } {
  const built: string[] = [];
  const keychain = new MemoryKeychain();
  if (keychainToken !== undefined) void keychain.set(storeTokenAccount('op'), keychainToken);
  const connectors: OpConnectors = {
    connect: async ({ host, token }) => {
      built.push(`connect ${host} ${token}`);
      return emptyBackend('connect');
    },
    serviceAccount: async (token) => {
      built.push(`service-account ${token}`);
      return emptyBackend('service-account');
    },
  };
  const store = onePasswordStoreFactory({ env, connectors, makeKeychain: () => keychain })(
    parseStoreConfig('op', { type: 'onepassword', options }),
  ) as OnePasswordSecretStore;
  return { store, built };
}

const path: SecretPath = { name: 'DB', scope: 'global', reference: 'op://Infra/db/password' };
const CONNECT_ENV = { OP_CONNECT_HOST: 'http://connect.local:8080', OP_CONNECT_TOKEN: 'ct-env' };

describe('onepassword mode: auto', () => {
  it('uses Connect when OP_CONNECT_HOST and OP_CONNECT_TOKEN are set, and says why', async () => {
    const { store, built } = setup({}, { ...CONNECT_ENV, OP_SERVICE_ACCOUNT_TOKEN: 'ops_env' });
    expect(await store.status(path)).toBe('missing');
    expect(built).toEqual(['connect http://connect.local:8080 ct-env']);
    expect((await store.modeChoice()).reason).toBe(
      'mode: auto, and a Connect host (OP_CONNECT_HOST (environment)) and token (OP_CONNECT_TOKEN (environment)) are present',
    );
  });

  it('uses the service account when the Connect variables are unset', async () => {
    const { store, built } = setup({}, { OP_SERVICE_ACCOUNT_TOKEN: 'ops_env' });
    expect(await store.status(path)).toBe('missing');
    expect(built).toEqual(['service-account ops_env']);
    expect(await store.modeChoice()).toEqual({
      mode: 'service-account',
      reason:
        'mode: auto, and no Connect host or token is set (connect_host/OP_CONNECT_HOST, connect_token/OP_CONNECT_TOKEN)',
    });
  });

  it('uses the service account when only the Connect host is set', async () => {
    const { store, built } = setup({}, { OP_CONNECT_HOST: 'http://c:8080', OP_SERVICE_ACCOUNT_TOKEN: 'ops_env' });
    await store.status(path);
    expect(built).toEqual(['service-account ops_env']);
    expect((await store.modeChoice()).reason).toContain('no Connect token');
  });

  it('options win over the environment; the keychain token is the last resort', async () => {
    const a = setup({ connect_host: 'http://opt:1', connect_token: 'ct-opt' }, CONNECT_ENV);
    await a.store.status(path);
    expect(a.built).toEqual(['connect http://opt:1 ct-opt']);
    const b = setup({ connect_host: 'http://opt:1' }, {}, 'from-keychain');
    await b.store.status(path);
    expect(b.built).toEqual(['connect http://opt:1 from-keychain']);
    expect((await b.store.modeChoice()).reason).toContain('token (OS keychain)');
    const c = setup({}, {}, 'ops_keychain');
    await c.store.status(path);
    expect(c.built).toEqual(['service-account ops_keychain']);
  });

  it('no token anywhere: AUTH naming the secret, the reference and every place a token can go, before any call', async () => {
    const { store, built } = setup({}, {});
    const e = await rejection(store.get(path));
    expect(e.code).toBe('AUTH');
    expect(e.message).toContain('"DB" (op://Infra/db/password)');
    expect(e.hint).toContain('OP_SERVICE_ACCOUNT_TOKEN');
    expect(e.hint).toContain('account store-token/op');
    expect(built).toEqual([]);
  });
});

describe('onepassword forced modes and options', () => {
  it('mode: service-account ignores a present Connect setup; mode: connect ignores a service-account token', async () => {
    const sa = setup({ mode: 'service-account' }, { ...CONNECT_ENV, OP_SERVICE_ACCOUNT_TOKEN: 'ops_env' });
    await sa.store.status(path);
    expect(sa.built).toEqual(['service-account ops_env']);
    const cn = setup({ mode: 'connect' }, { ...CONNECT_ENV, OP_SERVICE_ACCOUNT_TOKEN: 'ops_env' });
    await cn.store.status(path);
    expect(cn.built).toEqual(['connect http://connect.local:8080 ct-env']);
    expect((await cn.store.modeChoice()).reason).toBe('mode: connect is set');
  });

  it('mode: connect without a host is a CONFIG error', async () => {
    const { store } = setup({ mode: 'connect', connect_token: 't' }, {});
    const e = await rejection(store.get(path));
    expect(e.code).toBe('CONFIG');
    expect(e.hint).toContain('OP_CONNECT_HOST');
  });

  it('refuses unknown options and a bad mode, naming them', () => {
    expect(() => setup({ mode: 'magic' }, {})).toThrow(/options\.mode/);
    expect(() => setup({ vualt: 'x' }, {})).toThrow(/unknown option\(s\) vualt/);
  });

  it('the connection test reports the mode, why, and the vaults seen', async () => {
    const { store } = setup({ vault: 'Infra' }, { OP_SERVICE_ACCOUNT_TOKEN: 'ops_env' });
    expect(await store.testConnection()).toBe(
      'service-account (mode: auto, and no Connect host or token is set (connect_host/OP_CONNECT_HOST, connect_token/OP_CONNECT_TOKEN)); 1 vault visible, including the default vault "Infra"',
    );
    const noToken = await rejection(setup({}, {}).store.testConnection());
    expect(noToken.code).toBe('AUTH');
    expect(noToken.message).toMatch(/has no service-account token, so it cannot be reached$/);
    const missing = setup({ vault: 'Nope' }, { OP_SERVICE_ACCOUNT_TOKEN: 'ops_env' });
    expect((await rejection(missing.store.testConnection())).message).toContain('vault "Nope"');
  });
});
