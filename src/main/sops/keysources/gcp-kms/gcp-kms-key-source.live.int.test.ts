// Opt-in: the GCP KMS key source against a real key. Runs only with ATMOS_LIVE_GCP=1 and ATMOS_LIVE_GCP_KMS_KEY set
// (application default credentials, or GOOGLE_CREDENTIALS); otherwise it says why it skipped.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createGcpKmsKeySource } from './index';

const resourceId = process.env.ATMOS_LIVE_GCP_KMS_KEY;
const enabled = process.env.ATMOS_LIVE_GCP === '1' && Boolean(resourceId);
if (!enabled) {
  console.log(
    'gcp-kms live test skipped: set ATMOS_LIVE_GCP=1 and ATMOS_LIVE_GCP_KMS_KEY=projects/P/locations/L/keyRings/R/cryptoKeys/K to run it against real Cloud KMS.',
  );
}

describe.skipIf(!enabled)('gcp-kms key source (live GCP)', () => {
  it('round-trips a data key', async () => {
    const ks = createGcpKmsKeySource();
    try {
      const dataKey = new Uint8Array(randomBytes(32));
      const entry = await ks.wrap(dataKey, { type: 'gcp_kms', resource_id: resourceId! });
      expect(Buffer.from(await ks.unwrap(entry)).equals(Buffer.from(dataKey))).toBe(true);
    } finally {
      await ks.close();
    }
  });
});
