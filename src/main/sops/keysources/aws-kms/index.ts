// The AWS KMS key source for SOPS files.
export {
  createAwsKmsKeySource,
  defaultKmsClientFactory,
  type AwsKmsClientConfig,
  type AwsKmsKeySource,
  type AwsKmsKeySourceOptions,
  type KmsApi,
  type KmsClientFactory,
} from './aws-kms-key-source';
export { parseKmsArn, type KmsArn } from './arn';
export {
  assumedRoleProvider,
  sopsSessionName,
  stsAssumeRole,
  type AssumeRole,
  type AssumeRoleRequest,
  type AwsCredentials,
  type AwsCredentialsProvider,
} from './credentials';
export { mapAwsKmsError } from './errors';
