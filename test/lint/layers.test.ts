// The lint rules hold: raw IPC only in src/main/ipc and src/preload, no Node or Electron in the renderer, no
// Electron in the core; the folder layers; no import cycles; exhaustive switches (type-aware). Linting snippets
// through the project's own config keeps the rules honest.
import { readdirSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../support/paths';

const eslint = new ESLint({ cwd: REPO_ROOT });
// The first type-aware lint builds the TypeScript program (seconds on a busy machine), so tests get room.
vi.setConfig({ testTimeout: 120_000 });

/**
 * A snippet is linted as if it were `file`. Type-aware parsing (the TypeScript project service) only knows files
 * on disk, so a path ending in `/*` names an existing source file of that folder (its index.ts, else the first
 * non-test module); the snippet replaces its text for this lint only.
 */
function onDisk(file: string): string {
  if (!file.endsWith('/*')) return file;
  const dir = file.slice(0, -2);
  const names = readdirSync(`${REPO_ROOT}/${dir}`)
    .filter((n) => /\.tsx?$/.test(n) && !/\.test\.tsx?$/.test(n) && !n.endsWith('.d.ts'))
    .sort();
  const chosen = names.includes('index.ts') ? 'index.ts' : names[0];
  if (!chosen) throw new Error(`no TypeScript module in ${dir} to lint a snippet as`);
  return posix.join(dir, chosen);
}

/** The rules that fire; a parse failure fails the test (it would hide every rule). */
async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${onDisk(file)}` });
  if (!result) throw new Error(`ESLint returned no result for ${file}`);
  const fatal = result.messages.find((m) => m.fatal);
  if (fatal) throw new Error(`${file}: ${fatal.message}`);
  return result.messages.map((m) => m.ruleId ?? 'unknown');
}

describe('layer lint rules', () => {
  it('refuses raw ipcMain outside src/main/ipc', async () => {
    expect(
      await ruleIds('src/main/secrets/*', "import { ipcMain } from 'electron';\nexport const m = ipcMain;\n"),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIds('src/main/ipc/*', "import { ipcMain } from 'electron';\nexport const m = ipcMain;\n"),
    ).not.toContain('no-restricted-imports');
  });

  it('refuses raw ipcRenderer outside the preload', async () => {
    expect(
      await ruleIds('src/renderer/*', "import { ipcRenderer } from 'electron';\nexport const r = ipcRenderer;\n"),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIds('src/preload/*', "import { ipcRenderer } from 'electron';\nexport const r = ipcRenderer;\n"),
    ).not.toContain('no-restricted-imports');
  });

  it('keeps Node out of the renderer and Electron out of the core', async () => {
    expect(
      await ruleIds('src/renderer/*', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n"),
    ).toContain('no-restricted-imports');
    expect(await ruleIds('src/main/config/*', "import { app } from 'electron';\nexport const a = app;\n")).toContain(
      'no-restricted-imports',
    );
  });
});

describe('folder layer lint rules', () => {
  const restricted = 'import-x/no-restricted-paths';

  it('keeps src/shared free of main, renderer, preload, Electron and Node', async () => {
    expect(
      await ruleIds(
        'src/shared/*',
        "import { loadWorkspace } from '../main/config';\nexport const l = loadWorkspace;\n",
      ),
    ).toContain(restricted);
    expect(await ruleIds('src/shared/*', "import { App } from '../renderer/App';\nexport const a = App;\n")).toContain(
      restricted,
    );
    expect(
      await ruleIds('src/shared/*', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n"),
    ).toContain('no-restricted-imports');
    expect(await ruleIds('src/shared/*', "import { join } from 'path';\nexport const j = join;\n")).toContain(
      'no-restricted-imports',
    );
    expect(await ruleIds('src/shared/*', "import { app } from 'electron';\nexport const a = app;\n")).toContain(
      'no-restricted-imports',
    );
    expect(await ruleIds('src/shared/*', "import { AppError } from './errors';\nexport const e = AppError;\n")).toEqual(
      [],
    );
  });

  it('keeps the config loader below stores, secrets, sops and auth', async () => {
    for (const layer of ['stores', 'secrets', 'sops', 'auth']) {
      expect(await ruleIds('src/main/config/*', `import * as m from '../${layer}';\nexport const x = m;\n`)).toContain(
        restricted,
      );
    }
    expect(
      await ruleIds(
        'src/main/config/*',
        "import { AppError } from '../../shared/errors';\nexport const e = AppError;\n",
      ),
    ).toEqual([]);
  });

  it('keeps stores and the SOPS core below the secrets engine', async () => {
    expect(await ruleIds('src/main/stores/*', "import * as s from '../secrets';\nexport const x = s;\n")).toContain(
      restricted,
    );
    expect(
      await ruleIds('src/main/sops/*', "import * as s from '../secrets/model/providers';\nexport const x = s;\n"),
    ).toContain(restricted);
    expect(await ruleIds('src/main/sops/*', "import * as c from '../config';\nexport const x = c;\n")).toEqual([]);
  });

  it('keeps src/main/files at the bottom: node:* and src/shared only, no Electron, no package', async () => {
    for (const from of [
      '../config',
      '../secrets',
      '../sops',
      '../stores',
      '../keychain',
      '../ipc',
      '../../renderer/App',
    ]) {
      expect(await ruleIds('src/main/files/*', `import * as m from '${from}';\nexport const x = m;\n`)).toContain(
        restricted,
      );
    }
    for (const pkg of ['electron', 'yaml', 'proper-lockfile']) {
      expect(await ruleIds('src/main/files/*', `import * as m from '${pkg}';\nexport const x = m;\n`)).toContain(
        'no-restricted-imports',
      );
    }
    expect(
      await ruleIds(
        'src/main/files/*',
        "import { AppError } from '../../shared/errors';\nimport { join } from 'node:path';\nimport { crashPoint } from './crash-points';\nexport const x = [AppError, join, crashPoint];\n",
      ),
    ).toEqual([]);
  });

  it("keeps the engine's model/ free of its operations, backends and SOPS provider", async () => {
    for (const from of ['../operations/list', '../backends/backend', '../sops-provider/sops-keys', '../service']) {
      expect(
        await ruleIds('src/main/secrets/model/*', `import * as m from '${from}';\nexport const x = m;\n`),
      ).toContain(restricted);
    }
    expect(
      await ruleIds(
        'src/main/secrets/operations/*',
        "import { byText } from '../model/ordering';\nexport const b = byText;\n",
      ),
    ).toEqual([]);
  });

  it('refuses an import cycle, but not a type-only one', async () => {
    // consumers.ts imports ordering.ts at runtime: ordering importing consumers back closes a cycle.
    const file = 'src/main/secrets/model/ordering.ts';
    expect(
      await ruleIds(file, "import { ConsumersIndex } from './consumers';\nexport const c = ConsumersIndex;\n"),
    ).toContain('import-x/no-cycle');
    expect(
      await ruleIds(file, "import type { ConsumersIndex } from './consumers';\nexport type C = ConsumersIndex;\n"),
    ).toEqual([]);
  });
});

describe('type-aware lint', () => {
  it('requires switches over a union to be exhaustive', async () => {
    const code = (cases: string): string =>
      `type Kind = 'a' | 'b';\nexport function f(k: Kind): number {\n  switch (k) {\n${cases}  }\n  return 0;\n}\n`;
    expect(await ruleIds('src/main/secrets/*', code("    case 'a':\n      return 1;\n"))).toContain(
      '@typescript-eslint/switch-exhaustiveness-check',
    );
    expect(
      await ruleIds('src/main/secrets/*', code("    case 'a':\n      return 1;\n    case 'b':\n      return 2;\n")),
    ).toEqual([]);
  });
});
