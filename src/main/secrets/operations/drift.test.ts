// Drift ("present but undeclared") on the keychain store and on a SOPS provider, through the one composition over
// memory keychains: values whose declarations were removed (or whose stack is gone) are orphans with their path,
// store, place and last change; declared values, the app's own age key and entries under another prefix are
// not; a store that cannot be listed is a finding of its own. Never a value in the report.
import { writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../config';
import { AppError } from '../../../shared/errors';
import type { Keychain } from '../../keychain/keychain';
import { MemoryKeychain } from '../../keychain/memory-keychain';
import { builtInStoreFactories, StoreFactoryTable } from '../../stores';
import { MemorySecretStore } from '../../stores/memory';
import { MemoryKeychains, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { keychainAgeAtmosYaml, memoryKeychainService } from '../../../../test/support/sops-age-workspace';
import { SecretsService } from '../service';
import { sopsBackendFor } from '../compose';
import type { DriftReport, OrphanFinding } from './drift';

afterAll(removeWrittenWorkspaces);

/** A stack file: stage, then `secrets.vars` of component `api` (name -> `store: kc` or `sops: vault`). */
function stack(stage: string, vars: Readonly<Record<string, 'kc' | 'vault'>>): string {
  const lines = [
    `vars: {stage: ${stage}}`,
    'components:',
    '  terraform:',
    '    api:',
    '      secrets:',
    '        vars:',
  ];
  for (const [name, where] of Object.entries(vars)) {
    lines.push(`          ${name}: {${where === 'kc' ? 'store: kc' : 'sops: vault'}}`);
  }
  if (Object.keys(vars).length === 0) lines.push('          {}');
  return `${lines.join('\n')}\n`;
}

const VALUES = ['kc-kept-value', 'kc-old-value', 'sops-kept-value', 'sops-old-value', 'old-stack-value'];

async function service(dir: string, keychains: MemoryKeychains): Promise<SecretsService> {
  return memoryKeychainService(await loadWorkspace({ cwd: dir, configPath: dir, env: {} }), dir, keychains);
}

/** Writes values while everything is declared, then removes some declarations and a whole stack. */
async function driftedWorkspace(): Promise<{ dir: string; keychains: MemoryKeychains; report: DriftReport }> {
  const dir = writeWorkspace({
    'atmos.yaml': keychainAgeAtmosYaml(),
    'stacks/dev.yaml': stack('dev', { KEPT: 'kc', OLD: 'kc', SOPS_KEPT: 'vault', SOPS_OLD: 'vault' }),
    'stacks/old.yaml': stack('old', { GONE: 'vault' }),
  });
  const keychains = new MemoryKeychains();
  const before = await service(dir, keychains);
  const set = (name: string, stage: string, value: string) =>
    before.set({ name, stack: stage, component: 'api', value });
  await set('KEPT', 'dev', 'kc-kept-value');
  await set('OLD', 'dev', 'kc-old-value');
  await set('SOPS_KEPT', 'dev', 'sops-kept-value');
  await set('SOPS_OLD', 'dev', 'sops-old-value');
  await set('GONE', 'old', 'old-stack-value');
  // Not ours: another prefix that starts like ours, in the same service.
  await keychains.get('svc').set('fxx/dev/api/OTHER_APP', '"x"');
  // Declarations removed; the values stay.
  writeFileSync(join(dir, 'stacks/dev.yaml'), stack('dev', { KEPT: 'kc', SOPS_KEPT: 'vault' }));
  unlinkSync(join(dir, 'stacks/old.yaml'));
  const report = await (await service(dir, keychains)).drift();
  return { dir, keychains, report };
}

describe('drift: present but undeclared', () => {
  it('finds the keychain entry whose declaration is gone, with its account, store and place', async () => {
    const { report } = await driftedWorkspace();
    const kc = report.findings.filter((f) => f.provider === 'store:kc');
    expect(kc).toEqual([
      {
        kind: 'orphan',
        provider: 'store:kc',
        backend: 'store',
        providerKind: 'keychain',
        path: 'fx/dev/api/OLD',
        place: { scope: 'instance', stack: 'dev', component: 'api', name: 'OLD' },
        lastChanged: undefined,
      },
    ]);
    // The declared entry, the SOPS age key kept in the same store, and the other prefix are not orphans.
    expect(report.providers.find((p) => p.provider === 'store:kc')).toEqual({
      provider: 'store:kc',
      backend: 'store',
      providerKind: 'keychain',
      listed: true,
      entries: 2,
      orphans: 1,
    });
  });

  it("finds the SOPS keys no declaration reads, in a declared file and in a gone stack's file, with lastmodified", async () => {
    const { report } = await driftedWorkspace();
    const sops = report.findings.filter((f): f is OrphanFinding => f.kind === 'orphan' && f.backend === 'sops');
    expect(sops.map((f) => [f.path, f.file, f.key, f.place])).toEqual([
      [
        'vault/dev.enc.yaml key SOPS_OLD',
        'vault/dev.enc.yaml',
        'SOPS_OLD',
        { scope: 'instance', stack: 'dev', component: 'api', name: 'SOPS_OLD' },
      ],
      ['vault/old.enc.yaml key GONE', 'vault/old.enc.yaml', 'GONE', { scope: 'stack', stack: 'old', name: 'GONE' }],
    ]);
    for (const f of sops) {
      expect(f.provider).toBe('sops:vault');
      expect(f.providerKind).toBe('sops/age');
      expect(Number.isNaN(Date.parse(f.lastChanged ?? ''))).toBe(false);
    }
    expect(report.ok).toBe(false);
  });

  it('never puts a value in the report', async () => {
    const { report } = await driftedWorkspace();
    const text = JSON.stringify(report);
    for (const v of VALUES) expect(text).not.toContain(v);
  });

  it('reports nothing when everything stored is declared', async () => {
    const dir = writeWorkspace({
      'atmos.yaml': keychainAgeAtmosYaml(),
      'stacks/dev.yaml': stack('dev', { KEPT: 'kc', SOPS_KEPT: 'vault' }),
    });
    const keychains = new MemoryKeychains();
    const svc = await service(dir, keychains);
    await svc.set({ name: 'KEPT', stack: 'dev', component: 'api', value: 'v' });
    await svc.set({ name: 'SOPS_KEPT', stack: 'dev', component: 'api', value: 'v' });
    const report = await svc.drift();
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('says "no stack of this workspace matches" for an entry under an unknown stack, and maps a global one', async () => {
    const dir = writeWorkspace({ 'atmos.yaml': keychainAgeAtmosYaml(), 'stacks/dev.yaml': stack('dev', {}) });
    const keychains = new MemoryKeychains();
    await keychains.get('svc').set('fx/elsewhere/api/X', '"1"');
    await keychains.get('svc').set('fx/ORG_KEY', '"2"');
    const report = await (await service(dir, keychains)).drift({ provider: 'kc' });
    expect(report.findings.map((f) => (f.kind === 'orphan' ? [f.path, f.place, f.placeNote] : f.kind))).toEqual([
      ['fx/ORG_KEY', { scope: 'global', name: 'ORG_KEY' }, undefined],
      ['fx/elsewhere/api/X', undefined, 'no stack of this workspace matches elsewhere/api'],
    ]);
  });
});

describe('drift: stores that cannot be listed', () => {
  /** A keychain whose listing the OS refuses. */
  class LockedKeychain extends MemoryKeychain {
    override list(): Promise<string[]> {
      return Promise.reject(new AppError('KEYCHAIN_UNAVAILABLE', 'the keychain is locked'));
    }
  }

  it('reports a refused listing as a cannot-list finding, never as "no drift"', async () => {
    const dir = writeWorkspace({
      'atmos.yaml': keychainAgeAtmosYaml(),
      'stacks/dev.yaml': stack('dev', { KEPT: 'kc' }),
    });
    const workspace = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
    const locked = (s?: string): Keychain => new LockedKeychain(s);
    const svc = new SecretsService({
      workspace,
      factories: builtInStoreFactories({ keychain: { makeKeychain: locked } }),
      sops: sopsBackendFor(workspace, { keychain: locked, env: {} }),
      clock: () => new Date(0),
      remember: () => undefined,
    });
    const report = await svc.drift({ provider: 'kc' });
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([
      {
        kind: 'cannot-list',
        provider: 'store:kc',
        backend: 'store',
        providerKind: 'keychain',
        reason: 'cannot list: the keychain is locked',
        code: 'KEYCHAIN_UNAVAILABLE',
      },
    ]);
    expect(report.providers).toEqual([
      { provider: 'store:kc', backend: 'store', providerKind: 'keychain', listed: false, entries: 0, orphans: 0 },
    ]);
  });

  it('reports a store whose configuration does not load, and a 1Password store with no default vault', async () => {
    const dir = writeWorkspace({
      'atmos.yaml': keychainAgeAtmosYaml().replace(
        'stores:\n',
        'stores:\n  broken:\n    kind: keychain\n    secret: true\n    typo: 1\n  op:\n    kind: onepassword\n    secret: true\n    options: {token: t}\n',
      ),
      'stacks/dev.yaml': stack('dev', {}),
    });
    const report = await (await service(dir, new MemoryKeychains())).drift();
    const cannot = report.findings.filter((f) => f.kind === 'cannot-list');
    expect(cannot.map((f) => [f.provider, f.code])).toEqual([
      ['store:broken', 'CONFIG'],
      ['store:op', 'BACKEND'],
    ]);
    expect(cannot[1]?.reason).toBe(
      'cannot list: store "op" cannot be listed: it has no default vault (options.vault), and its references may name any vault',
    );
  });

  it("reports a provider file that is not SOPS-encrypted as that provider's cannot-list finding", async () => {
    const dir = writeWorkspace({
      'atmos.yaml': keychainAgeAtmosYaml(),
      'stacks/dev.yaml': stack('dev', { SOPS_KEPT: 'vault' }),
      // Where the provider's rule places files, but plain YAML.
      'vault/stray.enc.yaml': 'A: plain\n',
    });
    const report = await (await service(dir, new MemoryKeychains())).drift({ provider: 'sops:vault' });
    expect(report.findings).toEqual([
      expect.objectContaining({ kind: 'cannot-list', provider: 'sops:vault', backend: 'sops', code: 'SOPS' }),
    ]);
    expect(report.findings[0]?.kind === 'cannot-list' && report.findings[0].reason).toBe(
      'cannot list: vault/stray.enc.yaml has no sops metadata: it is not an encrypted SOPS file',
    );
  });

  it('reports a store whose backend has no listing as one that cannot be listed', async () => {
    const dir = writeWorkspace({
      'atmos.yaml': keychainAgeAtmosYaml(),
      'stacks/dev.yaml': stack('dev', { KEPT: 'kc' }),
    });
    const workspace = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
    const keychains = new MemoryKeychains();
    const svc = new SecretsService({
      workspace,
      factories: new StoreFactoryTable().register(
        'keychain',
        (config) => new MemorySecretStore({ name: config.name, listManaged: false }),
      ),
      sops: sopsBackendFor(workspace, { keychain: (s) => keychains.get(s), env: {} }),
      clock: () => new Date(0),
      remember: () => undefined,
    });
    const report = await svc.drift({ provider: 'kc' });
    expect(report.findings).toEqual([
      {
        kind: 'cannot-list',
        provider: 'store:kc',
        backend: 'store',
        providerKind: 'keychain',
        reason: 'cannot list: store "kc" (keychain) has no listing in this build',
        code: 'BACKEND',
        hint: 'Compare its contents with `atmos-secret list` by hand.',
      },
    ]);
  });

  it('stops with CANCELLED when cancelled, rather than reporting a partial drift', async () => {
    const dir = writeWorkspace({
      'atmos.yaml': keychainAgeAtmosYaml(),
      'stacks/dev.yaml': stack('dev', { KEPT: 'kc' }),
    });
    const svc = await service(dir, new MemoryKeychains());
    const controller = new AbortController();
    controller.abort();
    await expect(svc.drift({ signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
