// The in-memory SecretStore double's public face.
export {
  MemorySecretStore,
  MEMORY_DEFAULT_MAX_VALUE_BYTES,
  type MemoryOperation,
  type MemoryStoreSettings,
} from './memory-store';
