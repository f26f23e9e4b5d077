// declare's plan over a workspace with a 1Password store and a SOPS provider: the rendered op:// path for the
// stack and component (the form's live preview), a reference refused on a store that is not 1Password, and a
// SOPS provider declared at the stack level.
import { afterAll, describe, expect, it } from 'vitest';
import { memoryService, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';

afterAll(removeWrittenWorkspaces);

const ATMOS = `base_path: "."
stacks:
  base_path: stacks
  included_paths: ["*.yaml"]
  name_template: "{{ .vars.stage }}"
stores:
  op:
    kind: onepassword
    options: {vault: Platform, token: not-a-real-token}
  kc:
    kind: keychain
    options: {prefix: decl}
secrets:
  providers:
    files:
      kind: sops/age
      spec: {file: "secrets/{{ .atmos_stack }}.enc.yaml"}
`;
const DEV = `vars: {stage: dev}
components:
  terraform:
    api:
      vars: {a: 1}
`;

async function service() {
  const dir = writeWorkspace({ 'atmos.yaml': ATMOS, 'stacks/dev.yaml': DEV });
  return (await memoryService(dir)).svc;
}

describe('planDeclare', () => {
  it('renders a 1Password reference for the stack and component (the live preview)', async () => {
    const svc = await service();
    const plan = await svc.planDeclare({
      name: 'API_TOKEN',
      stack: 'dev',
      component: 'api',
      store: 'op',
      reference: 'op://Platform/{{ .atmos_stack }}-{{ .atmos_component }}/credential',
    });
    expect(plan.declaration.where).toContain('op://Platform/dev-api/credential');
    expect(plan.change.after).toContain(
      '          API_TOKEN:\n            store: op\n            reference: op://Platform/{{ .atmos_stack }}-{{ .atmos_component }}/credential\n',
    );
  });

  it('refuses a reference on a store that is not 1Password', async () => {
    const svc = await service();
    await expect(
      svc.planDeclare({ name: 'X', stack: 'dev', component: 'api', store: 'kc', reference: 'op://a/b/c' }),
    ).rejects.toThrow('a reference is for 1Password stores');
  });

  it('declares a SOPS secret at the stack level, where its file is the stack file', async () => {
    const svc = await service();
    const plan = await svc.planDeclare({ name: 'STACK_KEY', stack: 'dev', sops: 'files' });
    expect(plan.declaration).toMatchObject({ scope: 'stack', position: 'stack', provider: 'sops:files' });
    expect(plan.declaration.where).toContain('secrets/dev.enc.yaml');
    expect(plan.change.after).toBe(`${DEV}secrets:\n  vars:\n    STACK_KEY:\n      sops: files\n`);
  });
});
