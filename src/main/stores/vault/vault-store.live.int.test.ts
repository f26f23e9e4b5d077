// The Vault store against a real Vault, only when asked: ATMOS_LIVE_VAULT=1 with VAULT_ADDR and VAULT_TOKEN set
// (ATMOS_LIVE_VAULT_MOUNT, default `secret`, must be a KV v2 mount the token may write under `atmos-live-*`;
// VAULT_NAMESPACE is honoured). Everything written goes under a prefix unique to the run and is removed with
// all its versions (metadata delete) afterwards. Otherwise the suite is skipped, and says why.
import { randomBytes } from 'node:crypto';
import vault from 'node-vault';
import { describe, expect, it } from 'vitest';
import { runStoreConformance } from '../../../../test/support/store-conformance';
import { parseStoreConfig } from '../store-config';
import { vaultStoreFactory, VAULT_MAX_VALUE_BYTES, type VaultSecretStore } from './index';

const env = process.env;
const missing = [
  env['ATMOS_LIVE_VAULT'] === '1' ? undefined : 'ATMOS_LIVE_VAULT=1',
  env['VAULT_ADDR'] ? undefined : 'VAULT_ADDR',
  env['VAULT_TOKEN'] ? undefined : 'VAULT_TOKEN',
].filter((m): m is string => m !== undefined);
const live = missing.length === 0;
const reason = live ? 'running against VAULT_ADDR' : `skipped: set ${missing.join(', ')} to run against a real Vault`;
if (!live) console.info(`live Vault tests ${reason}`);

const mount = env['ATMOS_LIVE_VAULT_MOUNT'] ?? 'secret';
const prefix = `atmos-live-${randomBytes(4).toString('hex')}`;

function makeStore(): VaultSecretStore {
  return vaultStoreFactory({ env })(
    parseStoreConfig('live-vault', { kind: 'hashicorp/vault', options: { mount, prefix } }),
  ) as VaultSecretStore;
}

/** Removes every secret under the run's prefix, all versions (the store's own delete is a soft delete). */
async function purge(): Promise<void> {
  const client = vault({ endpoint: env['VAULT_ADDR'], token: env['VAULT_TOKEN'], debug: () => undefined });
  const walk = async (dir: string): Promise<void> => {
    let keys: string[];
    try {
      keys = ((await client.list(`${mount}/metadata/${dir}`)) as { data: { keys: string[] } }).data.keys;
    } catch {
      return; // nothing (left) under this folder
    }
    for (const key of keys) {
      if (key.endsWith('/')) await walk(`${dir}${key}`);
      else await client.delete(`${mount}/metadata/${dir}${key}`.split('/').map(encodeURIComponent).join('/'));
    }
  };
  await walk(`${prefix}/`);
}

describe.skipIf(!live)(`hashicorp/vault live (${reason})`, () => {
  runStoreConformance('hashicorp/vault against a real Vault', makeStore, {
    declared: { versions: true, getMany: true, statusMany: true, maxValueBytes: VAULT_MAX_VALUE_BYTES },
    cleanup: purge,
  });

  it('soft-deletes: the history survives a delete, and the next set is a new version', async () => {
    const store = makeStore();
    const p = { name: 'LIVE_HISTORY', scope: 'global' as const };
    await store.set(p, 'one');
    await store.set(p, 'two');
    expect(await store.delete(p)).toBe(true);
    expect(await store.status(p)).toBe('missing');
    expect(await store.getVersion(p, '1')).toBe('one');
    await store.set(p, 'three');
    expect((await store.versions(p)).map((v) => [v.version, v.current])).toEqual([
      ['3', true],
      ['2', false],
      ['1', false],
    ]);
    await purge();
  });
});
