// The Electron audit (scripts/audit-electron.mjs, `npm run test:audit`) must fail when it should: on an
// unjustified high or medium finding, and on a justification that no longer matches anything. Checked on a
// small, deliberately unsafe app written here; the real app's audit is the test:audit run itself.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const projectDir = resolve(import.meta.dirname, '../../..');

const UNSAFE_MAIN = `const { app, BrowserWindow } = require('electron');
app.whenReady().then(() => {
  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });
  win.loadFile('index.html');
});
`;

function audit(app: string, allow: unknown): { status: number | null; out: string } {
  const allowFile = join(app, '..', 'allow.json');
  writeFileSync(allowFile, JSON.stringify(allow));
  const r = spawnSync(
    process.execPath,
    [join(projectDir, 'scripts/audit-electron.mjs'), '--input', app, '--allow', allowFile],
    {
      cwd: projectDir,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function unsafeApp(): { dir: string; app: string } {
  const dir = mkdtempSync(join(tmpdir(), 'atmos-audit-fixture-'));
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'unsafe', main: 'main.js', devDependencies: { electron: '41.7.1' } }),
  );
  writeFileSync(join(app, 'main.js'), UNSAFE_MAIN);
  return { dir, app };
}

describe('Electron audit script', () => {
  it(
    'fails on an unjustified high finding and names it; passes once each is justified; fails on a stale justification',
    { timeout: 300_000 },
    () => {
      const { dir, app } = unsafeApp();
      try {
        const bare = audit(app, []);
        expect(bare.status).toBe(1);
        expect(bare.out).toMatch(/HIGH CONTEXT_ISOLATION_JS_CHECK at main\.js:3/);
        expect(bare.out).toContain('fix them or justify each');

        // Justify every high/medium finding the bare run reported: the audit then passes.
        const reported = [...bare.out.matchAll(/^\s+(HIGH|MEDIUM) (\S+) at ([^:\s]+)/gm)].map((m) => ({
          id: m[2],
          file: m[3],
          reason: 'fixture',
        }));
        expect(reported.length).toBeGreaterThan(1);
        const unique = reported.filter((e, i) => reported.findIndex((o) => o.id === e.id && o.file === e.file) === i);
        const justified = audit(app, unique);
        expect(justified.out).toContain('justified in');
        expect(justified.status).toBe(0);

        const stale = audit(app, [...unique, { id: 'NODE_INTEGRATION_JS_CHECK', file: 'gone.js', reason: 'was once' }]);
        expect(stale.status).toBe(1);
        expect(stale.out).toContain('allow-list entry NODE_INTEGRATION_JS_CHECK at gone.js matches no finding');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('refuses an allow-list entry without a reason', { timeout: 120_000 }, () => {
    const { dir, app } = unsafeApp();
    try {
      const r = audit(app, [{ id: 'NODE_INTEGRATION_JS_CHECK', file: 'main.js' }]);
      expect(r.status).toBe(1);
      expect(r.out).toContain('needs a non-empty "reason"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
