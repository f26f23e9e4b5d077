// The global search on the bench's 1,000-stack x 50-component estate (bench/config/generate.ts) with three
// secrets declared on every component: every stack is searched, the answer is bounded however many match, and
// the first search's one walk over the model is reused by the next (measured here: about 4 s for the walk, then
// about 60 ms a search over its 150,000 rows; not asserted, tests never time). No backend is called (a keychain store whose
// keychain fails on any call).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REPO, generateRepo } from '../../../../bench/config/generate';
import { loadWorkspace } from '../../config';
import type { Keychain } from '../../keychain/keychain';
import { createSecretsService } from '../compose';
import type { SecretsService } from '../service';

const SECRETS_PER_COMPONENT = 3;
let root: string;
let service: SecretsService;
let keychainCalls = 0;

/** Any call fails the test: the search reads declarations only. */
const noKeychain = (): Keychain => {
  const fail = (): never => {
    keychainCalls++;
    throw new Error('the search called the keychain');
  };
  return { service: 'none', get: fail, set: fail, delete: fail, list: fail } as unknown as Keychain;
};

/** As e2e/estate.spec.ts: secrets on the estate's abstract bases, which every component inherits. */
function declareSecrets(dir: string): void {
  const atmosFile = join(dir, 'atmos.yaml');
  const atmos = parse(readFileSync(atmosFile, 'utf8')) as Record<string, unknown>;
  atmos['stores'] = { estate: { kind: 'keychain', options: { prefix: 'estate' } } };
  writeFileSync(atmosFile, stringify(atmos));
  const basesFile = join(dir, 'stacks/catalog/bases.yaml');
  const bases = parse(readFileSync(basesFile, 'utf8')) as {
    components: { terraform: Record<string, Record<string, unknown>> };
  };
  for (const [name, base] of Object.entries(bases.components.terraform)) {
    const vars: Record<string, unknown> = {};
    for (let i = 0; i < SECRETS_PER_COMPONENT; i++)
      vars[`TOKEN_${i}`] = { store: 'estate', description: `token ${i} of ${name}` };
    base['secrets'] = { vars };
  }
  writeFileSync(basesFile, stringify(bases));
}

beforeAll(async () => {
  root = join(mkdtempSync(join(tmpdir(), 'atmos-search-estate-')), 'estate');
  generateRepo(root, DEFAULT_REPO);
  declareSecrets(root);
  const ws = await loadWorkspace({ cwd: root, configPath: root, env: {} });
  service = createSecretsService(ws, { keychain: noKeychain, env: {} });
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('global search on a 1,000-stack estate', () => {
  it('counts every match across all stacks but answers only the limit, with progress per stack', async () => {
    const progress: number[] = [];
    const all = await service.search({ query: 'token_1', limit: 200, onProgress: (p) => progress.push(p.done) });
    expect(all.total).toBe(DEFAULT_REPO.stacks * DEFAULT_REPO.componentsPerStack);
    expect(all.hits).toHaveLength(200);
    expect(all.hits.every((h) => h.secret === 'TOKEN_1')).toBe(true);
    expect(progress.at(-1)).toBe(DEFAULT_REPO.stacks);
    const last = `-s${DEFAULT_REPO.stacks - 1}`;
    const one = await service.search({ query: `token_2 ${last}`, limit: 200 });
    expect(one.total).toBe(DEFAULT_REPO.componentsPerStack);
    expect(new Set(one.hits.map((h) => h.stack)).size).toBe(1);
    expect(one.hits[0]?.stack.endsWith(last)).toBe(true);
    expect(keychainCalls).toBe(0);
  }, 120_000);
});
