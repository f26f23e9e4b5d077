// The keychain store over MemoryKeychain: the conformance suite, Atmos-compatible naming and encoding, limits, options.
import { describe, expect, it } from 'vitest';
import { runStoreConformance } from '../../../../test/support/store-conformance';
import type { Keychain } from '../../keychain/keychain';
import { MemoryKeychain } from '../../keychain/memory-keychain';
import { CountingKeychain } from '../../../../test/support/keychain';
import { keychainMaxValueBytes } from './keychain-limits';
import type { SecretPath } from '../paths';
import { SecretNotFoundError, ValueTooLargeError } from '../store-errors';
import { parseStoreConfig } from '../store-config';
import { keychainStoreFactory } from './index';
import { KeychainSecretStore } from './keychain-store';
import { decodeKeychainValue, encodeKeychainValue } from './keychain-value';

let counting = new CountingKeychain();
const shared = new MemoryKeychain();
const sharedWin = new MemoryKeychain();
runStoreConformance(
  'keychain over MemoryKeychain',
  () => {
    counting = new CountingKeychain();
    return new KeychainSecretStore({ name: 'keychain', keychain: counting, platform: 'linux' });
  },
  {
    declared: {
      versions: false,
      getMany: true,
      statusMany: true,
      presentNames: true,
      maxValueBytes: keychainMaxValueBytes('linux'),
    },
    refusedPaths: [
      { name: 'BAD\nNAME', scope: 'global' },
      { name: 'K'.repeat(600), scope: 'global' },
    ],
    backendCalls: () => counting.total(),
    listing: {
      // One keychain for both prefixes, as a real service holds every store's accounts.
      storeWithPrefix: (prefix) =>
        new KeychainSecretStore({ name: 'keychain', keychain: shared, prefix, platform: 'linux' }),
      pageSize: 2,
      lastChanged: false,
    },
  },
);

runStoreConformance(
  'keychain over MemoryKeychain with Windows limits',
  () => new KeychainSecretStore({ name: 'keychain', keychain: new MemoryKeychain(), platform: 'win32' }),
  {
    declared: {
      versions: false,
      getMany: true,
      statusMany: true,
      presentNames: true,
      maxValueBytes: keychainMaxValueBytes('win32'),
    },
    listing: {
      storeWithPrefix: (prefix) =>
        new KeychainSecretStore({ name: 'keychain', keychain: sharedWin, prefix, platform: 'win32' }),
      pageSize: 2,
      lastChanged: false,
    },
  },
);

const path: SecretPath = { name: 'DB_PASSWORD', scope: 'instance', stack: 'plat-ue2-dev', component: 'app' };

