// The keychain store against the real OS keychain (gnome-keyring under a private D-Bus session on Linux, via
// scripts/with-keyring.mjs), under a service name unique to this run, removed afterwards.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { runStoreConformance } from '../../../../test/support/store-conformance';
import { KeytarKeychain } from '../../keychain/keytar-keychain';
import type { SecretPath } from '../paths';
import { KeychainSecretStore } from './keychain-store';
import { keychainMaxValueBytes } from './keychain-limits';

const service = `atmos-secrets-test-${randomBytes(6).toString('hex')}`;
const keychain = new KeytarKeychain(service);

afterAll(async () => {
  for (const account of await keychain.list()) await keychain.delete(account);
});

runStoreConformance('keychain over the OS keychain', () => new KeychainSecretStore({ name: 'keychain', keychain }), {
  declared: {
    versions: false,
    getMany: true,
    statusMany: true,
    presentNames: true,
    maxValueBytes: keychainMaxValueBytes(process.platform),
  },
  refusedPaths: [{ name: 'BAD\nNAME', scope: 'global' }],
  listing: {
    storeWithPrefix: (prefix) => new KeychainSecretStore({ name: 'keychain', keychain, prefix }),
    pageSize: 2,
    lastChanged: false,
  },
});

describe('keychain store on the OS keychain', () => {
  it('writes under the configured service with the Atmos account name', async () => {
    const store = new KeychainSecretStore({ name: 'keychain', keychain });
    const path: SecretPath = { name: 'INT_CHECK', scope: 'stack', stack: 'int-dev' };
    await store.set(path, 'value');
    expect(await keychain.list()).toContain('atmos/int/dev/INT_CHECK');
    expect(await keychain.get('atmos/int/dev/INT_CHECK')).toBe('"value"');
    expect(await store.delete(path)).toBe(true);
  });

  it('finds the service empty once the conformance suite has cleaned up after itself', async () => {
    // The suite's afterAll ran when its describe block finished, before this block.
    expect(await keychain.list()).toEqual([]);
  });
});
