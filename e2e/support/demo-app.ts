// One spec's app on a fresh demo copy: every test launches the app, opens the bundled demo in it, and closes the
// app after; the app's keychain service is emptied before and after so no test sees another's values.
import { afterEach, beforeEach } from 'vitest';
import { openDemo } from './demo';
import { clearAppKeychain } from './keychain';
import { launchApp, type LaunchedApp } from './launch';

/** The running test's app and the folder of its demo copy (read inside a test or hook, not at import time). */
export interface DemoSession<A extends LaunchedApp> {
  readonly app: A;
  readonly demo: string;
}

export interface DemoAppOptions<A extends LaunchedApp> {
  /** How to launch (default: `launchApp`; `launchBrowserApp` for the bridge's recorded IPC messages). */
  readonly launch?: () => Promise<A>;
  /** Runs after the demo is open, before the test: seeds values or files for it. */
  readonly seed?: (demo: string) => Promise<void>;
}

export function useDemoApp(): DemoSession<LaunchedApp>;
export function useDemoApp<A extends LaunchedApp>(options: DemoAppOptions<A>): DemoSession<A>;
export function useDemoApp<A extends LaunchedApp>(options: DemoAppOptions<A> = {}): DemoSession<A> {
  let app: A | undefined;
  let demo: string | undefined;
  const launch = options.launch ?? (launchApp as () => Promise<A>);
  beforeEach(async () => {
    await clearAppKeychain();
    app = await launch();
    demo = await openDemo(app.page);
    await options.seed?.(demo);
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    demo = undefined;
    await clearAppKeychain();
  });
  // Read inside a test or hook: the app is launched per test.
  const now = (): { app: A; demo: string } => {
    if (!app || demo === undefined) throw new Error('useDemoApp: no app outside a test (it is launched per test)');
    return { app, demo };
  };
  return {
    get app() {
      return now().app;
    },
    get demo() {
      return now().demo;
    },
  };
}
