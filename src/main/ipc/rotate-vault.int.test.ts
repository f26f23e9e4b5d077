// Rotation over IPC against the Vault emulator (a store that keeps versions and reads one back): the previous
// value is kept as a version id, not in memory; every consumer of the global secret reads the new value back;
// "Roll back" writes that version as a new current one; the history's age comes from Vault's version times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type VaultEmulator } from '../../../test/support/emulators/vault';
import { memoryAppRouter, RecordedCalls } from '../../../test/support/app-router';
import { removeWrittenWorkspaces, writeWorkspace } from '../../../test/support/secrets-workspace';
import { atmosYaml, sharedGlobalStack } from '../../../test/support/store-workspace';
import type { IpcRouter } from '.';

let emu: VaultEmulator;
let router: IpcRouter;
const { payloads, value } = new RecordedCalls(() => router);

const stack = (stage: string): string => sharedGlobalStack(stage, 'vault');

const SHARED = { stack: 'dev', component: 'api', secret: 'SHARED' };

beforeAll(async () => {
  emu = await start();
  const dir = writeWorkspace({
    'atmos.yaml': atmosYaml([
      'stores:',
      '  vault:',
      '    kind: hashicorp/vault',
      '    secret: true',
      '    options:',
      `      url: ${emu.url}`,
      '      mount: secret',
      `      token: ${emu.rootToken}`,
    ]),
    'stacks/deploy/dev.yaml': stack('dev'),
    'stacks/deploy/prod.yaml': stack('prod'),
  });
  router = memoryAppRouter(dir);
  await value('workspace:open', { path: dir });
});

afterAll(async () => {
  await emu.stop();
  removeWrittenWorkspaces();
});

describe('rotation on Vault', () => {
  it('keeps the previous version, verifies all four consumers, and rolls back to that version', async () => {
    await value('secrets:set', { ...SHARED, value: 'vault-first-value', confirmed: true });
    const r = await value('rotate:run', {
      ...SHARED,
      value: { kind: 'generate', length: 48, alphabet: 'symbols' },
      confirmed: true,
    });
    expect(r).toMatchObject({ ok: true, verified: true, consumers: 4, stacks: 2 });
    expect((r['checks'] as { status: string }[]).map((c) => c.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const rollback = r['rollback'] as { id: string; method: string; previousVersion: string };
    expect(rollback).toMatchObject({ method: 'version', previousVersion: '1' });
    const rotated = (await value('secrets:reveal', SHARED))['value'] as string;
    expect(rotated).toHaveLength(48);
    expect(payloads.filter((p) => p.includes(rotated))).toHaveLength(1);

    expect(await value('rotate:rollback', { id: rollback.id })).toMatchObject({
      method: 'version',
      message: expect.stringMatching(/^restored version 1 of SHARED as a new current version in store "vault"/),
    });
    expect((await value('secrets:reveal', SHARED))['value']).toBe('vault-first-value');
    const history = await value('secrets:history', SHARED);
    expect((history['versions'] as { version: string; current: boolean }[]).map((v) => v.version)).toEqual([
      '3',
      '2',
      '1',
    ]);
  });

  it('dates the current version for the rotation age', async () => {
    const h = await value('rotate:history', SHARED);
    expect(h).toMatchObject({ versions: 3, age: { source: 'versions', ageDays: 0, overdue: false, maxAgeDays: 90 } });
    expect((h['age'] as { lastChanged: string }).lastChanged).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });
});
