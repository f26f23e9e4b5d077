import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors';
import {
  exportFileName,
  formatOfFile,
  MAX_IMPORT_BYTES,
  PickedFiles,
  readImportFile,
  workspaceFile,
} from './secret-files';

const dir = mkdtempSync(join(tmpdir(), 'atmos-secret-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return isAppError(e) ? e.code : 'not an AppError';
  }
  return 'no error';
}

describe('secret files for export and import', () => {
  it('reads .json as JSON and anything else as dotenv', () => {
    expect([
      formatOfFile('/a/x.JSON'),
      formatOfFile('/a/.env'),
      formatOfFile('/a/prod.env'),
      formatOfFile('/a/x'),
    ]).toEqual(['json', 'env', 'env', 'env']);
  });

  it('offers a file name made of the stack and component, safe on every OS', () => {
    expect(exportFileName('plat-ue2-dev', 'api', 'env')).toBe('plat-ue2-dev.api.env');
    expect(exportFileName('a/b:c', undefined, 'json')).toBe('a_b_c.json');
  });

  it('reads an import file up to its size limit, strictly UTF-8, naming the file in errors', async () => {
    const ok = join(dir, 'ok.env');
    writeFileSync(ok, 'A=1\n');
    expect(await readImportFile(ok)).toBe('A=1\n');
    const big = join(dir, 'big.env');
    writeFileSync(big, Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x41));
    expect(await codeOf(readImportFile(big))).toBe('BAD_REQUEST');
    const latin1 = join(dir, 'latin1.env');
    writeFileSync(latin1, Buffer.from([0x41, 0x3d, 0xe9, 0x0a]));
    expect(await codeOf(readImportFile(latin1))).toBe('YAML');
    expect(await codeOf(readImportFile(join(dir, 'none.env')))).toBe('NOT_FOUND');
    expect(await codeOf(readImportFile(dir))).toBe('BAD_REQUEST');
  });

  it('remembers a pick once, and forgets the oldest past its bound', () => {
    const picks = new PickedFiles();
    const pick = { path: '/x/a.env', stack: 's', component: undefined, format: 'env' as const };
    const first = picks.remember(pick);
    const ids = Array.from({ length: 16 }, () => picks.remember(pick));
    expect(() => picks.take(first)).toThrow('no longer known');
    expect(picks.take(ids[15] ?? '')).toEqual(pick);
    expect(() => picks.take(ids[15] ?? '')).toThrow('no longer known');
  });

  it('resolves a file inside the workspace only', () => {
    expect(workspaceFile('/w', 'stacks/a.yaml')).toBe('/w/stacks/a.yaml');
    expect(workspaceFile('/w', '/w/stacks/a.yaml')).toBe('/w/stacks/a.yaml');
    expect(() => workspaceFile('/w', '../etc/passwd')).toThrow('not a file of the open workspace');
    expect(() => workspaceFile('/w', '/etc/passwd')).toThrow('not a file of the open workspace');
    expect(() => workspaceFile('/w', '.')).toThrow('not a file of the open workspace');
  });
});
