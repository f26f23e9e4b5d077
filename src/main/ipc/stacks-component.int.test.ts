// The Stacks page's `stacks:component` channel through the real router and handlers, over the SSM emulator: by
// default `!store`/`!store.get` on plain stores are shown as written and no backend is called (opening a stack
// makes no network call by itself); with `readStores: true` they are evaluated as `describe component` does (one
// batched read), a Redis reference stays as written and the notes say why in plain words.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { removeWrittenWorkspaces, writeWorkspace } from '../../../test/support/secrets-workspace';
import { memoryAppRouter, TRUSTED_SENDER, stubAwsEmulatorEnv } from '../../../test/support/app-router';
import {
  STORE_REFS_DEV_STACK,
  storeRefsAtmosYaml,
  storeRefsDevStack,
} from '../../../test/support/store-refs-workspace';
import { start, type AwsSsmEmulator } from '../../../test/support/emulators/aws-ssm';
import { EMULATOR_KEY } from '../../../test/support/emulators/aws-json/store-fixtures';
import type { IpcRouter } from '.';

let emu: AwsSsmEmulator;
let router: IpcRouter;

beforeAll(async () => {
  emu = await start({ accessKeyIds: [EMULATOR_KEY] });
  emu.seed('/atmos/dev/vpc/vpc_id', 'vpc-0abc');
  emu.seed('/atmos/shared/config', '{"a":{"b":"picked"}}');
  const dir = writeWorkspace({
    'atmos.yaml': storeRefsAtmosYaml(emu.url),
    [STORE_REFS_DEV_STACK]: storeRefsDevStack([
      'vpc_id: !store outputs vpc vpc_id',
      'missing: !store outputs vpc nothing | default fallback-value',
      'picked: !store.get outputs shared/config | query .a.b',
      'cached: !store.get cache app-config',
    ]),
  });
  stubAwsEmulatorEnv(dir, EMULATOR_KEY);
  router = memoryAppRouter(dir);
  expect(await router.dispatch('workspace:open', { path: dir }, TRUSTED_SENDER)).toMatchObject({ ok: true });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await emu.stop();
  removeWrittenWorkspaces();
});

interface Shown {
  ok: true;
  value: { described: { vars: Record<string, unknown> }; notes: string[] };
}

describe('stacks:component and !store', () => {
  it('by default shows the references as written and calls no backend', async () => {
    emu.calls.reset();
    const r = (await router.dispatch('stacks:component', { stack: 'dev', component: 'api' }, TRUSTED_SENDER)) as Shown;
    expect(r.ok).toBe(true);
    expect(r.value.described.vars).toMatchObject({
      vpc_id: '!store outputs vpc vpc_id',
      cached: '!store.get cache app-config',
    });
    expect(r.value.notes).toEqual([]);
    expect(emu.calls.total).toBe(0);
  });

  it('readStores: evaluates them as describe does, in one batched read, with the notes in words', async () => {
    emu.calls.reset();
    const r = (await router.dispatch(
      'stacks:component',
      { stack: 'dev', component: 'api', readStores: true },
      TRUSTED_SENDER,
    )) as Shown;
    expect(r.ok).toBe(true);
    expect(r.value.described.vars).toMatchObject({
      vpc_id: 'vpc-0abc',
      missing: 'fallback-value',
      picked: 'picked',
      cached: '!store.get cache app-config',
    });
    expect(r.value.notes).toEqual([
      'vars.cached: !store.get cache app-config is not evaluated: store "cache" is a redis store, which this app does not read (Atmos reads it when it runs)',
    ]);
    expect(emu.calls.snapshot()).toEqual({ GetParameters: 1 });
  });
});
