// Real folders and real fs.watch events (inotify on Linux); the debounce is short and each test waits for the
// reported change itself, never for a time.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkspaceWatcher, type WorkspaceChange } from './workspace-watch';

const made: string[] = [];
const watchers: WorkspaceWatcher[] = [];
afterEach(() => {
  watchers.splice(0).forEach((w) => w.stop());
  made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'atmos-watch-'));
  made.push(root);
  writeFileSync(join(root, 'atmos.yaml'), 'stacks: {}\n');
  mkdirSync(join(root, 'stacks', 'catalog'), { recursive: true });
  writeFileSync(join(root, 'stacks', 'dev.yaml'), 'vars: {}\n');
  mkdirSync(join(root, '.git', 'objects'), { recursive: true });
  mkdirSync(join(root, 'node_modules', 'x'), { recursive: true });
  return root;
}

function watcher(o: ConstructorParameters<typeof WorkspaceWatcher>[0] = {}): WorkspaceWatcher {
  const w = new WorkspaceWatcher({ debounceMs: 30, maxWaitMs: 500, ...o });
  watchers.push(w);
  return w;
}

function nextChange(w: WorkspaceWatcher): Promise<WorkspaceChange> {
  return new Promise((resolve) => {
    const off = w.onChange((c) => {
      off();
      resolve(c);
    });
  });
}

describe('WorkspaceWatcher', () => {
  it('watches every folder but hidden and dependency ones', async () => {
    const root = workspace();
    const w = watcher();
    await w.watch(root);
    // root, stacks, stacks/catalog
    expect(w.watchedFolders).toBe(3);
  });

  it('reports an edited stack file and atmos.yaml, relative to the root, as one debounced change', async () => {
    const root = workspace();
    const w = watcher();
    await w.watch(root);
    const change = nextChange(w);
    writeFileSync(join(root, 'stacks', 'dev.yaml'), 'vars: { stage: dev }\n');
    writeFileSync(join(root, 'atmos.yaml'), 'stacks: { base_path: stacks }\n');
    const got = await change;
    expect(got.root).toBe(root);
    expect(got.files).toEqual(expect.arrayContaining(['atmos.yaml', 'stacks/dev.yaml']));
  });

  it('ignores files that are not YAML or JSON and the atomic writer temp files', async () => {
    const root = workspace();
    const w = watcher();
    await w.watch(root);
    const change = nextChange(w);
    writeFileSync(join(root, 'README.md'), 'hi\n');
    writeFileSync(join(root, 'stacks', `.dev.yaml.host-1-abcdef012345.tmp`), 'x');
    writeFileSync(join(root, 'stacks', 'catalog', 'api.yaml'), 'components: {}\n');
    expect((await change).files).toEqual(['stacks/catalog/api.yaml']);
  });

  it('picks up a folder created later and the YAML written into it', async () => {
    const root = workspace();
    const w = watcher();
    await w.watch(root);
    const first = nextChange(w);
    mkdirSync(join(root, 'stacks', 'orgs'));
    await first;
    expect(w.watchedFolders).toBe(4);
    const second = nextChange(w);
    writeFileSync(join(root, 'stacks', 'orgs', 'prod.yaml'), 'vars: {}\n');
    expect((await second).files).toEqual(['stacks/orgs/prod.yaml']);
  });

  it('stays within its folder bound and says so once', async () => {
    const root = workspace();
    const warnings: string[] = [];
    const w = watcher({ maxDirs: 2, warn: (m) => warnings.push(m) });
    await w.watch(root);
    expect(w.watchedFolders).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('first 2 folders');
  });

  it('watching another folder forgets the first', async () => {
    const a = workspace();
    const b = workspace();
    const w = watcher();
    await w.watch(a);
    await w.watch(b);
    const change = nextChange(w);
    writeFileSync(join(a, 'atmos.yaml'), 'changed: true\n');
    writeFileSync(join(b, 'atmos.yaml'), 'changed: true\n');
    expect(await change).toEqual({ root: b, files: ['atmos.yaml'] });
  });
});
