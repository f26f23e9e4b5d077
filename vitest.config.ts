// Three suites: unit (fast, no services), int (real keychain, CLIs, emulators), e2e (the renderer in a browser).
// The renderer's component tests (*.test.tsx) run in the unit suite, so `npm run test:unit` covers them; each
// starts with `// @vitest-environment happy-dom` (a DOM only where it is needed keeps the node tests fast).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/renderer/**/*.test.tsx', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'int',
          include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // The keychain and emulators are shared per run; one file at a time keeps them unsurprising.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.spec.ts'],
          environment: 'node',
          globalSetup: ['e2e/support/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
