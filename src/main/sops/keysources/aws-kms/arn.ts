// AWS KMS key ARNs as sops accepts them: a key or an alias ARN; the region in the ARN picks the KMS endpoint.
import { AppError } from '../../../../shared/errors';

export interface KmsArn {
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly resource: 'key' | 'alias';
}

const ARN_RE = /^arn:(aws[\w-]*):kms:([a-z0-9-]+):(\d{12}):(key|alias)\/.+$/;

/** Parses a KMS ARN; sops trims spaces around each ARN of a comma-separated list, so we trim too. */
export function parseKmsArn(raw: string): KmsArn {
  const arn = raw.trim();
  const m = ARN_RE.exec(arn);
  if (!m) {
    throw new AppError('CONFIG', `"${arn}" is not an AWS KMS key ARN.`, {
      hint: 'Use a key or alias ARN, e.g. arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
  }
  return { arn, partition: m[1]!, region: m[2]!, account: m[3]!, resource: m[4] === 'alias' ? 'alias' : 'key' };
}
