// The preload's bridge with Electron's contextBridge and ipcRenderer faked: allow-list and exposure.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AtmosBridge } from '../shared/ipc/bridge';
import { INVOKE_CHANNEL, PROGRESS_CHANNEL, WORKSPACE_CHANNEL } from '../shared/ipc/envelope';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async () => ({ ok: true, value: 'x' }));
const on = vi.fn();
const removeListener = vi.fn();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: { invoke, on, removeListener },
}));

describe('preload bridge', () => {
  beforeEach(async () => {
    invoke.mockClear();
    await import('./index');
  });

  it('exposes only window.atmos with invoke and subscriptions', () => {
    expect(Object.keys(exposed)).toEqual(['atmos']);
    expect(Object.keys(exposed['atmos'] as object).sort()).toEqual([
      'invoke',
      'onMenu',
      'onProgress',
      'onWorkspaceChanged',
    ]);
  });

  it('forwards an allowed channel over the single invoke channel', async () => {
    const bridge = exposed['atmos'] as AtmosBridge;
    await bridge.invoke('keys:list', {});
    expect(invoke).toHaveBeenCalledWith(INVOKE_CHANNEL, 'keys:list', {});
  });

  it('refuses a channel outside the allow-list without reaching main', async () => {
    const bridge = exposed['atmos'] as unknown as { invoke: (c: string, r: unknown) => Promise<unknown> };
    expect(await bridge.invoke('fs:readFile', { path: '/etc/shadow' })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('refuses a channel that is not a string without throwing', async () => {
    const bridge = exposed['atmos'] as unknown as { invoke: (c: unknown, r: unknown) => Promise<unknown> };
    expect(await bridge.invoke([Object.create(null)], {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('subscribes to progress and unsubscribes', () => {
    const bridge = exposed['atmos'] as AtmosBridge;
    const seen: unknown[] = [];
    const off = bridge.onProgress((e) => seen.push(e));
    const wrapped = on.mock.calls.find((c) => c[0] === PROGRESS_CHANNEL)?.[1] as (e: unknown, p: unknown) => void;
    wrapped({ sender: 'hidden' }, { operationId: 'a', done: 1, total: 1 });
    expect(seen).toEqual([{ operationId: 'a', done: 1, total: 1 }]);
    off();
    expect(removeListener).toHaveBeenCalledWith(PROGRESS_CHANNEL, wrapped);
  });

  it('subscribes to workspace changes and unsubscribes', () => {
    const bridge = exposed['atmos'] as AtmosBridge;
    const seen: unknown[] = [];
    const off = bridge.onWorkspaceChanged((e) => seen.push(e));
    const wrapped = on.mock.calls.find((c) => c[0] === WORKSPACE_CHANNEL)?.[1] as (e: unknown, p: unknown) => void;
    wrapped({ sender: 'hidden' }, { root: '/ws', files: ['stacks/dev.yaml'] });
    expect(seen).toEqual([{ root: '/ws', files: ['stacks/dev.yaml'] }]);
    off();
    expect(removeListener).toHaveBeenCalledWith(WORKSPACE_CHANNEL, wrapped);
  });
});
