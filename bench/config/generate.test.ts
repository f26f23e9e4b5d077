import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStacks, loadWorkspace } from '../../src/main/config/index';
import { generateRepo } from './generate';

describe('synthetic repository generator', () => {
  it('writes a loadable repository with the requested shape, each file read once', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bench-gen-')), 'repo');
    const repo = generateRepo(dir, { stacks: 12, componentsPerStack: 10, importDepth: 2, catalogSize: 2 });
    const ws = await loadWorkspace({ configPath: dir, env: { ATMOS_GIT_ROOT_BASEPATH: 'false' } });
    expect(ws.stackNames()).toHaveLength(12);
    // Every file is used here, and each is read once although most are imported by every stack.
    expect(ws.filesRead).toBe(repo.files);
    const all = describeStacks(ws);
    for (const stack of Object.values(all)) {
      const comps = Object.values(stack.components['terraform'] ?? {});
      expect(comps.filter((c) => c.metadata['type'] !== 'abstract')).toHaveLength(10);
      expect(comps.filter((c) => c.metadata['type'] === 'abstract')).toHaveLength(10);
    }
    const first = ws.stackNames()[0] ?? '';
    const c = ws.components(first).find((x) => !x.abstract);
    expect(describeComponent0(all, first, c?.name ?? '')).toMatchObject({ level1: 'l1', level2: 'l2', enabled: true });
  });
});

function describeComponent0(
  all: ReturnType<typeof describeStacks>,
  stack: string,
  name: string,
): Record<string, unknown> {
  return all[stack]?.components['terraform']?.[name]?.vars ?? {};
}
