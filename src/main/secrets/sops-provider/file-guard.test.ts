// spec.file traversal: a stack name that walks out of the workspace never makes set, get or list touch a file
// outside the base path; and a key left in the keychain by a cut-short keygen is adopted, not duplicated.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { MemoryKeychains, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { keychainAgeAtmosYaml, memoryKeychainService } from '../../../../test/support/sops-age-workspace';
import { isAppError } from '../../../shared/errors';
import { loadWorkspace } from '../../config';
import { parseAgeKeyList } from '../../sops';
import { ageKeyAccount } from './sops-keys';
import { sopsProviderFiles } from './sops-ops';

afterAll(removeWrittenWorkspaces);

const ATMOS = (file: string): string => keychainAgeAtmosYaml(file);
const STACK = (stage: string): string =>
  `vars: {stage: "${stage}"}\nsecrets:\n  vars:\n    TOKEN: {sops: vault}\ncomponents:\n  terraform:\n    app: {}\n`;

async function service(
  dir: string,
  keychains = new MemoryKeychains(),
): Promise<ReturnType<typeof memoryKeychainService>> {
  return memoryKeychainService(await loadWorkspace({ cwd: dir, configPath: dir, env: {} }), dir, keychains);
}

describe('SOPS spec.file traversal', () => {
  it('refuses a file a stack name places outside the base path, before any read or write', async () => {
    const dir = writeWorkspace({
      'atmos.yaml': ATMOS('secrets/{{ .atmos_stack }}.enc.yaml'),
      'stacks/evil.yaml': STACK('../../escaped'),
    });
    const svc = await service(dir);
    const outside = join(dirname(dir), 'escaped.enc.yaml');
    const e: unknown = await svc.set({ stack: '../../escaped', name: 'TOKEN', value: 'v' }).catch((x: unknown) => x);
    expect(isAppError(e) && e.code === 'CONFIG').toBe(true);
    expect((e as Error).message).toMatch(/outside the base path/);
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(join(dir, '.sops.yaml'))).toBe(false);
    const g: unknown = await svc.get({ stack: '../../escaped', name: 'TOKEN' }).catch((x: unknown) => x);
    expect(isAppError(g) && g.code === 'CONFIG').toBe(true);
    // updatekeys / rotate would rewrite it: refused too.
    const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
    const r: unknown = await sopsProviderFiles(ws, 'vault').catch((x: unknown) => x);
    expect(isAppError(r) && r.code === 'CONFIG').toBe(true);
  });

  it('refuses an absolute spec.file outside the base path', async () => {
    const dir = writeWorkspace({
      'atmos.yaml': ATMOS('/tmp/{{ .atmos_stack }}.enc.yaml'),
      'stacks/dev.yaml': STACK('dev'),
    });
    const svc = await service(dir);
    const e: unknown = await svc.set({ stack: 'dev', name: 'TOKEN', value: 'v' }).catch((x: unknown) => x);
    expect(isAppError(e) && e.code === 'CONFIG').toBe(true);
    expect(existsSync('/tmp/dev.enc.yaml')).toBe(false);
  });
});

describe('first use after a cut-short keygen', () => {
  it('adopts the key the keychain already holds instead of making another', async () => {
    const dir = writeWorkspace({
      'atmos.yaml': ATMOS('vault/{{ .atmos_stack }}.enc.yaml'),
      'stacks/dev.yaml': STACK('dev'),
    });
    const keychains = new MemoryKeychains();
    const identity = await generateIdentity();
    await keychains.get('svc').set(ageKeyAccount('fx', 'vault'), `${identity}\n`);
    const svc = await service(dir, keychains);
    await svc.set({ stack: 'dev', name: 'TOKEN', value: 'v' });
    expect(parseAgeKeyList((await keychains.get('svc').get(ageKeyAccount('fx', 'vault'))) ?? '')).toEqual([identity]);
    expect(readFileSync(join(dir, '.sops.yaml'), 'utf8')).toContain(await identityToRecipient(identity));
    expect((await svc.get({ stack: 'dev', name: 'TOKEN' })).value).toBe('v');
  });
});
