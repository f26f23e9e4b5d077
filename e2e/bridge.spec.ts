// The loopback bridge is test-only, but it must hold the same line as Electron's IPC: no token, no answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryKeychain } from '../src/main/keychain/memory-keychain';
import { createServices } from '../src/main/services';
import { REPO_ROOT } from '../test/support/paths';
import { BRIDGE_PATH, startBridgeServer, type BridgeServer } from './support/bridge-server';

let server: BridgeServer;
beforeAll(async () => {
  const services = createServices({
    version: '0',
    keychain: new MemoryKeychain(),
    keychainFor: (service) => new MemoryKeychain(service),
    userDataDir: mkdtempSync(join(tmpdir(), 'atmos-bridge-')),
    demoDir: join(REPO_ROOT, 'examples/demo'),
  });
  server = await startBridgeServer(join(REPO_ROOT, 'out/renderer'), services);
});
afterAll(() => server.close());

async function invoke(headers: Record<string, string>, body: unknown): Promise<unknown> {
  const res = await fetch(new URL(`${BRIDGE_PATH}/invoke`, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return res.json();
}

describe('e2e bridge', () => {
  const origin = (): string => new URL(server.url).origin;

  it('listens on loopback only', () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
  });

  it('answers the page that holds the token', async () => {
    expect(
      await invoke({ origin: origin(), 'x-atmos-bridge-token': server.token }, { channel: 'keys:list', request: {} }),
    ).toEqual({
      ok: true,
      value: { service: 'atmos-secrets', names: [] },
    });
  });

  it('refuses a request without the token, or from another origin', async () => {
    expect(await invoke({ origin: origin() }, { channel: 'keys:list', request: {} })).toMatchObject({
      ok: false,
      error: { code: 'UNTRUSTED_SENDER' },
    });
    expect(
      await invoke(
        { origin: 'http://127.0.0.1:1', 'x-atmos-bridge-token': server.token },
        { channel: 'keys:list', request: {} },
      ),
    ).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
  });

  it('serves the renderer with the strict CSP and nothing outside it', async () => {
    const page = await fetch(server.url);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const escape = await fetch(new URL('/..%2f..%2fpackage.json', server.url));
    expect([403, 404]).toContain(escape.status);
  });
});
