// `health:audit` through the real router and handlers over the SSM emulator: values read in GetParameters batches
// (10 names a call, with decryption), reuse across production and development and across names, a short value, a
// required secret with no value, a repetitive value, an undeclared parameter (orphan), rotation age from GetParameterHistory against the settings' maximum age, and a
// store that denies reading as one `unreadable` finding. Nothing in the answer holds a value.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HealthReport } from '../../shared/ipc/health-contract';
import { removeWrittenWorkspaces, writeWorkspace } from '../../../test/support/secrets-workspace';
import { memoryAppRouter, TRUSTED_SENDER, stubAwsEmulatorEnv } from '../../../test/support/app-router';
import { atmosYaml } from '../../../test/support/store-workspace';
import { strongValue } from '../../../test/support/health-workspace';
import { start, type AwsSsmEmulator } from '../../../test/support/emulators/aws-ssm';
import { awsStoreYaml, EMULATOR_KEY } from '../../../test/support/emulators/aws-json/store-fixtures';
import type { IpcRouter } from '.';

const DAY = 24 * 60 * 60 * 1000;
let emu: AwsSsmEmulator;
let router: IpcRouter;
const reused = strongValue();
const unique = strongValue();

function stack(stage: string, secrets: Record<string, string>): string {
  return [
    'vars:',
    `  stage: ${stage}`,
    'components:',
    '  terraform:',
    '    api:',
    '      secrets:',
    '        vars:',
    ...Object.entries(secrets).map(([n, d]) => `          ${n}: ${d}`),
    '',
  ].join('\n');
}

async function ok<T>(p: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const r = await p;
  expect(r).toMatchObject({ ok: true });
  return r.value as T;
}

beforeAll(async () => {
  emu = await start({ accessKeyIds: [EMULATOR_KEY] });
  const dir = writeWorkspace({
    'atmos.yaml': atmosYaml(awsStoreYaml('aws/ssm', emu.url)),
    'stacks/deploy/dev.yaml': stack('dev', {
      DB_PASSWORD: '{store: aws}',
      DB_COPY: '{store: aws}',
      PIN: '{store: aws}',
      LOW: '{store: aws}',
      NEEDED: '{store: aws, required: true}',
    }),
    'stacks/deploy/prod.yaml': stack('prod', { DB_PASSWORD: '{store: aws}', API_KEY: '{store: aws}' }),
  });
  stubAwsEmulatorEnv(dir, EMULATOR_KEY);
  router = memoryAppRouter(dir);
  await ok(router.dispatch('workspace:open', { path: dir }, TRUSTED_SENDER));
  const values: [string, string, string][] = [
    ['prod', 'DB_PASSWORD', reused],
    ['dev', 'DB_PASSWORD', reused],
    ['dev', 'DB_COPY', reused],
    ['dev', 'PIN', '1234'],
    ['dev', 'LOW', 'xy'.repeat(12)],
    ['prod', 'API_KEY', unique],
  ];
  for (const [s, secret, value] of values) {
    await ok(router.dispatch('secrets:set', { stack: s, component: 'api', secret, value, confirmed: true }, TRUSTED_SENDER));
  }
  await ok(router.dispatch('settings:set', { rotationMaxAgeDays: 5 }, TRUSTED_SENDER));
  // A parameter under the store's prefix that nothing declares (written by hand, or left behind).
  emu.seed('/atmos/dev/api/OLD_TOKEN', strongValue());
});

afterEach(() => {
  vi.useRealTimers();
  emu.allowAccess();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await emu.stop();
  removeWrittenWorkspaces();
});

function kinds(r: HealthReport): string[] {
  return r.findings.map((f) => f.kind).sort();
}

