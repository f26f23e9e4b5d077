// The app's IPC router over a workspace folder, as main builds it (createServices, createAppRouter), with memory
// keychains: for the handler tests that go through the real router. `TRUSTED_SENDER` is the app's own window.
import { join } from 'node:path';
import { vi } from 'vitest';
import { createAppRouter, trustRendererUrl, type IpcRouter } from '../../src/main/ipc';
import { createServices } from '../../src/main/services';
import { REPO_ROOT } from './paths';
import { MemoryKeychains } from './secrets-workspace';

const APP_URL = 'file:///app/index.html';

export const TRUSTED_SENDER = { url: APP_URL, isMainFrame: true, isOwnWindow: true };

/** The router for `dir` (its user data under `dir/.userdata`), on `keychains` (the test keeps them to look in). */
export function memoryAppRouter(dir: string, keychains: MemoryKeychains = new MemoryKeychains()): IpcRouter {
  const services = createServices({
    version: '0',
    keychain: keychains.get('atmos-secrets'),
    keychainFor: (s) => keychains.get(s),
    userDataDir: join(dir, '.userdata'),
    demoDir: join(REPO_ROOT, 'examples/demo'),
  });
  return createAppRouter(services, trustRendererUrl(APP_URL));
}

/**
 * The AWS SDK's default chain as the app uses it, pointed at an emulator: credentials from the environment
 * (`key`: the emulator's), the host's AWS files and the instance metadata kept out. vi.stubEnv: undone by
 * vi.unstubAllEnvs or the config's unstubEnvs.
 */
export function stubAwsEmulatorEnv(dir: string, key: string): void {
  vi.stubEnv('AWS_ACCESS_KEY_ID', key);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'emulator-secret');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_PROFILE', '');
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'no-aws-config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'no-aws-credentials'));
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
}

/** A router's answer as the renderer receives it. */
export type Envelope =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; error: { code: string; message: string } };

/**
 * Calls through a router as the app's window, keeping every payload the renderer would receive (progress events
 * and answers) as JSON, so a test can show a value crossed IPC once or never. `router`: read at each call (tests
 * build it in beforeAll).
 */
export class RecordedCalls {
  readonly payloads: string[] = [];

  constructor(private readonly router: () => IpcRouter) {}

  // Arrow properties, so a test can destructure them: `const { call, value } = new RecordedCalls(...)`.
  readonly call = async (channel: string, request: unknown): Promise<Envelope> => {
    const result = (await this.router().dispatch(channel, request, TRUSTED_SENDER, (e) =>
      this.payloads.push(JSON.stringify(e)),
    )) as Envelope;
    this.payloads.push(JSON.stringify(result));
    return result;
  };

  /** The answer's value; an error answer throws with its code and message. */
  readonly value = async (channel: string, request: unknown): Promise<Record<string, unknown>> => {
    const r = await this.call(channel, request);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
}
