// SOPS writes go through the one atomic writer and file lock in src/main/files (kept here as a re-export so
// the sops module's public face does not change).
export { withFileLock, writeFileAtomic, type AtomicWriteOptions } from '../files';