describe('health:audit over the SSM emulator', () => {
  it('finds reuse, a short value and a missing secret, reading values in batches; no value in the answer', async () => {
    const before = emu.calls.of('GetParameters');
    const r = await ok<HealthReport>(router.dispatch('health:audit', {}, TRUSTED_SENDER));
    expect(kinds(r)).toEqual([
      'low-entropy',
      'missing',
      'orphan',
      'reused-across-environments',
      'reused-across-names',
      'short',
    ]);
    expect(r.summary).toMatchObject({ stacks: 2, secrets: 7, valuesRead: 6, ageKnown: 6, unchecked: 0 });
    expect(r.findings.find((f) => f.kind === 'orphan')?.places[0]).toMatchObject({
      stack: 'dev',
      component: 'api',
      secret: 'OLD_TOKEN',
      where: '/atmos/dev/api/OLD_TOKEN',
    });
    // Seven names fit one GetParameters call.
    expect(emu.calls.of('GetParameters') - before).toBe(1);
    const cross = r.findings.find((f) => f.kind === 'reused-across-environments');
    expect(cross?.places.map((p) => `${p.stack}/${p.secret}`).sort()).toEqual([
      'dev/DB_COPY',
      'dev/DB_PASSWORD',
      'prod/DB_PASSWORD',
    ]);
    expect(cross?.places.find((p) => p.stack === 'prod')).toMatchObject({
      provider: 'store:aws',
      file: 'stacks/deploy/prod.yaml',
      line: 8,
    });
    const text = JSON.stringify(r);
    for (const v of [reused, unique]) expect(text).not.toContain(v);
  });

  it("flags secrets unchanged for longer than the settings' maximum age, from the parameter history", async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 10 * DAY });
    const r = await ok<HealthReport>(router.dispatch('health:audit', { stacks: ['prod'] }, TRUSTED_SENDER));
    vi.useRealTimers();
    expect(r.maxAgeDays).toBe(5);
    const stale = r.findings.filter((f) => f.kind === 'stale');
    expect(stale.map((f) => f.places[0]?.secret).sort()).toEqual(['API_KEY', 'DB_PASSWORD']);
    expect(stale[0]?.message).toMatch(/last changed (9|10) days ago \(its current version, .*\); the maximum is 5/);
  });

  it('a store that denies reading is one unreadable finding, its secrets neither missing nor read', async () => {
    emu.denyAccess('GetParameters');
    const r = await ok<HealthReport>(router.dispatch('health:audit', {}, TRUSTED_SENDER));
    // Listing (DescribeParameters) is still allowed: the orphan is found; reading is not.
    expect(kinds(r)).toEqual(['orphan', 'unreadable']);
    const unreadable = r.findings.find((f) => f.kind === 'unreadable');
    expect(unreadable).toMatchObject({ severity: 'error', places: [{ provider: 'store:aws' }] });
    expect(unreadable?.message).toContain('(7 secret(s) not checked)');
    expect(r.summary.unchecked).toBe(7);
  });

  it('a store that denies listing is a cannot-list finding: its orphans are unknown, never silently none', async () => {
    emu.denyAccess('DescribeParameters');
    const r = await ok<HealthReport>(router.dispatch('health:audit', {}, TRUSTED_SENDER));
    expect(kinds(r)).toContain('cannot-list');
    expect(kinds(r)).not.toContain('orphan');
    expect(r.findings.find((f) => f.kind === 'cannot-list')?.places).toEqual([{ provider: 'store:aws' }]);
  });

  it('health:deleteOrphan deletes the undeclared parameter after listing again; a declared one is refused', async () => {
    const refused = await router.dispatch(
      'health:deleteOrphan',
      { provider: 'store:aws', path: '/atmos/dev/api/DB_PASSWORD', confirmed: true },
      TRUSTED_SENDER,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(
      await ok(
        router.dispatch(
          'health:deleteOrphan',
          { provider: 'store:aws', path: '/atmos/dev/api/OLD_TOKEN', confirmed: true },
          TRUSTED_SENDER,
        ),
      ),
    ).toEqual({ deleted: true });
    const r = await ok<HealthReport>(router.dispatch('health:audit', {}, TRUSTED_SENDER));
    expect(kinds(r)).not.toContain('orphan');
  });
});
