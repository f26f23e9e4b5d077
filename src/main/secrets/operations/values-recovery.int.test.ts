// `delete` of a Secrets Manager secret through the service: the recovery window and the date the service answered
// (DeletionDate) come back with the result, so the app shows the service's date rather than one of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type AwsAsmEmulator } from '../../../../test/support/emulators/aws-asm';
import { EMULATOR_KEY, emulatorIdentities } from '../../../../test/support/emulators/aws-json/store-fixtures';
import {
  MemoryKeychains,
  memoryService,
  removeWrittenWorkspaces,
  writeWorkspace,
} from '../../../../test/support/secrets-workspace';
import { atmosYaml, DEV_STACK, devStack } from '../../../../test/support/store-workspace';
import { builtInStoreFactories } from '../../stores';

let emu: AwsAsmEmulator;

beforeAll(async () => {
  emu = await start({ accessKeyIds: [EMULATOR_KEY] });
});

afterAll(async () => {
  await emu.stop();
  removeWrittenWorkspaces();
});

async function asmService(window: number) {
  const dir = writeWorkspace({
    'atmos.yaml': atmosYaml([
      'stores:',
      '  asm:',
      '    kind: aws/asm',
      '    secret: true',
      '    identity: emu',
      '    options:',
      '      region: us-east-1',
      `      endpoint: ${emu.url}`,
      `      prefix: rw${window}`,
      `      recovery_window_days: ${window}`,
    ]),
    [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'asm' } } }),
  });
  const keychains = new MemoryKeychains();
  const { svc } = await memoryService(dir, {
    keychains,
    confirm: async () => true,
    factories: builtInStoreFactories({
      keychain: { makeKeychain: (s) => keychains.get(s) },
      aws: { identities: emulatorIdentities() },
    }),
  });
  return svc;
}

const target = { name: 'DB_PASSWORD', stack: 'dev', component: 'api' };

describe('delete on Secrets Manager', () => {
  it("returns the window and the service's DeletionDate", async () => {
    const svc = await asmService(7);
    await svc.set({ ...target, value: 'v' });
    const r = await svc.delete(target);
    expect(r.deleted).toBe(true);
    const date = emu.secret('rw7/dev/api/DB_PASSWORD')?.deletionDate;
    expect(date).toBeInstanceOf(Date);
    expect(r.recovery).toEqual({ days: 7, recoverableUntil: date?.toISOString() });
  });

  it('says "at once" (window 0) for a forced delete, and nothing when nothing was there', async () => {
    const svc = await asmService(0);
    await svc.set({ ...target, value: 'v' });
    expect((await svc.delete(target)).recovery?.days).toBe(0);
    const again = await svc.delete(target);
    expect(again.deleted).toBe(false);
    expect(again.recovery).toBeUndefined();
  });
});
