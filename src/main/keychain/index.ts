// The keychain module's public face.
export { DEFAULT_KEYCHAIN_SERVICE, type Keychain } from './keychain';
export { KeytarKeychain, keychainError } from './keytar-keychain';
export { MemoryKeychain } from './memory-keychain';
