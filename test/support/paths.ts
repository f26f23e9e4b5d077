// Where the repository and its test fixtures are (test/fixtures/README.md gives each one's source and licence).
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** SOPS vectors and keys written by the real `sops`; importing it fails loudly when they are missing. */
export { SOPS_FIXTURES as SOPS_TESTDATA } from '../../src/main/sops/testing/fixtures';
/** Atmos scenarios and goldens copied from cloudposse/atmos (see test/fixtures/README.md). */
export const ATMOS_TESTDATA = resolve(REPO_ROOT, 'test/fixtures/atmos');
