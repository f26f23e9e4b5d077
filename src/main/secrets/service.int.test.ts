// The secrets service against the real OS keychain (run under scripts/with-keyring.mjs): values of every shape
// round-trip through keytar, statuses are real, a global secret is shared across stacks, and the run's
// unique keychain service is emptied afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkspace } from '../config';
import { KeytarKeychain } from '../keychain/keytar-keychain';
import { emptyKeychain } from '../../../test/support/keychain';
import { copySecretsFixture, type FixtureCopy } from '../../../test/support/secrets-workspace';
import { createSecretsService } from './compose';
import type { SecretsService } from './service';

let fx: FixtureCopy;
let svc: SecretsService;

beforeAll(async () => {
  fx = copySecretsFixture('basic', 'svc-int');
  const workspace = await loadWorkspace({ cwd: fx.dir, configPath: fx.dir, env: {} });
  svc = createSecretsService(workspace, {
    keychain: (service) => new KeytarKeychain(service),
    confirm: async () => true,
    env: {},
    remember: () => undefined,
  });
});
afterAll(async () => {
  await emptyKeychain(new KeytarKeychain(fx.service));
  fx.cleanup();
});

describe('SecretsService on the real keychain', () => {
  it('round-trips values of every shape and reports real statuses', async () => {
    const values = [
      '',
      'plain',
      'multi\nline\r\nvalue\n',
      '{"json": ["x", 1]}',
      'ünïcødé ✓ "quotes" \\ backslash',
      ' '.repeat(3),
    ];
    for (const value of values) {
      await svc.set({ stack: 'dev', component: 'api', name: 'OPTIONAL_KEY', value });
      expect((await svc.get({ stack: 'dev', component: 'api', name: 'OPTIONAL_KEY' })).value).toBe(value);
    }
    const rows = await svc.list({ stack: 'dev', component: 'api' });
    expect(rows.find((r) => r.secret === 'OPTIONAL_KEY')?.status).toBe('initialized');
    expect(rows.find((r) => r.secret === 'DB_PASSWORD')?.status).toBe('missing');
    expect((await svc.delete({ stack: 'dev', component: 'api', name: 'OPTIONAL_KEY' })).deleted).toBe(true);
    expect(await new KeytarKeychain(fx.service).get('fx/dev/api/OPTIONAL_KEY')).toBeNull();
  });

  it('a global secret set from one stack is read from another; validate sees it', async () => {
    const r = await svc.set({ stack: 'prod', component: 'worker', name: 'SHARED_KEY', value: 'shared-value' });
    expect(r).toMatchObject({ stacks: 2, components: 4 });
    expect((await svc.get({ stack: 'dev', component: 'api', name: 'SHARED_KEY' })).value).toBe('shared-value');
    await svc.set({ stack: 'dev', component: 'worker', name: 'QUEUE_TOKEN', value: 'q' });
    expect((await svc.validate({ stack: 'dev', component: 'worker' })).ok).toBe(true);
  });

  it('exec hands the values to the child environment only', async () => {
    await svc.set({ stack: 'dev', component: 'api', name: 'DB_PASSWORD', value: 'exec-value' });
    const r = await svc.exec({
      stack: 'dev',
      component: 'api',
      baseEnv: { PATH: process.env['PATH'] },
      command: process.execPath,
      args: [
        '-e',
        'process.exit(process.env.DB_PASSWORD === "exec-value" && process.env.SHARED_KEY === "shared-value" ? 0 : 3)',
      ],
      stdio: 'ignore',
    });
    expect(r.exitCode).toBe(0);
    expect(r.injected).toEqual(expect.arrayContaining(['DB_PASSWORD', 'SHARED_KEY']));
  });
});
