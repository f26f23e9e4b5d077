// The rotation channels through the real router and handlers over a keychain store (memory keychains): a value
// generated in main never crosses IPC; roll back is by an opaque id, once; the history's age uses the saved
// settings; the contract refuses out-of-bound generator options; a handle expires.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryAppRouter, RecordedCalls } from '../../../test/support/app-router';
import { removeWrittenWorkspaces, writeWorkspace } from '../../../test/support/secrets-workspace';
import { sharedGlobalStack } from '../../../test/support/store-workspace';
import { RollbackHandles, ROLLBACK_TTL_MS } from './rotate-handlers';
import type { IpcRouter } from '.';

let router: IpcRouter;
const { payloads, call, value } = new RecordedCalls(() => router);

afterAll(removeWrittenWorkspaces);

const ATMOS = `base_path: "."
stacks:
  base_path: stacks
  included_paths: ["*.yaml"]
  name_template: "{{ .vars.stage }}"
stores:
  kc:
    kind: keychain
    options: {prefix: rot, service: atmos-rotate-ipc-test}
`;
const stack = (stage: string): string => sharedGlobalStack(stage, 'kc');

const SHARED = { stack: 'dev', component: 'api', secret: 'SHARED' };

beforeAll(async () => {
  const dir = writeWorkspace({
    'atmos.yaml': ATMOS,
    'stacks/dev.yaml': stack('dev'),
    'stacks/prod.yaml': stack('prod'),
  });
  router = memoryAppRouter(dir);
  await value('workspace:open', { path: dir });
});

describe('rotation over IPC', () => {
  it('lists the consumers with their path, by stack', async () => {
    const r = await value('rotate:consumers', { stack: 'prod', secret: 'SHARED' });
    expect(r['stacks']).toEqual([
      { stack: 'dev', components: ['api', 'worker'] },
      { stack: 'prod', components: ['api', 'worker'] },
    ]);
    expect(r['where']).toBe('store "kc" (keychain) at rot/SHARED');
  });

  it('generates in main, verifies every consumer, and never sends the value; roll back restores it once', async () => {
    await value('secrets:set', { ...SHARED, value: 'before-rotation', confirmed: true });
    const r = await value('rotate:run', {
      ...SHARED,
      value: { kind: 'generate', length: 24, alphabet: 'alphanumeric' },
      confirmed: true,
      operationId: 'rotate-op-1',
    });
    expect(r).toMatchObject({ ok: true, verified: true, consumers: 4, stacks: 2, generated: true });
    expect((r['checks'] as { status: string }[]).map((c) => c.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const rollback = r['rollback'] as { id: string; method: string };
    expect(rollback.method).toBe('value');
    const generated = (await value('secrets:reveal', SHARED))['value'] as string;
    expect(generated).toMatch(/^[A-Za-z0-9]{24}$/);
    // Only the explicit reveal carried it.
    expect(payloads.filter((p) => p.includes(generated))).toHaveLength(1);

    expect(await value('rotate:rollback', { id: rollback.id })).toEqual({
      method: 'value',
      message: 'restored the previous value of SHARED in store "kc" (keychain) at rot/SHARED',
    });
    expect((await value('secrets:reveal', SHARED))['value']).toBe('before-rotation');
    const again = await call('rotate:rollback', { id: rollback.id });
    expect(again).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('refuses to roll back over a value someone wrote since, and keeps theirs', async () => {
    const r = await value('rotate:run', { ...SHARED, value: { kind: 'given', value: 'typed-1' }, confirmed: true });
    await value('secrets:set', { ...SHARED, value: 'someone-else', confirmed: true });
    const id = (r['rollback'] as { id: string }).id;
    expect(await call('rotate:rollback', { id })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect((await value('secrets:reveal', SHARED))['value']).toBe('someone-else');
  });

  it('an unconfirmed rotation of a shared secret writes nothing', async () => {
    const r = await call('rotate:run', { ...SHARED, value: { kind: 'given', value: 'nope' }, confirmed: false });
    expect(r).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect((await value('secrets:reveal', SHARED))['value']).toBe('someone-else');
  });

  it('the contract refuses generator options out of bounds and unknown fields', async () => {
    for (const v of [
      { kind: 'generate', length: 7, alphabet: 'hex' },
      { kind: 'generate', length: 4097, alphabet: 'hex' },
      { kind: 'generate', length: 32, alphabet: 'abc' },
      { kind: 'given', value: 'x', extra: true },
    ]) {
      expect(await call('rotate:run', { ...SHARED, value: v, confirmed: true })).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
    }
    expect(await call('rotate:rollback', { id: 'short' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('the history flags against the maximum age from the settings', async () => {
    await value('settings:set', { rotationMaxAgeDays: 30 });
    const h = await value('rotate:history', SHARED);
    expect(h).toMatchObject({
      secret: 'SHARED',
      versions: 0,
      age: { source: 'unknown', maxAgeDays: 30, overdue: false },
    });
    expect(h['note']).toMatch(/keeps no version history/);
  });
});

describe('roll back handles', () => {
  it('expire after their time and are refused then', () => {
    let now = 1_000;
    const handles = new RollbackHandles(() => now);
    const handle = {
      method: 'delete' as const,
      previousVersion: undefined,
      restore: async () => ({ method: 'delete' as const, message: '' }),
    };
    const id = handles.keep(handle);
    expect(handles.get(id)).toBe(handle);
    now += ROLLBACK_TTL_MS;
    expect(() => handles.get(id)).toThrow(/can no longer be rolled back/);
  });
});
