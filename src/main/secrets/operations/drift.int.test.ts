// Drift and cancellation over a cloud store: an aws/ssm store through the SSM emulator (the real SDK). Drift lists
// the store's prefix in one paged pass (DescribeParameters, never a value on the wire) and reports what no
// declaration resolves to with its last change; a denied listing is a finding of its own. A cancelled
// `list --verify` stops its store calls: CANCELLED, and no call starts after the abort.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type AwsSsmEmulator } from '../../../../test/support/emulators/aws-ssm';
import { EMULATOR_KEY, emulatorIdentities } from '../../../../test/support/emulators/aws-json/store-fixtures';
import { memoryService, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { atmosYaml, DEV_STACK, devStack } from '../../../../test/support/store-workspace';
import { builtInStoreFactories } from '../../stores';
import { MemoryKeychains } from '../../../../test/support/secrets-workspace';
import type { SecretsService } from '../service';

let emu: AwsSsmEmulator;

beforeAll(async () => {
  emu = await start({ accessKeyIds: [EMULATOR_KEY] });
});

afterAll(async () => {
  await emu.stop();
  removeWrittenWorkspaces();
});

/** A workspace whose `dev` stack declares `names` in component api, on aws/ssm store `ssm` (prefix `prefix`). */
async function ssmService(prefix: string, names: readonly string[], required = false): Promise<SecretsService> {
  const dir = writeWorkspace({
    'atmos.yaml': atmosYaml([
      'stores:',
      '  ssm:',
      '    kind: aws/ssm',
      '    secret: true',
      '    identity: emu',
      '    options:',
      '      region: us-east-1',
      `      endpoint: ${emu.url}`,
      `      prefix: ${prefix}`,
      '      max_attempts: 2',
    ]),
    [DEV_STACK]: devStack({ api: Object.fromEntries(names.map((n) => [n, { store: 'ssm', required }])) }),
  });
  const keychains = new MemoryKeychains();
  const { svc } = await memoryService(dir, {
    keychains,
    factories: builtInStoreFactories({
      keychain: { makeKeychain: (s) => keychains.get(s) },
      aws: { identities: emulatorIdentities() },
    }),
  });
  return svc;
}

describe('drift over aws/ssm (emulator)', () => {
  it('reports the parameter no declaration resolves to, with its last change, in one listing pass', async () => {
    const svc = await ssmService('drift1', ['DB_PASSWORD']);
    await svc.set({ name: 'DB_PASSWORD', stack: 'dev', component: 'api', value: 'declared-ssm-value' });
    emu.seed('/drift1/dev/api/OLD_TOKEN', 'orphan-ssm-value');
    emu.seed('/drift1x/dev/api/NOT_OURS', 'x');
    emu.calls.reset();
    const report = await svc.drift();
    expect(emu.calls.snapshot()).toEqual({ DescribeParameters: 1 });
    expect(report.findings).toEqual([
      {
        kind: 'orphan',
        provider: 'store:ssm',
        backend: 'store',
        providerKind: 'aws/ssm',
        path: '/drift1/dev/api/OLD_TOKEN',
        place: { scope: 'instance', stack: 'dev', component: 'api', name: 'OLD_TOKEN' },
        lastChanged: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown as string,
      },
    ]);
    expect(JSON.stringify(report)).not.toMatch(/declared-ssm-value|orphan-ssm-value/);
  });

  it('pages through a large prefix: one DescribeParameters call per 50 parameters', async () => {
    const svc = await ssmService('drift2', []);
    for (let i = 0; i < 120; i++) emu.seed(`/drift2/dev/api/OLD_${i}`, 'v');
    emu.calls.reset();
    const report = await svc.drift();
    expect(emu.calls.of('DescribeParameters')).toBe(3);
    expect(report.findings).toHaveLength(120);
    expect(report.providers).toEqual([
      { provider: 'store:ssm', backend: 'store', providerKind: 'aws/ssm', listed: true, entries: 120, orphans: 120 },
    ]);
  });

  it('reports a denied listing as a cannot-list finding with the AUTH code', async () => {
    const svc = await ssmService('drift3', ['A']);
    emu.denyAccess('DescribeParameters');
    try {
      const report = await svc.drift();
      expect(report.ok).toBe(false);
      expect(report.findings).toEqual([
        expect.objectContaining({ kind: 'cannot-list', provider: 'store:ssm', code: 'AUTH' }),
      ]);
      expect(report.findings[0]?.kind === 'cannot-list' && report.findings[0].reason).toMatch(/^cannot list: /);
    } finally {
      emu.allowAccess();
    }
  });
});

describe('cancellation reaches the store calls (aws/ssm emulator)', () => {
  // 100 declared secrets: 10 GetParameters batches, at most 4 in flight, each held by the emulator.
  const names = Array.from({ length: 100 }, (_, i) => `S_${String(i).padStart(3, '0')}`);
  const operations = {
    'list --verify': (svc: SecretsService, signal: AbortSignal) => svc.list({ verify: true, signal }),
    validate: (svc: SecretsService, signal: AbortSignal) => svc.validate({ signal }),
  };

  it.each(Object.entries(operations))(
    'a cancelled %s stops with CANCELLED and starts no call after the abort',
    async (label, run) => {
      const svc = await ssmService(`cancel-${label.replace(/\W/g, '')}`, names, true);
      emu.calls.reset();
      emu.setLatency(400, 'GetParameters');
      const controller = new AbortController();
      try {
        const listing = run(svc, controller.signal);
        const settled = listing.then(
          () => 'resolved',
          (e: unknown) => e,
        );
        // Abort once the batches started together have all reached the emulator (the count holds still for
        // 50 ms, far less than the 400 ms a batch is held): a request sent before the abort but counted after it
        // is not a call started after the abort.
        while (emu.calls.of('GetParameters') === 0) await new Promise((r) => setTimeout(r, 5));
        for (let seen = -1; seen !== emu.calls.of('GetParameters');) {
          seen = emu.calls.of('GetParameters');
          await new Promise((r) => setTimeout(r, 50));
        }
        controller.abort();
        const outcome = await settled;
        expect(outcome).toMatchObject({ code: 'CANCELLED' });
        const atAbort = emu.calls.of('GetParameters');
        expect(atAbort).toBeLessThan(10);
        // Longer than a batch takes: a batch started after the abort would have been counted by now.
        await new Promise((r) => setTimeout(r, 900));
        expect(emu.calls.of('GetParameters')).toBe(atAbort);
      } finally {
        emu.setLatency(0, 'GetParameters');
      }
    },
  );
});
