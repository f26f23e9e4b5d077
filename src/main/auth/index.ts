// Auth identities (atmos.yaml `auth:`) turned into SDK credentials for the secrets backends. No Electron here.
export {
  cloudOf,
  identityConfig,
  parseAuthSection,
  providerConfig,
  SUPPORTED_IDENTITY_KINDS,
  SUPPORTED_PROVIDER_KINDS,
  type AuthSection,
  type Cloud,
  type IdentityConfig,
  type ProviderConfig,
} from './config';
export {
  assumeRoleProvider,
  awsUserAccount,
  describeAwsError,
  keychainProvider,
  memoizedProvider,
  profileProvider,
  sdkStsAssume,
  staticProvider,
  type AwsCredentials,
  type AwsCredentialsProvider,
  type StsAssume,
  type StsAssumeRequest,
} from './aws-credentials';
export {
  azureClientSecretAccount,
  sdkAzureCredentials,
  type AzureClientSecretSpec,
  type AzureCredentialMaker,
  type AzureDefaultSpec,
  type TokenCredential,
} from './azure-credentials';
export { IdentityResolver, type GcpIdentityOptions, type IdentityResolverOptions } from './resolver';