describe('KeychainSecretStore', () => {
  it('lists the accounts under its prefix, leaving out the SOPS age keys kept there and other prefixes', async () => {
    const keychain = new MemoryKeychain();
    const store = new KeychainSecretStore({ name: 'kc', keychain, prefix: 'fx' });
    await store.set(path, 'v');
    await keychain.set('fx/sops-age/vault', 'AGE-SECRET-KEY-1...');
    await keychain.set('fx/sops-age/team/vault', 'AGE-SECRET-KEY-1...');
    await keychain.set('fxx/plat/ue2/dev/app/X', '"x"');
    await keychain.set('store-token/vault', 't');
    const entries = [];
    for await (const e of store.listManaged()) entries.push(e);
    expect(entries).toEqual([
      {
        name: 'fx/plat/ue2/dev/app/DB_PASSWORD',
        segments: ['plat', 'ue2', 'dev', 'app', 'DB_PASSWORD'],
        lastChanged: undefined,
      },
    ]);
  });

  it('writes service atmos-secrets, account atmos/<stack segments>/<component>/<NAME>, value JSON-encoded', async () => {
    const keychain = new MemoryKeychain();
    const store = new KeychainSecretStore({ name: 'kc', keychain });
    await store.set(path, 'hunter2');
    expect(keychain.service).toBe('atmos-secrets');
    expect(await keychain.list()).toEqual(['atmos/plat/ue2/dev/app/DB_PASSWORD']);
    expect(await keychain.get('atmos/plat/ue2/dev/app/DB_PASSWORD')).toBe('"hunter2"');
  });

  it('reads entries Atmos or other tools wrote', async () => {
    const keychain = new MemoryKeychain();
    const store = new KeychainSecretStore({ name: 'kc', keychain });
    const account = store.locate(path);
    await keychain.set(account, '{"user":"app"}');
    expect(await store.get(path)).toBe('{"user":"app"}');
    await keychain.set(account, 'raw token, not JSON');
    expect(await store.get(path)).toBe('raw token, not JSON');
  });

  it.each([
    ['"plain"', 'plain'],
    ['"line\\nbreak"', 'line\nbreak'],
    ['42', '42'],
    ['{"a":1}', '{"a":1}'],
    ['not json', 'not json'],
    ['', ''],
  ])('decodes %j as %j', (raw, value) => {
    expect(decodeKeychainValue(raw)).toBe(value);
  });

  it('encodes every string as a JSON string', () => {
    expect(encodeKeychainValue('a"b\n')).toBe('"a\\"b\\n"');
  });

  it('refuses a value whose JSON form outgrows Windows Credential Manager, without the value in the message', async () => {
    const store = new KeychainSecretStore({ name: 'kc', keychain: new MemoryKeychain(), platform: 'win32' });
    expect(store.capabilities.maxValueBytes).toBe(2558);
    const newlines = '\n'.repeat(2000); // 2000 bytes plain, 4002 encoded
    const e = await store.set(path, newlines).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValueTooLargeError);
    expect((e as ValueTooLargeError).message).toMatch(
      /Windows Credential Manager, after JSON encoding, holds at most 2560 bytes/,
    );
  });

  it('checks the status of a whole listing with one keychain listing, never one read per secret', async () => {
    const keychain = new CountingKeychain();
    const store = new KeychainSecretStore({ name: 'kc', keychain });
    const paths: SecretPath[] = Array.from({ length: 500 }, (_, i) => ({ ...path, name: `S_${i}` }));
    for (const p of paths.slice(0, 250)) await store.set(p, 'v');
    const before = { ...keychain.calls };
    const statuses = await store.statusMany(paths);
    expect(statuses.filter((s) => s === 'initialized')).toHaveLength(250);
    expect(statuses.slice(248, 252)).toEqual(['initialized', 'initialized', 'missing', 'missing']);
    expect(keychain.calls.list - before.list).toBe(1);
    expect(keychain.calls.get - before.get).toBe(0);
  });

  it('reads the values of a whole batch with one keychain call, never one read per secret', async () => {
    const keychain = new CountingKeychain();
    const store = new KeychainSecretStore({ name: 'kc', keychain });
    const paths: SecretPath[] = Array.from({ length: 500 }, (_, i) => ({ ...path, name: `S_${i}` }));
    for (const p of paths.slice(0, 250)) await store.set(p, `value-${p.name}`);
    await keychain.set('atmos/other/NOT_ASKED', '"unrelated"');
    const before = { ...keychain.calls };
    const results = await store.getMany(paths);
    expect(keychain.calls.getMany - before.getMany).toBe(1);
    expect(keychain.calls.get - before.get).toBe(0);
    expect(results.map((r) => r.path)).toEqual(paths);
    expect(results.slice(248, 252)).toEqual([
      { path: paths[248], found: true, value: 'value-S_248' },
      { path: paths[249], found: true, value: 'value-S_249' },
      { path: paths[250], found: false },
      { path: paths[251], found: false },
    ]);
    expect(store.capabilities.batchSize).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('uses the service and prefix from the store options', async () => {
    const opened: string[] = [];
    const keychains = new Map<string, Keychain>();
    const factory = keychainStoreFactory({
      makeKeychain: (service) => {
        opened.push(service);
        const k = new MemoryKeychain(service);
        keychains.set(service, k);
        return k;
      },
    });
    const store = factory(
      parseStoreConfig('kc', {
        kind: 'keychain',
        options: { service: 'team-secrets', prefix: 'team', stack_delimiter: '_' },
      }),
    );
    await store.set(path, 'v');
    expect(opened).toEqual(['team-secrets']);
    expect(await keychains.get('team-secrets')?.list()).toEqual(['team/plat-ue2-dev/app/DB_PASSWORD']);
    await expect(store.get({ ...path, name: 'OTHER' })).rejects.toBeInstanceOf(SecretNotFoundError);
  });

  it('refuses keyring backends other than the OS keychain, and bad option types', () => {
    const factory = keychainStoreFactory({ makeKeychain: (s) => new MemoryKeychain(s) });
    const location = { file: 'atmos.yaml', line: 7 };
    expect(() => factory(parseStoreConfig('kc', { type: 'keychain', options: { backend: 'file' } }, location))).toThrow(
      /store "kc" \(keychain\) has invalid options: options.backend: only "system"/,
    );
    expect(() => factory(parseStoreConfig('kc', { type: 'keychain', options: { service: 42 } }))).toThrow(
      /options.service/,
    );
  });
});
