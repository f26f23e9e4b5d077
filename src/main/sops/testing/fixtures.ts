// Where the SOPS test vectors live: test/fixtures/sops (real files written by Go sops, with their test keys;
// sources and licences in test/fixtures/README.md). The project stands alone: nothing is read from outside it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const SOPS_FIXTURES = resolve(import.meta.dirname, '../../../../test/fixtures/sops');

// A missing fixture folder fails every test that imports this, loudly, instead of letting them pass empty.
if (!existsSync(resolve(SOPS_FIXTURES, 'manifest.json'))) {
  throw new Error(`SOPS test vectors are missing: ${SOPS_FIXTURES}/manifest.json (see test/fixtures/README.md)`);
}
