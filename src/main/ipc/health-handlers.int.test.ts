// `health:audit` through the real router and handlers over the SSM emulator: values read in GetParameters batches
// (10 names a call, with decryption), reuse across production and development and across names, a short value, a
// required secret with no value, a repetitive value, an undeclared parameter (orphan), rotation age from GetParameterHistory against the settings' maximum age, and a
// store that denies reading as one `unreadable` finding. Nothing in the answer holds a value.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HealthReport } from '../../shared/ipc/health-contract';
import { createServices } from '../services';
import { MemoryKeychains, removeWrittenWorkspaces, writeWorkspace } from '../../../test/support/secrets-workspace';
import { REPO_ROOT } from '../../../test/support/paths';
import { atmosYaml } from '../../../test/support/store-workspace';
import { strongValue } from '../../../test/support/health-workspace';
import { start, type AwsSsmEmulator } from '../../../test/support/emulators/aws-ssm';
import { awsStoreYaml, EMULATOR_KEY } from '../../../test/support/emulators/aws-json/store-fixtures';
import { createAppRouter, trustRendererUrl, type IpcRouter } from '.';

const trusted = { url: 'file:///app/index.html', isMainFrame: true, isOwnWindow: true };
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
  vi.stubEnv('AWS_ACCESS_KEY_ID', EMULATOR_KEY);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'emulator-secret');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_PROFILE', '');
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'no-aws-config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'no-aws-credentials'));
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  const keychains = new MemoryKeychains();
  const services = createServices({
    version: '0',
    keychain: keychains.get('atmos-secrets'),
    keychainFor: (s) => keychains.get(s),
    userDataDir: join(dir, '.userdata'),
    demoDir: join(REPO_ROOT, 'examples/demo'),
  });
  router = createAppRouter(services, trustRendererUrl('file:///app/index.html'));
  await ok(router.dispatch('workspace:open', { path: dir }, trusted));
  const values: [string, string, string][] = [
    ['prod', 'DB_PASSWORD', reused],
    ['dev', 'DB_PASSWORD', reused],
    ['dev', 'DB_COPY', reused],
    ['dev', 'PIN', '1234'],
    ['dev', 'LOW', 'xy'.repeat(12)],
    ['prod', 'API_KEY', unique],
  ];
  for (const [s, secret, value] of values) {
    await ok(router.dispatch('secrets:set', { stack: s, component: 'api', secret, value, confirmed: true }, trusted));
  }
  await ok(router.dispatch('settings:set', { rotationMaxAgeDays: 5 }, trusted));
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
    const r = await ok<HealthReport>(router.dispatch('health:audit', {}, trusted));
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
    const r = await ok<HealthReport>(router.dispatch('health:audit', { stacks: ['prod'] }, trusted));
    vi.useRealTimers();
    expect(r.maxAgeDays).toBe(5);
    const stale = r.findings.filter((f) => f.kind === 'stale');
    expect(stale.map((f) => f.places[0]?.secret).sort()).toEqual(['API_KEY', 'DB_PASSWORD']);
    expect(stale[0]?.message).toMatch(/last changed (9|10) days ago \(its current version, .*\); the maximum is 5/);
  });

  it('a store that denies reading is one unreadable finding, its secrets neither missing nor read', async () => {
    emu.denyAccess('GetParameters');
    const r = await ok<HealthReport>(router.dispatch('health:audit', {}, trusted));
    // Listing (DescribeParameters) is still allowed: the orphan is found; reading is not.
    expect(kinds(r)).toEqual(['orphan', 'unreadable']);
    const unreadable = r.findings.find((f) => f.kind === 'unreadable');
    expect(unreadable).toMatchObject({ severity: 'error', places: [{ provider: 'store:aws' }] });
    expect(unreadable?.message).toContain('(7 secret(s) not checked)');
    expect(r.summary.unchecked).toBe(7);
  });

  it('a store that denies listing is a cannot-list finding: its orphans are unknown, never silently none', async () => {
    emu.denyAccess('DescribeParameters');
    const r = await ok<HealthReport>(router.dispatch('health:audit', {}, trusted));
    expect(kinds(r)).toContain('cannot-list');
    expect(kinds(r)).not.toContain('orphan');
    expect(r.findings.find((f) => f.kind === 'cannot-list')?.places).toEqual([{ provider: 'store:aws' }]);
  });

  it('health:deleteOrphan deletes the undeclared parameter after listing again; a declared one is refused', async () => {
    const refused = await router.dispatch(
      'health:deleteOrphan',
      { provider: 'store:aws', path: '/atmos/dev/api/DB_PASSWORD', confirmed: true },
      trusted,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(
      await ok(
        router.dispatch(
          'health:deleteOrphan',
          { provider: 'store:aws', path: '/atmos/dev/api/OLD_TOKEN', confirmed: true },
          trusted,
        ),
      ),
    ).toEqual({ deleted: true });
    const r = await ok<HealthReport>(router.dispatch('health:audit', {}, trusted));
    expect(kinds(r)).not.toContain('orphan');
  });
});
