// The process-layer lint rules hold: raw IPC only in src/main/ipc and src/preload, no Node or Electron in the
// renderer, no Electron in the core. Linting snippets through the project's own config keeps the rules honest.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../support/paths';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${file}` });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'fatal');
}

describe('layer lint rules', () => {
  it('refuses raw ipcMain outside src/main/ipc', async () => {
    expect(await ruleIds('src/main/secrets/x.ts', "import { ipcMain } from 'electron';\nexport const m = ipcMain;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src/main/ipc/x.ts', "import { ipcMain } from 'electron';\nexport const m = ipcMain;\n")).not.toContain('no-restricted-imports');
  });

  it('refuses raw ipcRenderer outside the preload', async () => {
    expect(await ruleIds('src/renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport const r = ipcRenderer;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src/preload/x.ts', "import { ipcRenderer } from 'electron';\nexport const r = ipcRenderer;\n")).not.toContain('no-restricted-imports');
  });

  it('keeps Node out of the renderer and Electron out of the core', async () => {
    expect(await ruleIds('src/renderer/x.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src/main/config/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain('no-restricted-imports');
  });
});
