// The SOPS module's public face: the file-level API the secrets engine calls, the in-memory codec, the tree
// model, key sources (age here; pgp/KMS plug in through KeySources), .sops.yaml rules, keygen and re-keying.
export { writeFileAtomic, type AtomicWriteOptions } from './atomic-write';
export { SopsError, isSopsError, type SopsErrorReason } from './errors';
export { MAX_SOPS_DEPTH, MAX_SOPS_FILE_BYTES } from './input-bounds';
export { readSopsFileKeys, unreadableWithout, usesAgeRecipient, type SopsFileKeys } from './file-keys';
export {
  DATA_KEY_SIZE,
  DEFAULT_DECRYPTION_ORDER,
  describeMasterKey,
  recoverDataKey,
  wrapDataKey,
  type KeySources,
} from './data-key';
export { formatGoFloat, leafToText } from './go-values';
export type { KeySource, MasterKeyEntry, MasterKeySpec, MasterKeyType } from './key-source';
export { SOPS_FORMAT_VERSION, parseMetadata, type SopsMetadata } from './metadata';
export { DEFAULT_UNENCRYPTED_SUFFIX, type EncryptionRule, type EncryptionRuleKind } from './rules';
export { shamirCombine, shamirSplit } from './shamir';
export {
  DecryptedSopsFile,
  decryptSopsBytes,
  encryptSopsDocuments,
  reencryptSopsFile,
  type DecryptOptions,
  type EncryptNewOptions,
  type ReencryptOptions,
} from './sops-codec';
export {
  createSopsFile,
  deleteSopsValue,
  getSopsValue,
  listSopsKeys,
  openSopsFile,
  setSopsValue,
  withFileLock,
  type CreateSopsFileOptions,
  type SetOptions,
  type KeyPathOptions,
  type SopsFileContent,
  type SopsInputValue,
  type SopsKeyInfo,
  type SopsKeyListing,
} from './sops-file';
export { STORES, SOPS_FORMATS, formatForPath, type SopsFormat, type StoreStyle } from './stores';
export {
  SopsComment,
  SopsTime,
  fromPlain,
  deletePath,
  getPath,
  isSopsList,
  isSopsMap,
  newList,
  newMap,
  setPath,
  toPlain,
  type SopsEntry,
  type SopsLeaf,
  type SopsList,
  type SopsMap,
  type SopsMapItem,
  type SopsNode,
} from './tree';
export * from './keysources/age';
export {
  SOPS_CONFIG_NAME,
  creationRuleFor,
  findSopsConfig,
  matchCreationRule,
  parseSopsConfig,
  rulePath,
  type CreationRule,
  type RecipientsFor,
  type SopsConfig,
} from './sops-config';
export {
  importAgeKeys,
  removeRecipientFromConfig,
  rulesListingRecipient,
  unrecordRecipient,
  type ImportAgeKeysOptions,
  type ImportAgeKeysResult,
} from './keygen';
export {
  keygen,
  mergeRecipientIntoConfig,
  pathRegexFromTemplate,
  recordExistingAgeKeys,
  recipientsOfKeyText,
  resolveAgeKeySink,
  type AgeKeySink,
  type SinkChoice,
  type KeygenOptions,
  type KeygenResult,
} from './keygen';
export { applyRekeyPlan, planRotate, planUpdateKeys, specOf, type KeyTarget, type RekeyPlan } from './rekey';
