// Opt-in: the gcp/secretmanager store against real Secret Manager. Runs only with ATMOS_LIVE_GCP=1 and
// ATMOS_LIVE_GCP_PROJECT set (credentials: application default credentials or GOOGLE_APPLICATION_CREDENTIALS;
// the identity needs roles/secretmanager.admin on that project); otherwise it prints why it skipped. It writes
// one secret under a random prefix and deletes it.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStoreConfig } from '../store-config';
import { SecretNotFoundError } from '../store-errors';
import { gcpSecretManagerStoreFactory, GcpSecretStore } from './index';

const project = process.env.ATMOS_LIVE_GCP_PROJECT;
const enabled = process.env.ATMOS_LIVE_GCP === '1' && Boolean(project);
const reason =
  'set ATMOS_LIVE_GCP=1 and ATMOS_LIVE_GCP_PROJECT=<project id> (with application default credentials allowed to manage secrets there) to run it against real Secret Manager';
if (!enabled) console.info(`gcp/secretmanager live test skipped: ${reason}.`);

describe.skipIf(!enabled)(`gcp/secretmanager store (live GCP${enabled ? '' : `: skipped, ${reason}`})`, () => {
  const prefix = `atmos-live-${randomBytes(4).toString('hex')}`;
  const path = { name: 'LIVE_CHECK', scope: 'instance', stack: 'live-test', component: 'probe' } as const;
  let store: GcpSecretStore;

  afterAll(async () => {
    if (!store) return;
    await store.delete(path).catch(() => undefined);
    await store.close();
  });

  it('sets, gets, lists versions, and deletes', async () => {
    const made = gcpSecretManagerStoreFactory()(
      parseStoreConfig('live', { kind: 'gcp/secretmanager', secret: true, options: { project_id: project, prefix } }),
    );
    if (!(made instanceof GcpSecretStore)) throw new Error('expected a GcpSecretStore');
    store = made;
    await store.set(path, 'first');
    await store.set(path, 'second ✓');
    expect(await store.get(path)).toBe('second ✓');
    expect(await store.status(path)).toBe('initialized');
    const versions = await store.versions(path);
    expect(versions.map((v) => v.current)).toEqual([true, false]);
    expect(await store.delete(path)).toBe(true);
    await expect(store.get(path)).rejects.toBeInstanceOf(SecretNotFoundError);
  });
});
