// The aws/asm backend's registration: validates the store's options and builds an AsmSecretStore. The SDK is
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
import { AsmSecretStore, ASM_DEFAULT_RECOVERY_DAYS } from './asm-store';

export {
  AsmSecretStore,
  ASM_BATCH_SIZE,
  ASM_BATCH_CONCURRENCY,
  ASM_DEFAULT_RECOVERY_DAYS,
  ASM_MAX_VALUE_BYTES,
  type AsmDeletion,
  type AsmSecretVersion,
  type AsmStoreSettings,
} from './asm-store';

const asmOptionsSchema = awsOptionsSchema.extend({
  /** Days a deleted secret can be restored (7-30, AWS's default 30); 0 deletes at once, without recovery. */
  recovery_window_days: z
    .number()
    .int()
    .refine((d) => d === 0 || (d >= 7 && d <= 30), 'must be 0 (no recovery) or 7 to 30 days')
    .optional(),
  /** The KMS key new secrets are encrypted with (default: aws/secretsmanager). */
  kms_key_id: z.string().min(1).optional(),
});

export function asmStoreFactory(deps: AwsStoreDeps = {}): StoreFactory {
  return (config) => {
    const o = parseAwsOptions(config, asmOptionsSchema);
    const common = commonSettings(o);
    return new AsmSecretStore({
      name: config.name,
      common,
      recoveryWindowDays: o.recovery_window_days ?? ASM_DEFAULT_RECOVERY_DAYS,
      kmsKeyId: o.kms_key_id,
      credentials: storeCredentials(config, deps),
      policy: awsCallPolicy(common, deps),
      location: config.location,
    });
  };
}
