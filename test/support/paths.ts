// Where the repository and the shared test data are, for tests that read fixtures.
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** ../shared beside the checkout (CI lays a copy there). */
export const SHARED_DIR = resolve(REPO_ROOT, '../shared');
export const SOPS_TESTDATA = resolve(SHARED_DIR, 'testdata/sops');
/** Atmos scenarios and goldens copied from cloudposse/atmos (see test/fixtures/README.md). */
export const ATMOS_TESTDATA = resolve(REPO_ROOT, 'test/fixtures/atmos');
