// Cancellation of the Vault store (VaultFactoryDeps.signal), over the real node-vault: aborting mid-call ends
// the call with CANCELLED at once (not after the call's timeout), closes the HTTP request Vault was answering,
// and starts no further call: not the next read of a batch, not the next retry.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, type IncomingMessage } from 'node:http';
import { MemoryKeychain } from '../../keychain/memory-keychain';
import { start, type VaultEmulator } from '../../../../test/support/emulators/vault';
import { closeServer, listenLoopback } from '../../../../test/support/emulators/http-util';
import { rejection } from '../../../../test/support/rejection';
import type { SecretPath } from '../paths';
import { parseStoreConfig } from '../store-config';
import { withOperationSignal } from '../operation-signal';
import { vaultStoreFactory, type VaultFactoryDeps, type VaultSecretStore } from './index';

let emu: VaultEmulator;
beforeAll(async () => {
  emu = await start({ hangMs: 30_000 });
});
afterAll(async () => {
  await emu.stop();
});
afterEach(() => {
  emu.clearFaults();
});

function makeStore(url: string, deps: VaultFactoryDeps): VaultSecretStore {
  const factory = vaultStoreFactory({
    env: {},
    makeKeychain: () => new MemoryKeychain(),
    retry: { sleep: async () => undefined, random: () => 0.5 },
    ...deps,
  });
  // A call timeout far longer than any test: only cancellation can end a hung call in time.
  return factory(
    parseStoreConfig('vault', {
      kind: 'hashicorp/vault',
      options: { url, token: emu.rootToken, mount: 'secret', timeout_seconds: 60 },
    }),
  ) as VaultSecretStore;
}

const inst = (name: string): SecretPath => ({ name, scope: 'instance', stack: 'plat-ue2-dev', component: 'app' });

describe('Vault store cancellation (signal)', () => {
  it('aborting a hung read rejects with CANCELLED and makes no further call', async () => {
    const controller = new AbortController();
    const store = makeStore(emu.url, { signal: controller.signal });
    emu.calls.reset();
    emu.injectFault('timeout', 1, 'read');
    const pending = rejection(store.get(inst('HUNG')));
    await vi.waitFor(() => expect(emu.calls.of('read')).toBe(1));
    controller.abort();
    const e = await pending;
    expect(e.code).toBe('CANCELLED');
    expect(e.message).toBe(
      'the read of secret "HUNG" (secret/plat-ue2-dev/app/HUNG) in store "vault" (hashicorp/vault) was cancelled',
    );
    // Once aborted, nothing reaches Vault any more.
    expect((await rejection(store.status(inst('OTHER')))).code).toBe('CANCELLED');
    expect(emu.calls.total).toBe(1);
  });

  it('closes the HTTP request in flight', async () => {
    let arrived: (req: IncomingMessage) => void = () => undefined;
    const request = new Promise<IncomingMessage>((resolve) => (arrived = resolve));
    // Never answers: a Vault that hangs.
    const server = createServer((req) => arrived(req));
    const port = await listenLoopback(server);
    try {
      const controller = new AbortController();
      const store = makeStore(`http://127.0.0.1:${port}`, { signal: controller.signal });
      const pending = rejection(store.get(inst('HUNG')));
      const req = await request;
      const closed = new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
      controller.abort();
      expect((await pending).code).toBe('CANCELLED');
      await closed;
      expect(req.socket.destroyed).toBe(true);
    } finally {
      server.closeAllConnections();
      await closeServer(server);
    }
  });

  it("closes the HTTP request in flight when the operation's signal aborts (the store has none of its own)", async () => {
    let arrived: (req: IncomingMessage) => void = () => undefined;
    const request = new Promise<IncomingMessage>((resolve) => (arrived = resolve));
    const server = createServer((req) => arrived(req));
    const port = await listenLoopback(server);
    try {
      const store = makeStore(`http://127.0.0.1:${port}`, {});
      const controller = new AbortController();
      const pending = rejection(withOperationSignal(controller.signal, () => store.get(inst('HUNG'))));
      const req = await request;
      const closed = new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
      controller.abort();
      expect((await pending).code).toBe('CANCELLED');
      // Without the operation's own pool the request would stay open until the store's 60 s timeout.
      await closed;
      expect(req.socket.destroyed).toBe(true);
    } finally {
      server.closeAllConnections();
      await closeServer(server);
    }
  });

  it("another operation's cancel leaves this one's calls alone", async () => {
    const store = makeStore(emu.url, {});
    const first = new AbortController();
    await withOperationSignal(first.signal, () => store.set(inst('KEPT'), 'CANARY-kept'));
    first.abort();
    const second = new AbortController();
    expect(await withOperationSignal(second.signal, () => store.get(inst('KEPT')))).toBe('CANARY-kept');
  });

  it('a batch read stops starting reads once aborted', async () => {
    const controller = new AbortController();
    const store = makeStore(emu.url, { signal: controller.signal, concurrency: 2 });
    emu.calls.reset();
    emu.injectFault('timeout', 2, 'read');
    const paths = Array.from({ length: 20 }, (_, i) => inst(`BATCH_${i}`));
    const pending = rejection(store.statusMany(paths));
    await vi.waitFor(() => expect(emu.calls.of('read')).toBe(2));
    controller.abort();
    expect((await pending).code).toBe('CANCELLED');
    // Let any read that would still start reach the emulator before counting.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(emu.calls.total).toBe(2);
  });

  it('an abort during a retry backoff starts no further attempt', async () => {
    const controller = new AbortController();
    const store = makeStore(emu.url, {
      signal: controller.signal,
      retry: {
        sleep: async () => {
          controller.abort();
        },
        random: () => 0.5,
      },
    });
    emu.calls.reset();
    emu.injectFault('internal', 10, 'read');
    expect((await rejection(store.get(inst('RETRIED')))).code).toBe('CANCELLED');
    expect(emu.calls.of('read')).toBe(1);
  });

  it('a store without a signal is unchanged: reads and writes work', async () => {
    const store = makeStore(emu.url, {});
    await store.set(inst('PLAIN'), 'CANARY-plain');
    expect(await store.get(inst('PLAIN'))).toBe('CANARY-plain');
  });
});
