// Workspace trust through IPC, as the app runs it: a folder opens untrusted (its `!exec` shown as written and
// not run) until the person trusts it; the answer is remembered; the demo copy is trusted without asking.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atmosYaml, makeTree } from '../../../test/support/fixtures/config/tree';
import { MemoryKeychain } from '../keychain/memory-keychain';
import { createHandlers } from '../ipc/handlers';
import { Operations } from '../ipc/operations';
import { createRouter, trustRendererUrl, type IpcRouter } from '../ipc/router';
import { createServices } from '../services';

const RENDERER = 'file:///app/out/renderer/index.html';
const sender = { url: RENDERER, isMainFrame: true, isOwnWindow: true };
const made: string[] = [];
afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function app(userDataDir: string, demoDir = '/nonexistent'): IpcRouter {
  const services = createServices({
    version: '0.0.0',
    keychain: new MemoryKeychain(),
    keychainFor: (s) => new MemoryKeychain(s),
    userDataDir,
    demoDir,
  });
  const operations = new Operations();
  return createRouter(createHandlers(services, operations), trustRendererUrl(RENDERER), operations);
}

function repoWithExec(): string {
  const root = makeTree({
    'atmos.yaml': atmosYaml(),
    'stacks/dev.yaml': 'components:\n  terraform:\n    api:\n      vars:\n        x: !exec touch ran-exec\n',
  });
  made.push(root);
  return root;
}

async function ok<T>(p: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`IPC failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

describe('workspace trust in the app', () => {
  it('opens a folder untrusted: !exec is shown as written, nothing runs, and the prompt is due', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'atmos-ud-'));
    made.push(userData);
    const root = repoWithExec();
    const router = app(userData);
    expect(await ok(router.dispatch('trust:get', {}, sender))).toEqual({ path: null, decision: 'unasked' });
    await ok(router.dispatch('workspace:open', { path: root }, sender));
    expect(await ok(router.dispatch('trust:get', {}, sender))).toEqual({ path: root, decision: 'unasked' });
    const listing = await ok<{ warnings: { message: string }[] }>(router.dispatch('stacks:list', {}, sender));
    expect(listing.warnings.map((w) => w.message).join('\n')).toContain('not trusted');
    const described = await ok<{ described: { vars: Record<string, unknown> } }>(
      router.dispatch('stacks:component', { stack: 'dev', component: 'api' }, sender),
    );
    expect(described.described.vars['x']).toBe('!exec touch ran-exec');
    expect(existsSync(join(root, 'ran-exec'))).toBe(false);
  });

  it('"Not now" is remembered and still runs nothing; "Trust this folder" runs it, and is remembered', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'atmos-ud-'));
    made.push(userData);
    const root = repoWithExec();
    const router = app(userData);
    await ok(router.dispatch('workspace:open', { path: root }, sender));
    expect(await ok(router.dispatch('trust:set', { trusted: false }, sender))).toEqual({
      path: root,
      decision: 'declined',
    });
    await ok(router.dispatch('stacks:list', {}, sender));
    expect(existsSync(join(root, 'ran-exec'))).toBe(false);

    expect(await ok(router.dispatch('trust:set', { trusted: true }, sender))).toEqual({
      path: root,
      decision: 'trusted',
    });
    const listing = await ok<{ warnings: { message: string }[] }>(router.dispatch('stacks:list', {}, sender));
    expect(listing.warnings.map((w) => w.message).join('\n')).not.toContain('not trusted');
    expect(existsSync(join(root, 'ran-exec'))).toBe(true);

    // A later run of the app remembers the answer.
    const again = app(userData);
    await ok(again.dispatch('workspace:open', { path: root }, sender));
    expect(await ok(again.dispatch('trust:get', {}, sender))).toEqual({ path: root, decision: 'trusted' });
  });

  it('refuses trust:set with no workspace open, and a malformed request', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'atmos-ud-'));
    made.push(userData);
    const router = app(userData);
    expect(await router.dispatch('trust:set', { trusted: true }, sender)).toMatchObject({
      ok: false,
      error: { code: 'USAGE' },
    });
    expect(await router.dispatch('trust:set', { trusted: 'yes' }, sender)).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('trusts the demo copy without asking (it is ours)', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'atmos-ud-'));
    const target = mkdtempSync(join(tmpdir(), 'atmos-demo-target-'));
    made.push(userData, target);
    const router = app(userData, repoWithExec());
    const info = await ok<{ path: string }>(router.dispatch('workspace:openDemo', { target }, sender));
    expect(await ok(router.dispatch('trust:get', {}, sender))).toEqual({ path: info.path, decision: 'trusted' });
  });
});
