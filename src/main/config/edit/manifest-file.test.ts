import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFileError } from '../../files';
import { ManifestChangedError, readManifest, saveManifest, unifiedDiff } from './manifest-file';
import { setIn } from './yaml-edit';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'manifest-edit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('saveManifest', () => {
  it('writes the edited text over the file read', async () => {
    const file = join(dir, 'stack.yaml');
    writeFileSync(file, '# keep\nvars:\n  a: 1\n');
    const read = await readManifest(file);
    const next = setIn(read.text, file, { doc: 0, keys: ['vars', 'b'] }, 2);
    await saveManifest(read, next);
    expect(readFileSync(file, 'utf8')).toBe('# keep\nvars:\n  a: 1\n  b: 2\n');
  });

  it('stops when the file changed on disk since it was read, and leaves the other edit whole', async () => {
    const file = join(dir, 'stack.yaml');
    writeFileSync(file, 'vars:\n  a: 1\n');
    const read = await readManifest(file);
    const next = setIn(read.text, file, { doc: 0, keys: ['vars', 'b'] }, 2);
    writeFileSync(file, 'vars:\n  a: 1\n  edited: elsewhere\n');
    const err = await saveManifest(read, next).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ManifestChangedError);
    expect(isFileError(err, 'changed')).toBe(true);
    expect((err as ManifestChangedError).code).toBe('BACKEND');
    expect((err as ManifestChangedError).message).toContain('changed on disk');
    expect(readFileSync(file, 'utf8')).toBe('vars:\n  a: 1\n  edited: elsewhere\n');
  });

  it('creates a new manifest 0644, and refuses when one appeared meanwhile', async () => {
    const file = join(dir, 'new.yaml');
    const read = await readManifest(file);
    expect(read.exists).toBe(false);
    await saveManifest(read, 'secrets:\n  vars: {}\n');
    expect(readFileSync(file, 'utf8')).toBe('secrets:\n  vars: {}\n');
    expect(statSync(file).mode & 0o777).toBe(0o644);
    const other = join(dir, 'other.yaml');
    const absent = await readManifest(other);
    writeFileSync(other, 'a: 1\n');
    await expect(saveManifest(absent, 'b: 2\n')).rejects.toBeInstanceOf(ManifestChangedError);
    expect(readFileSync(other, 'utf8')).toBe('a: 1\n');
  });
});

describe('unifiedDiff', () => {
  it('shows the change with context, the path relative to the workspace', () => {
    const d = unifiedDiff(join(dir, 'stacks/a.yaml'), 'x: 1\ny: 2\n', 'x: 1\ny: 3\n', dir);
    expect(d).toContain('--- a/stacks/a.yaml');
    expect(d).toContain('+++ b/stacks/a.yaml');
    expect(d).toContain('-y: 2\n+y: 3\n');
    expect(d).toContain(' x: 1\n');
  });
});
