// The 1Password store against a real account, only when asked: ATMOS_LIVE_ONEPASSWORD=1 with
// ATMOS_LIVE_ONEPASSWORD_VAULT (a shared vault the token may write) and a token: OP_SERVICE_ACCOUNT_TOKEN
// (service account), or OP_CONNECT_HOST and OP_CONNECT_TOKEN (Connect; mode: auto then picks it). Every item is
// titled `atmos-live-<run>-...` and the suite deletes what it wrote. Otherwise skipped, saying why.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runStoreConformance } from '../../../../test/support/store-conformance';
import type { SecretPath } from '../paths';
import { parseStoreConfig } from '../store-config';
import { onePasswordStoreFactory, OP_MAX_VALUE_BYTES, type OnePasswordSecretStore } from './index';

const env = process.env;
const hasToken = Boolean(env['OP_SERVICE_ACCOUNT_TOKEN']) || Boolean(env['OP_CONNECT_HOST'] && env['OP_CONNECT_TOKEN']);
const missing = [
  env['ATMOS_LIVE_ONEPASSWORD'] === '1' ? undefined : 'ATMOS_LIVE_ONEPASSWORD=1',
  env['ATMOS_LIVE_ONEPASSWORD_VAULT'] ? undefined : 'ATMOS_LIVE_ONEPASSWORD_VAULT',
  hasToken ? undefined : 'OP_SERVICE_ACCOUNT_TOKEN (or OP_CONNECT_HOST and OP_CONNECT_TOKEN)',
].filter((m): m is string => m !== undefined);
const live = missing.length === 0;
const reason = live ? 'running against a real account' : `skipped: set ${missing.join(', ')} to run against 1Password`;
if (!live) console.info(`live 1Password tests ${reason}`);

const vault = env['ATMOS_LIVE_ONEPASSWORD_VAULT'] ?? '';
const run = `atmos-live-${randomBytes(4).toString('hex')}`;

function makeStore(): OnePasswordSecretStore {
  return onePasswordStoreFactory({ env })(
    parseStoreConfig('live-op', { type: 'onepassword', options: { vault } }),
  ) as OnePasswordSecretStore;
}

describe.skipIf(!live)(`onepassword live (${reason})`, () => {
  runStoreConformance('onepassword against a real account', makeStore, {
    declared: { versions: false, getMany: true, statusMany: true, maxValueBytes: OP_MAX_VALUE_BYTES },
    referenceFor: (p: SecretPath) =>
      `op://${vault}/${run}-${p.scope}-${p.stack ?? 'none'}-${p.component ?? 'none'}/${p.name}`,
  });

  it('creates an item with a field, adds a second, and deletes the item with its last field', async () => {
    const store = makeStore();
    const a: SecretPath = { name: 'A', scope: 'global', reference: `${run}-crud/username` };
    const b: SecretPath = { name: 'B', scope: 'global', reference: `${run}-crud/password` };
    await store.set(a, 'user');
    await store.set(b, 'pass');
    expect(await store.getMany([a, b])).toEqual([
      { path: a, found: true, value: 'user' },
      { path: b, found: true, value: 'pass' },
    ]);
    expect(await store.delete(a)).toBe(true);
    expect(await store.delete(b)).toBe(true);
    expect(await store.status(b)).toBe('missing');
  });
});
