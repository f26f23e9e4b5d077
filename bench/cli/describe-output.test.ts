// `describe stacks` streamed (describeStacksEach into the CLI's documentWriter, entry by entry, in small chunks)
// prints byte-for-byte what the buffered form printed (formatDocument of describeStacks, or of the one stack -s
// named), on a bench estate and on the demo with its legacy !store line removed (as `import` leaves it).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeStacks, describeStacksEach, loadWorkspace, type Workspace } from '../../src/main/config';
import { documentWriter, formatDocument } from '../../src/cli/output';
import { atmosYaml, makeTree, TEST_ENV } from '../../test/support/fixtures/config/tree';
import { REPO_ROOT } from '../../test/support/paths';
import { DEFAULT_REPO } from '../config/generate';
import { generateSecretsEstate } from './estate';

const dir = mkdtempSync(join(tmpdir(), 'atmos-bench-describe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FORMATS = ['json', 'yaml'] as const;

function streamed(ws: Workspace, format: 'json' | 'yaml', only?: string): { text: string; writes: number } {
  const parts: string[] = [];
  // A small chunk, so entries are split across writes as they are on a large estate.
  const w = documentWriter(format, (t) => parts.push(t), { chunk: 512 });
  for (const [name, entry] of describeStacksEach(ws, {}, only)) w.entry(name, entry);
  w.end();
  return { text: parts.join(''), writes: parts.length };
}

async function estate(): Promise<Workspace> {
  const root = join(dir, 'estate');
  generateSecretsEstate(root, 'atmos-secrets-bench-describe', {
    ...DEFAULT_REPO,
    stacks: 6,
    componentsPerStack: 8,
    catalogSize: 4,
  });
  return loadWorkspace({ configPath: root, env: {} });
}

async function importedDemo(): Promise<Workspace> {
  const root = join(dir, 'demo');
  cpSync(join(REPO_ROOT, 'examples/demo'), root, { recursive: true });
  const file = join(root, 'stacks/catalog/api/defaults.yaml');
  const text = readFileSync(file, 'utf8');
  const legacy = 'CLIENT_SECRET: !store legacy atmos shared client_secret';
  expect(text).toContain(legacy);
  writeFileSync(
    file,
    text
      .split('\n')
      .filter((l) => !l.includes(legacy))
      .join('\n'),
  );
  return loadWorkspace({ configPath: root, env: {} });
}

describe('describe stacks, streamed', () => {
  it('prints the same bytes as the whole document on a bench estate, in a write per stack or more', async () => {
    const ws = await estate();
    expect(ws.stackNames()).toHaveLength(6);
    for (const format of FORMATS) {
      const out = streamed(ws, format);
      expect(out.text).toBe(formatDocument(describeStacks(ws), format));
      expect(out.writes).toBeGreaterThanOrEqual(6);
    }
  });

  it('prints the same bytes as the whole document on the demo, all stacks and -s', async () => {
    const ws = await importedDemo();
    const names = ws.stackNames();
    expect(names).toEqual(['plat-ue2-dev', 'plat-ue2-prod']);
    for (const format of FORMATS) {
      const all = describeStacks(ws);
      expect(streamed(ws, format).text).toBe(formatDocument(all, format));
      for (const name of names)
        expect(streamed(ws, format, name).text).toBe(formatDocument({ [name]: all[name] }, format));
    }
  });

  it('an empty result prints as the whole document did: {}', async () => {
    const root = makeTree({ 'atmos.yaml': atmosYaml(), 'stacks/empty.yaml': 'vars: {a: 1}\n' });
    const ws = await loadWorkspace({ configPath: root, env: TEST_ENV });
    expect(ws.stackNames()).toEqual(['empty']);
    for (const format of FORMATS) {
      expect(streamed(ws, format).text).toBe(formatDocument(describeStacks(ws), format));
      expect(streamed(ws, format, 'empty').text).toBe(formatDocument({ empty: describeStacks(ws)['empty'] }, format));
      expect(streamed(ws, format).text).toBe('{}\n');
    }
  });
});
