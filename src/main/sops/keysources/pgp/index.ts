// The PGP (gpg) key source for SOPS files.
export { createPgpKeySource, normalizeFingerprint, rfc3339Seconds, type PgpKeySourceOptions } from './pgp-key-source';
export { createGpgRunner, parseGpgStderr, type GpgResult, type GpgRunner, type GpgStatus } from './gpg';
