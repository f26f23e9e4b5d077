// validate reports every configuration problem instead of stopping at the first: a scope that contradicts the
// declaration's position is one problem of that secret (the component's other secrets are still checked), and
// a SOPS spec.file that resolves outside the base path is a configuration problem of that secret.
import { afterAll, describe, expect, it } from 'vitest';
import { appComponentService, keychainStoreAtmosYaml } from '../../../../test/support/app-component-workspace';
import { removeWrittenWorkspaces } from '../../../../test/support/secrets-workspace';

afterAll(removeWrittenWorkspaces);

const ATMOS = keychainStoreAtmosYaml(
  'validate-config-test',
  `secrets:
  providers:
    inside:
      kind: sops/age
      spec: {file: "secrets/{{ .atmos_stack }}.enc.yaml"}
    escapes:
      kind: sops/age
      spec: {file: "../outside/{{ .atmos_stack }}.enc.yaml"}
    absolute:
      kind: sops/age
      spec: {file: "/etc/atmos-secrets-test.enc.yaml"}
`,
);

describe('validate reports every problem', () => {
  it('a scope contradiction and another error in the same component are both reported', async () => {
    const { svc } = await appComponentService(
      ATMOS,
      '        vars:\n          X: {store: kc, scope: stack}\n          Y: {store: nope}\n          Z: {store: kc, required: true}\n',
    );
    const report = await svc.validate({ stack: 'dev', component: 'app' });
    expect(report.ok).toBe(false);
    const bySecret = new Map(report.issues.map((i) => [i.secret, i]));
    expect(bySecret.get('X')).toMatchObject({
      kind: 'config',
      message: 'secret "X" declares scope "stack" but its position implies "instance"',
      location: { file: expect.stringContaining('stacks/dev.yaml') as unknown, line: 6 },
    });
    expect(bySecret.get('Y')?.kind).toBe('config');
    expect(bySecret.get('Y')?.message).toContain('"nope"');
    // Z is fine apart from having no value yet.
    expect(bySecret.get('Z')?.kind).toBe('missing');
    // The component still loads: its well-formed secrets are usable.
    expect(svc.component('dev', 'app').secrets.map((s) => s.name)).toEqual(['Z']);
  });

  it('a SOPS spec.file outside the base path is a configuration problem of that secret', async () => {
    const { svc } = await appComponentService(
      ATMOS,
      '        vars:\n          IN: {sops: inside, required: true}\n          UP: {sops: escapes, required: true}\n          ABS: {sops: absolute, required: true}\n',
    );
    const report = await svc.validate({ stack: 'dev', component: 'app' });
    const bySecret = new Map(report.issues.map((i) => [i.secret, i]));
    for (const name of ['UP', 'ABS']) {
      expect(bySecret.get(name)?.kind, name).toBe('config');
      expect(bySecret.get(name)?.message, name).toContain('outside the base path');
    }
    expect(bySecret.get('IN')?.kind).toBe('missing');
  });
});
