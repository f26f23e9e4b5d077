// Files: the one atomic writer and cross-process file lock every writer uses. It sits at the bottom of the
// main layers beside `shared` (config, sops, secrets and the app may import it; it imports none of them).
export {
  PRIVATE_FILE_MODE,
  updateFileAtomic,
  writeFileAtomic,
  writePrivateFileAtomic,
  type AtomicWriteOptions,
} from './atomic-write';
export { crashPoint, setCrashPointHook, type CrashPointHook } from './crash-points';
export { FileError, isFileError, type FileErrorReason } from './errors';
export { LOCK_MAX_AGE_MS, LOCK_WAIT_MS, lockPathFor, withFileLock, type FileLockOptions } from './file-lock';
export { STALE_TEMP_MS, isTempName, sweepStaleTemps } from './temp-files';
export { resolveWriteTarget } from './write-target';
