// The secrets index parses a declaration the components share once: same raw declaration and providers record,
// same parsed Declaration (and the same error for a broken one).
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../config';
import { removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { SecretsIndex } from './secrets-index';
import { StoreCatalog } from './store-catalog';

afterAll(() => removeWrittenWorkspaces());

describe('SecretsIndex', () => {
  it('parses a declaration shared by components once, a broken one too', async () => {
    const dir = writeWorkspace({
      'atmos.yaml':
        'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n  name_template: "{{ .vars.stage }}"\nstores:\n  kc:\n    kind: keychain\n    options: { service: atmos-secrets-idx }\n',
      'stacks/dev.yaml': [
        'vars: { stage: dev }',
        'secrets:',
        '  vars:',
        '    STACK_TOKEN: { store: kc }',
        '    BROKEN: { store: kc, sops: team }',
        'components:',
        '  terraform:',
        '    a: { vars: {} }',
        '    b: { vars: {} }',
        '',
      ].join('\n'),
    });
    const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
    const a = ws.componentConfig('dev', 'a');
    const b = ws.componentConfig('dev', 'b');
    // The loader shares both objects: what the cache keys on.
    expect(b.secretDeclarations['STACK_TOKEN']).toBe(a.secretDeclarations['STACK_TOKEN']);
    expect(b.secretProviders).toBe(a.secretProviders);

    const index = new SecretsIndex(ws, StoreCatalog.fromWorkspace(ws));
    const ia = index.component('dev', 'a');
    const ib = index.component('dev', 'b');
    expect(ia.secrets.map((s) => s.name)).toEqual(['STACK_TOKEN']);
    expect(ib.secrets[0]?.declaration).toBe(ia.secrets[0]?.declaration);
    expect(ia.broken.map((x) => x.name)).toEqual(['BROKEN']);
    expect(ib.broken[0]?.error).toBe(ia.broken[0]?.error);
    expect(ia.broken[0]?.error.message).toContain('sets both store "kc" and sops "team"');
  });
});
