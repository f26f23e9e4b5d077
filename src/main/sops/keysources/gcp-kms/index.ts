// The GCP KMS key source for SOPS files.
export {
  createGcpKmsKeySource,
  defaultGcpKmsClientFactory,
  normalizeResourceId,
  type GcpDecryptRequest,
  type GcpEncryptRequest,
  type GcpKmsApi,
  type GcpKmsClientFactory,
  type GcpKmsClientOptions,
  type GcpKmsKeySource,
  type GcpKmsKeySourceOptions,
} from './gcp-kms-key-source';
export { crc32c } from './crc32c';
export { mapGcpKmsError } from './errors';
