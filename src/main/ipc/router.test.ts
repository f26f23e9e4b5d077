import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { MemoryKeychain } from '../keychain/memory-keychain';
import { createRouter, trustOrigins, trustRendererUrl, type Handlers, type SenderInfo } from './router';
import { createHandlers } from './handlers';
import { Operations } from './operations';
import { createLogger } from '../log/logger';
import { REDACTED, Redactor } from '../log/redactor';
import { createServices } from '../services';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const trusted: SenderInfo = { url: 'file:///app/out/renderer/index.html', isMainFrame: true, isOwnWindow: true };

function handlersWith(overrides: Partial<Handlers> = {}): Handlers {
  const services = createServices({
    version: '1.2.3',
    keychain: new MemoryKeychain(),
    keychainFor: (service) => new MemoryKeychain(service),
    userDataDir: mkdtempSync(join(tmpdir(), 'atmos-router-')),
    demoDir: '/nonexistent',
  });
  return { ...createHandlers(services, new Operations()), ...overrides };
}

describe('IPC router', () => {
  const policy = trustRendererUrl('file:///app/out/renderer/index.html');

  it('runs a valid request and wraps the value', async () => {
    const router = createRouter(handlersWith(), policy);
    const res = await router.dispatch('app:info', {}, trusted);
    expect(res).toMatchObject({ ok: true, value: { name: 'Atmos Secrets', version: '1.2.3', canPickFolder: false } });
  });

  it('refuses an unknown channel with a clear error', async () => {
    const router = createRouter(handlersWith(), policy);
    const res = await router.dispatch('secrets:dumpAll', {}, trusted);
    expect(res).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL', message: 'Unknown IPC channel "secrets:dumpAll".' },
    });
  });

  it('refuses a channel that is not a string without throwing (an object with no prototype cannot be printed)', async () => {
    const router = createRouter(handlersWith(), policy);
    expect(await router.dispatch([Object.create(null)], {}, trusted)).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL', message: 'Unknown IPC channel of type object.' },
    });
  });

  it('refuses a request zod cannot even read (it throws on a length with no primitive value) as BAD_REQUEST', async () => {
    const router = createRouter(handlersWith(), policy);
    const res = await router.dispatch('keys:delete', { name: { length: Object.create(null) } }, trusted);
    expect(res).toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'Invalid request for "keys:delete": it could not be read.' },
    });
  });

  it('refuses a wrong-shaped request and names the field', async () => {
    const router = createRouter(handlersWith(), policy);
    const res = await router.dispatch('keys:delete', { name: 42 }, trusted);
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.code).toBe('BAD_REQUEST');
      expect(res.error.message).toContain('name');
    }
    const extra = await router.dispatch('keys:list', { sneaky: true }, trusted);
    expect(extra).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const relative = await router.dispatch('workspace:open', { path: 'relative/dir' }, trusted);
    expect(relative).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('absolute path') },
    });
  });

  it.each<[string, SenderInfo]>([
    ['another origin', { url: 'https://evil.example/', isMainFrame: true, isOwnWindow: true }],
    ['a subframe', { ...trusted, isMainFrame: false }],
    ['a window we did not create', { ...trusted, isOwnWindow: false }],
    ['an empty URL', { url: '', isMainFrame: true, isOwnWindow: true }],
    ['another file:// page', { ...trusted, url: 'file:///tmp/evil.html' }],
    ['a file:// page beside the renderer', { ...trusted, url: 'file:///app/out/renderer/other.html' }],
    ['the renderer path on another host', { ...trusted, url: 'file://evil/app/out/renderer/index.html' }],
  ])('refuses an untrusted sender: %s', async (_label, sender) => {
    let called = false;
    const router = createRouter(
      handlersWith({ 'keys:list': () => ((called = true), { service: 's', names: [] }) }),
      policy,
    );
    const res = await router.dispatch('keys:list', {}, sender);
    expect(res).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    expect(called).toBe(false);
  });

  it('trusts the renderer URL whatever its fragment (in-app routes)', async () => {
    const router = createRouter(handlersWith(), policy);
    expect((await router.dispatch('app:info', {}, { ...trusted, url: `${trusted.url}#/secrets` })).ok).toBe(true);
  });

  it('matches a file:// renderer however its install path is percent-encoded', async () => {
    const router = createRouter(
      handlersWith(),
      trustRendererUrl('file:///Applications/Atmos%20Secrets.app/out/renderer/index.html'),
    );
    const at = (url: string): SenderInfo => ({ url, isMainFrame: true, isOwnWindow: true });
    expect(
      (await router.dispatch('app:info', {}, at('file:///Applications/Atmos Secrets.app/out/renderer/index.html'))).ok,
    ).toBe(true);
    expect(
      (await router.dispatch('app:info', {}, at('file:///Applications/Atmos%20Secrets.app/out/renderer/index.html')))
        .ok,
    ).toBe(true);
    expect(
      (
        await router.dispatch(
          'app:info',
          {},
          at('file:///Applications/Atmos%20Secrets.app/out/renderer/index.html?x=1'),
        )
      ).ok,
    ).toBe(false);
    expect(
      (await router.dispatch('app:info', {}, at('file:///Applications/Atmos%2520Secrets.app/out/renderer/index.html')))
        .ok,
    ).toBe(false);
  });

  it('never trusts a file:// page by origin (file URLs have none)', async () => {
    const router = createRouter(handlersWith(), trustOrigins(['file://', 'null']));
    expect(await router.dispatch('app:info', {}, trusted)).toMatchObject({
      ok: false,
      error: { code: 'UNTRUSTED_SENDER' },
    });
  });

  it('trusts a dev-server origin only when configured', async () => {
    const dev = createRouter(handlersWith(), trustOrigins(['http://localhost:5173']));
    const devSender = { url: 'http://localhost:5173/index.html', isMainFrame: true, isOwnWindow: true };
    expect((await dev.dispatch('app:info', {}, devSender)).ok).toBe(true);
    expect((await dev.dispatch('app:info', {}, trusted)).ok).toBe(false);
  });

  it('turns a thrown AppError into {ok:false} with its code, message and hint, and no stack', async () => {
    const router = createRouter(
      handlersWith({
        'keys:list': () => {
          throw new AppError('KEYCHAIN_UNAVAILABLE', 'The OS keychain is not reachable.', { hint: 'Start a keyring.' });
        },
      }),
      policy,
    );
    const res = await router.dispatch('keys:list', {}, trusted);
    expect(res).toEqual({
      ok: false,
      error: { code: 'KEYCHAIN_UNAVAILABLE', message: 'The OS keychain is not reachable.', hint: 'Start a keyring.' },
    });
    expect(JSON.stringify(res)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('hides the message of an unexpected error, which could quote anything', async () => {
    const router = createRouter(
      handlersWith({
        'keys:list': () => {
          throw new Error('boom: value=hunter2');
        },
      }),
      policy,
    );
    const res = await router.dispatch('keys:list', {}, trusted);
    expect(res).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(res)).not.toContain('hunter2');
    expect(JSON.stringify(res)).not.toContain('stack');
  });

  it('logs an unexpected error, redacted, and sends only the code and a safe message', async () => {
    const canary = 'ipc-log-CANARY-7f3a9c';
    const redactor = new Redactor();
    redactor.remember(canary);
    const lines: string[] = [];
    const log = createLogger((l) => lines.push(l), redactor);
    const router = createRouter(
      handlersWith({
        'keys:list': () => {
          throw new Error(`backend said: bad value ${canary}`);
        },
      }),
      policy,
      new Operations(),
      log,
    );
    const res = await router.dispatch('keys:list', {}, trusted);
    expect(res).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'An internal error occurred; see the application log for details.' },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('keys:list');
    expect(lines[0]).toContain(`bad value ${REDACTED}`);
    expect(lines.join('\n')).not.toContain(canary);
  });

  it('does not log an expected AppError (the person sees it in full)', async () => {
    const lines: string[] = [];
    const router = createRouter(
      handlersWith({
        'keys:list': () => {
          throw new AppError('KEYCHAIN_UNAVAILABLE', 'The OS keychain is not reachable.');
        },
      }),
      policy,
      new Operations(),
      createLogger((l) => lines.push(l), new Redactor()),
    );
    expect(await router.dispatch('keys:list', {}, trusted)).toMatchObject({
      ok: false,
      error: { code: 'KEYCHAIN_UNAVAILABLE' },
    });
    expect(lines).toEqual([]);
  });

  it('refuses a handler response that drifts from the contract', async () => {
    const router = createRouter(
      handlersWith({
        'keys:list': () => ({ service: 's', names: 'not-an-array' }) as unknown as { service: string; names: string[] },
      }),
      policy,
    );
    expect(await router.dispatch('keys:list', {}, trusted)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('carries progress events tagged with an operation id', async () => {
    const events: unknown[] = [];
    const router = createRouter(
      handlersWith({
        'keys:list': (_req, ctx) => {
          ctx.progress({ done: 1, total: 2 });
          return { service: 's', names: [] };
        },
      }),
      policy,
    );
    await router.dispatch('keys:list', {}, trusted, (e) => events.push(e));
    expect(events).toEqual([{ operationId: expect.stringMatching(/^[0-9a-f-]{36}$/), done: 1, total: 2 }]);
  });

  it('cancels a running operation by the id the renderer chose', async () => {
    const operations = new Operations();
    let seenAbort = false;
    const handlers = {
      ...handlersWith(),
      'op:cancel': ({ operationId }: { operationId: string }) => ({ cancelled: operations.cancel(operationId) }),
      'secrets:validate': (_req: unknown, ctx: { signal: AbortSignal }) =>
        new Promise<{ ok: boolean; checked: number; problems: [] }>((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            seenAbort = true;
            resolve({ ok: false, checked: 0, problems: [] });
          });
        }),
    } as Handlers;
    const router = createRouter(handlers, policy, operations);
    const running = router.dispatch('secrets:validate', { operationId: 'validate-all-1' }, trusted);
    expect(await router.dispatch('op:cancel', { operationId: 'validate-all-1' }, trusted)).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    await running;
    expect(seenAbort).toBe(true);
    expect(await router.dispatch('op:cancel', { operationId: 'validate-all-1' }, trusted)).toEqual({
      ok: true,
      value: { cancelled: false },
    });
  });
});
