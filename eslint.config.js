// Lint: typescript-eslint's type-aware recommended rules, React hooks rules, and the process-layer rules
// from the architecture doc (raw ipcMain/ipcRenderer only in src/main/ipc and src/preload; no Node in the renderer).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const rawIpc = {
  paths: [
    {
      name: 'electron',
      importNames: ['ipcMain', 'ipcRenderer'],
      message: 'Raw IPC lives only in src/main/ipc and src/preload; use handle() or the typed client.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'e2e/artifacts/**', 'bench/results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', rawIpc],
      eqeqeq: ['error', 'smart'],
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
            { group: ['node:*', 'electron', '**/main/**', 'keytar'], message: 'The renderer never sees Node or main-process code; ask over IPC.' },
          ],
        },
      ],
    },
  },
  {
    // The core stays free of Electron so the CLI, tests and benchmarks can use it.
    files: ['src/main/config/**', 'src/main/secrets/**', 'src/main/sops/**', 'src/main/stores/**', 'src/main/keychain/**', 'src/main/auth/**', 'src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The core is Electron-free; Electron lives in src/main/app.' }] }],
    },
  },
);
