// `npm start` without Electron's binary says so in one sentence with the command that fetches it.
// The check runs against an empty stand-in `electron` package folder, so the test means the same on a
// machine where the real binary is installed.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const projectDir = resolve(import.meta.dirname, '../../..');

function start(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(pkg.scripts['start']).toBe('node scripts/start.mjs');
  const r = spawnSync(process.execPath, [join(projectDir, 'scripts/start.mjs')], {
    cwd: projectDir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm start', () => {
  it('without the binary: one sentence naming the command that fetches it, exit 1, nothing built', () => {
    const empty = mkdtempSync(join(tmpdir(), 'atmos-electron-pkg-'));
    try {
      const r = start({ ATMOS_ELECTRON_PACKAGE_DIR: empty });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Electron's binary is not installed .*fetch it with `node .*install\.js`/);
      expect(r.stderr).not.toMatch(/uninstall/i);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('treats an ELECTRON_OVERRIDE_DIST_PATH without the binary as missing too', () => {
    const empty = mkdtempSync(join(tmpdir(), 'atmos-electron-dist-'));
    try {
      const r = start({ ATMOS_ELECTRON_PACKAGE_DIR: empty, ELECTRON_OVERRIDE_DIST_PATH: empty });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("Electron's binary is not installed");
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
