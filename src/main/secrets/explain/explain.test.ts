// explain: provenance through an imported abstract base, scope rule, backend name, identity precedence,
// SOPS recipients (creation rule before the file exists, the file's metadata after), consumers; no backend call
// without verify, one with it.
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { explainFixture } from '../../../../test/support/explain-workspace';
import { memoryService, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';

afterAll(removeWrittenWorkspaces);

describe('explain', () => {
  it('names every contributing file and line, the scope rule, the backend name, the identity and consumers, calling no backend', async () => {
    const { svc, stores } = await explainFixture();
    const e = await svc.explain({ stack: 'dev', component: 'api', name: 'DB' });
    expect(e.declaration.sources.map((s) => [s.file, s.line, s.keyPath, s.role, s.base, s.winner])).toEqual([
      ['stacks/catalog/base.yaml', 7, 'components.terraform.base.secrets.vars.DB', 'base', 'base', false],
      ['stacks/deploy/dev.yaml', 12, 'components.terraform.api.secrets.vars.DB', 'component', null, true],
    ]);
    expect(e.declaration.sources.map((s) => s.wins)).toEqual([['store', 'required'], ['description']]);
    expect(e.declaration).toMatchObject({
      provider: 'store:ssm',
      required: true,
      description: 'the database password',
    });
    expect(e.scope.value).toBe('instance');
    expect(e.scope.rule).toContain("under the component's secrets");
    expect(e.backend).toEqual({
      kind: 'store',
      store: 'ssm',
      storeKind: 'aws/ssm',
      scopePath: 'dev/api/DB',
      nativeName: '/atmos/dev/api/DB',
    });
    expect(e.identity).toMatchObject({ name: 'deployer', source: 'store', used: true, unused: null });
    expect(e.identity.rule).toContain('stores.ssm.identity');
    expect(e.recipients).toBeNull();
    expect(e.consumers).toEqual({ count: 1, stacks: ['dev'], components: [{ stack: 'dev', component: 'api' }] });
    expect(e.status).toBeNull();
    // No store was even created: no backend call.
    expect(stores.size).toBe(0);
  });

  it('verify asks the backend once for the status', async () => {
    const { svc, stores } = await explainFixture();
    const before = await svc.explain({ stack: 'dev', component: 'api', name: 'DB', verify: true });
    expect(before.status).toEqual({ value: 'missing', detail: null });
    const ssm = stores.get('ssm');
    expect(ssm?.totalCalls()).toBe(1);
    await svc.set({ stack: 'dev', component: 'api', name: 'DB', value: 'pw-1' });
    const after = await svc.explain({ stack: 'dev', component: 'api', name: 'DB', verify: true });
    expect(after.status).toEqual({ value: 'initialized', detail: null });
    expect(ssm?.totalCalls()).toBe(3); // status, set, status
  });

  it('follows the identity precedence: component identity, then --identity, then the default chain', async () => {
    const plain = await explainFixture();
    const w = await plain.svc.explain({ stack: 'dev', component: 'worker', name: 'W' });
    expect(w.identity).toMatchObject({ name: 'worker-role', source: 'component', used: true });
    const p = await plain.svc.explain({ stack: 'dev', component: 'api', name: 'PLAIN' });
    expect(p.identity).toMatchObject({ name: null, source: 'default', used: true });
    expect(p.identity.rule).toContain('default credential chain');
    const flagged = await explainFixture({ identity: 'ci-role' });
    const f = await flagged.svc.explain({ stack: 'dev', component: 'api', name: 'PLAIN' });
    expect(f.identity).toMatchObject({ name: 'ci-role', source: 'flag' });
    // The store's own identity beats the flag.
    const s = await flagged.svc.explain({ stack: 'dev', component: 'api', name: 'DB' });
    expect(s.identity).toMatchObject({ name: 'deployer', source: 'store' });
  });

  it('explains a stack secret without -c through a component that shares it, and a keychain needs no identity', async () => {
    const { svc } = await explainFixture();
    const e = await svc.explain({ stack: 'prod', name: 'SHARED' });
    expect(e).toMatchObject({ stack: 'prod', component: 'api', componentGiven: false });
    expect(e.scope.value).toBe('stack');
    expect(e.scope.rule).toContain('stack-level secrets block');
    expect(e.declaration.sources).toMatchObject([
      { file: 'stacks/deploy/prod.yaml', line: 5, keyPath: 'secrets.vars.SHARED', role: 'stack', position: 'stack' },
    ]);
    expect(e.backend).toMatchObject({ kind: 'store', nativeName: 'fx/prod/SHARED' });
    expect(e.identity).toMatchObject({ used: false });
    expect(e.identity.unused).toContain('OS keychain');
    expect(e.consumers.components).toEqual([
      { stack: 'prod', component: 'api' },
      { stack: 'prod', component: 'worker' },
    ]);
  });

  it('gives SOPS recipients from the creation rule before the file exists and from its metadata after', async () => {
    const { svc } = await explainFixture();
    const none = await svc.explain({ stack: 'dev', component: 'api', name: 'TOKEN' });
    expect(none.backend).toEqual({
      kind: 'sops',
      provider: 'files',
      providerKind: 'sops/age',
      file: 'secrets/dev.enc.yaml',
      key: 'TOKEN',
      exists: false,
    });
    expect(none.identity.used).toBe(false);
    // No .sops.yaml and no age_recipients yet: said, not thrown.
    expect(none.recipients).toMatchObject({ error: expect.stringContaining('No recipients') });
    // The first set makes the provider's age key (recorded in .sops.yaml) and the dev file.
    await svc.set({ stack: 'dev', component: 'api', name: 'TOKEN', value: 'tok' });
    const dev = await svc.explain({ stack: 'dev', component: 'api', name: 'TOKEN' });
    expect(dev.backend).toMatchObject({ exists: true });
    expect(dev.recipients).toMatchObject({ source: 'file', threshold: 1, unsupported: [], error: null });
    const keys = dev.recipients && 'keyGroups' in dev.recipients ? dev.recipients.keyGroups : [];
    expect(keys).toHaveLength(1);
    expect(keys[0]?.[0]).toMatch(/^age age1[a-z0-9]+$/);
    // prod's file does not exist: the creation rule keygen recorded names the same recipient.
    const prod = await svc.explain({ stack: 'prod', component: 'api', name: 'TOKEN' });
    expect(prod.recipients).toMatchObject({ source: 'creation-rule', keyGroups: keys, error: null });
  });

  it('shows a 1Password secret by its rendered op:// reference, and the template as written', async () => {
    const dir = writeWorkspace({
      'atmos.yaml':
        'base_path: "."\nstacks: {base_path: stacks, included_paths: ["**/*"]}\nstores:\n  op: {kind: onepassword, options: {vault: Shared}}\n',
      'stacks/dev.yaml':
        "components:\n  terraform:\n    api:\n      secrets:\n        vars:\n          PW: {store: op, reference: '{{ .atmos_component }}/password'}\n",
    });
    const { svc } = await memoryService(dir);
    const e = await svc.explain({ stack: 'dev', component: 'api', name: 'PW' });
    expect(e.declaration.reference).toBe('{{ .atmos_component }}/password');
    expect(e.backend).toMatchObject({
      kind: 'store',
      storeKind: 'onepassword',
      nativeName: 'op://Shared/api/password',
    });
    expect(e.identity).toMatchObject({ used: false, unused: expect.stringContaining('1Password') });
  });

  it('refuses an undeclared name with the spec error', async () => {
    const { svc } = await explainFixture();
    await expect(svc.explain({ stack: 'dev', component: 'api', name: 'NOPE' })).rejects.toMatchObject({
      code: 'CONFIG',
      message: 'secret is not declared: "NOPE" (declare it under the component\'s secrets.vars)',
    });
    await expect(svc.explain({ stack: 'nope', component: 'api', name: 'DB' })).rejects.toBeInstanceOf(AppError);
  });
});
