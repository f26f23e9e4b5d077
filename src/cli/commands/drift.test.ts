// `atmos-secret drift` in-process over a keychain store (memory keychain): the table and JSON forms, exit 1 when
// something is stored but undeclared, 0 when nothing is, 2 for a store name that matches nothing. No value printed.
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { MemoryKeychain } from '../../main/keychain/memory-keychain';
import { removeWrittenWorkspaces, writeWorkspace } from '../../../test/support/secrets-workspace';
import { atmosYaml, DEV_STACK, devStack } from '../../../test/support/store-workspace';
import type { CliRun } from '../../../test/support/cli';
import { runCliOn } from '../../../test/support/in-process-cli';

afterAll(removeWrittenWorkspaces);

const dir = writeWorkspace({
  'atmos.yaml': atmosYaml(['stores:', '  kc:', '    kind: keychain', '    options: { prefix: fx }']),
  [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'kc' } } }),
});

const run = (args: string[], keychain: MemoryKeychain): Promise<CliRun> => runCliOn(dir, args, keychain);

/** A keychain holding the declared value and one whose declaration is gone. */
async function drifted(): Promise<MemoryKeychain> {
  const keychain = new MemoryKeychain();
  await keychain.set('fx/dev/api/DB_PASSWORD', '"declared-value-7f1"');
  await keychain.set('fx/dev/api/OLD_TOKEN', '"orphan-value-7f1"');
  return keychain;
}

describe('atmos-secret drift', () => {
  it('prints each undeclared value with its store, path and place, and exits 1', async () => {
    const r = await run(['drift'], await drifted());
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PROVIDER\s+FINDING\s+PATH\s+WOULD BE DECLARED AS\s+LAST CHANGE$/);
    expect(lines.slice(1).filter((l) => !/^[-\s]+$/.test(l))).toEqual([
      expect.stringMatching(/^store:kc\s+not declared\s+fx\/dev\/api\/OLD_TOKEN\s+OLD_TOKEN in dev\/api$/),
    ]);
    expect(r.stderr).toBe('1 undeclared value in 1 listed store and provider\n');
    expect(r.stdout + r.stderr).not.toContain('value-7f1');
  });

  it('gives the report as JSON with --format json', async () => {
    const r = await run(['drift', '--format', 'json'], await drifted());
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { ok: boolean; findings: unknown[]; providers: unknown[] };
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([
      {
        kind: 'orphan',
        provider: 'store:kc',
        backend: 'store',
        providerKind: 'keychain',
        path: 'fx/dev/api/OLD_TOKEN',
        place: { scope: 'instance', stack: 'dev', component: 'api', name: 'OLD_TOKEN' },
      },
    ]);
    expect(report.providers).toEqual([
      { provider: 'store:kc', backend: 'store', providerKind: 'keychain', listed: true, entries: 2, orphans: 1 },
    ]);
    expect(r.stdout).not.toContain('value-7f1');
  });

  it('exits 0 and says so when everything stored is declared', async () => {
    const keychain = new MemoryKeychain();
    await keychain.set('fx/dev/api/DB_PASSWORD', '"v"');
    const r = await run(['drift'], keychain);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('0 undeclared values in 1 listed store and provider\n');
  });

  it('exits 1 for a store that cannot be listed, naming why', async () => {
    const keychain = new MemoryKeychain();
    keychain.list = () => Promise.reject(new AppError('KEYCHAIN_UNAVAILABLE', 'the keychain is locked'));
    const r = await run(['drift'], keychain);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/store:kc\s+cannot list\s+cannot list: the keychain is locked/);
    expect(r.stderr).toBe('0 undeclared values in 0 listed stores and providers; 1 could not be listed\n');
  });

  it('exits 2 for --store naming nothing in use or configured', async () => {
    const r = await run(['drift', '--store', 'nope'], new MemoryKeychain());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no secret store or SOPS provider named "nope" is in use or configured');
  });
});
