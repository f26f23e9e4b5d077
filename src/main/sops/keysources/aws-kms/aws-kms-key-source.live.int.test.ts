// Opt-in: the AWS KMS key source against a real key. Runs only with ATMOS_LIVE_AWS=1 and ATMOS_LIVE_AWS_KMS_ARN set
// (credentials from the SDK's default chain, or AWS_PROFILE); otherwise it says why it skipped.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAwsKmsKeySource } from './index';

const arn = process.env.ATMOS_LIVE_AWS_KMS_ARN;
const enabled = process.env.ATMOS_LIVE_AWS === '1' && Boolean(arn);
if (!enabled) {
  console.log(
    'aws-kms live test skipped: set ATMOS_LIVE_AWS=1 and ATMOS_LIVE_AWS_KMS_ARN=<key ARN> to run it against real AWS KMS.',
  );
}

describe.skipIf(!enabled)('aws-kms key source (live AWS)', () => {
  it('round-trips a data key with an encryption context', async () => {
    const ks = createAwsKmsKeySource();
    try {
      const dataKey = new Uint8Array(randomBytes(32));
      const entry = await ks.wrap(dataKey, { type: 'kms', arn: arn!, context: { purpose: 'atmos-secrets-live-test' } });
      expect(Buffer.from(await ks.unwrap(entry)).equals(Buffer.from(dataKey))).toBe(true);
      await expect(ks.unwrap({ ...entry, context: { purpose: 'other' } })).rejects.toMatchObject({ code: 'CRYPTO' });
    } finally {
      ks.close();
    }
  });
});
