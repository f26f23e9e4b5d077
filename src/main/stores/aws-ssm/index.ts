// The aws/ssm backend's registration: validates the store's options and builds an SsmSecretStore. The SDK is
// loaded by the store on its first call, never here.
import { z } from 'zod';
import type { StoreFactory } from '../store-factory';
import {
  awsCallPolicy,
  awsOptionsSchema,
  commonSettings,
  parseAwsOptions,
  storeCredentials,
  type AwsStoreDeps,
} from '../aws-common';
import { SsmSecretStore } from './ssm-store';

export {
  SsmSecretStore,
  SSM_ADVANCED_MAX_BYTES,
  SSM_BATCH_SIZE,
  SSM_BATCH_CONCURRENCY,
  SSM_STANDARD_MAX_BYTES,
  type SsmSecretVersion,
  type SsmStoreSettings,
  type SsmTier,
} from './ssm-store';

const ssmOptionsSchema = awsOptionsSchema.extend({
  /** Advanced parameters hold 8 KB instead of 4 KB (and cost money). */
  tier: z.enum(['Standard', 'Advanced']).optional(),
  /** The KMS key of SecureString values (default: alias/aws/ssm). */
  kms_key_id: z.string().min(1).optional(),
});

export function ssmStoreFactory(deps: AwsStoreDeps = {}): StoreFactory {
  return (config) => {
    const o = parseAwsOptions(config, ssmOptionsSchema);
    const common = commonSettings(o);
    return new SsmSecretStore({
      name: config.name,
      secret: config.secret,
      common,
      tier: o.tier,
      kmsKeyId: o.kms_key_id,
      credentials: storeCredentials(config, deps),
      policy: awsCallPolicy(common, deps),
      location: config.location,
    });
  };
}
