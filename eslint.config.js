// Lint: typescript-eslint's recommended rules plus type-aware exhaustive switches, React hooks rules, the
// process-layer rules from the architecture doc (raw ipcMain/ipcRenderer only in src/main/ipc and src/preload; no
// Node in the renderer), the folder layers (shared -> nothing; config -> no stores/secrets/sops/auth; stores and
// sops -> no secrets; the engine's model/ -> none of its other folders; src/main/files -> only node:* and
// src/shared) and no import cycles.
// test/lint/layers.test.ts proves each rule fires.
import { builtinModules } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';

const root = dirname(fileURLToPath(import.meta.url));

const rawIpc = {
  paths: [
    {
      name: 'electron',
      importNames: ['ipcMain', 'ipcRenderer'],
      message: 'Raw IPC lives only in src/main/ipc and src/preload; use handle() or the typed client.',
    },
  ],
};

/** Folder layers: a zone's target imports nothing from its `from` folders (paths from the repository root). */
const layers = [
  {
    target: './src/shared',
    from: ['./src/main', './src/renderer', './src/preload'],
    message: 'src/shared is shared by every process: it imports nothing from main, preload or renderer.',
  },
  {
    target: './src/main/config',
    from: ['./src/main/stores', './src/main/secrets', './src/main/sops', './src/main/auth'],
    message: 'The config loader sits below stores, secrets, sops and auth: it imports none of them.',
  },
  {
    target: ['./src/main/stores', './src/main/sops'],
    from: './src/main/secrets',
    message: 'Stores and the SOPS core sit below the secrets engine: they import nothing from it.',
  },
  {
    target: './src/main/files',
    from: ['./src/main', './src/renderer', './src/preload', './src/cli'],
    except: ['./files'],
    message: 'src/main/files sits at the bottom beside src/shared: it imports only node:* and src/shared.',
  },
  {
    target: './src/main/secrets/model',
    from: [
      './src/main/secrets/operations',
      './src/main/secrets/backends',
      './src/main/secrets/sops-provider',
      './src/main/secrets/service.ts',
      './src/main/secrets/compose.ts',
      './src/main/secrets/index.ts',
    ],
    message: "The engine's model/ (what is declared, where it lives) imports none of the engine's other folders.",
  },
];

/** Node's built-in modules, bare (`fs`) and prefixed (`node:fs`): src/shared runs in the renderer too. */
const nodeBuiltins = [...new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))].map((name) => ({
  name,
  message: 'src/shared runs in the renderer too: no Node built-ins.',
}));

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'e2e/artifacts/**', 'bench/results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'import-x': importX },
    settings: {
      // Which files import-x parses when it follows imports (no-cycle): TypeScript ones with the TS parser.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.node'] }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: layers }],
      // Type-only imports do not count (they vanish at runtime); ignoreExternal keeps the walk inside the repo.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', rawIpc],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Type-aware parsing (each file's own tsconfig, found by the project service) for the rules that need types.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src/shared runs in every process: no Electron.' }, ...nodeBuiltins],
          patterns: [{ group: ['keytar'], message: 'src/shared runs in the renderer too: no native modules.' }],
        },
      ],
    },
  },
  {
    // The atomic writer and lock: Electron-free and package-free, so every layer (and a crash-test child) can
    // load it. Its tests and testing/ helpers may use test tools.
    files: ['src/main/files/**'],
    ignores: ['src/main/files/**/*.test.ts', 'src/main/files/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!node:|\\.{1,2}/)',
              message: 'src/main/files imports only node:* and src/shared (no Electron, no packages).',
            },
          ],
        },
      ],
    },
  },
  {
    // src/main/index.ts and app/bootstrap.ts import the Electron namespace whole to inject it; they hand
    // ipcMain to ipc/register.ts and call no IPC themselves (bootstrap.test.ts checks the wiring).
    files: ['src/main/ipc/**', 'src/preload/**', 'src/main/index.ts', 'src/main/app/bootstrap.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', '**/main/**', 'keytar'],
              message: 'The renderer never sees Node or main-process code; ask over IPC.',
            },
          ],
        },
      ],
    },
  },
  {
    // The core stays free of Electron so the CLI, tests and benchmarks can use it.
    files: [
      'src/main/config/**',
      'src/main/secrets/**',
      'src/main/sops/**',
      'src/main/stores/**',
      'src/main/keychain/**',
      'src/main/auth/**',
      'src/cli/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'The core is Electron-free; Electron lives in src/main/app.' }] },
      ],
    },
  },
);
