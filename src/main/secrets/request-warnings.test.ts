// Warnings go with each request: two concurrent sets on one service (as two IPC calls are), each making a SOPS
// provider's first age key, each hear only their own warning; a request without a sink uses the service-wide one.
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkspace } from '../config';
import { MemoryKeychains, removeWrittenWorkspaces, writeWorkspace } from '../../../test/support/secrets-workspace';
import { ageProvidersAtmosYaml } from '../../../test/support/sops-age-workspace';
import { createSecretsService } from './compose';

afterAll(removeWrittenWorkspaces);

const ATMOS = ageProvidersAtmosYaml({ prefix: 'rw', service: 'rw-test' }, ['alpha', 'beta', 'gamma']);
const STACK = `vars: {stage: dev}
secrets:
  vars:
    A: {sops: alpha}
    B: {sops: beta}
    G: {sops: gamma}
components:
  terraform:
    app:
      vars: {}
`;

async function service() {
  const dir = writeWorkspace({ 'atmos.yaml': ATMOS, 'stacks/dev.yaml': STACK });
  const keychains = new MemoryKeychains();
  const shared: string[] = [];
  const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
  const svc = createSecretsService(ws, {
    keychain: (s) => keychains.get(s),
    env: { XDG_CONFIG_HOME: `${dir}/no-config`, HOME: `${dir}/no-home` },
    onWarning: (m) => shared.push(m),
    remember: () => undefined,
    confirm: async () => true,
  });
  return { svc, shared };
}

describe('per-request warnings', () => {
  it('concurrent requests each get their own first-use key warning, none reaches the shared sink', async () => {
    const { svc, shared } = await service();
    const alpha: string[] = [];
    const beta: string[] = [];
    await Promise.all([
      svc.set({ stack: 'dev', name: 'A', value: 'a', onWarning: (m) => alpha.push(m) }),
      svc.set({ stack: 'dev', name: 'B', value: 'b', onWarning: (m) => beta.push(m) }),
    ]);
    expect(alpha).toHaveLength(1);
    expect(alpha[0]).toContain('SOPS provider "alpha" had no age key');
    expect(beta).toHaveLength(1);
    expect(beta[0]).toContain('SOPS provider "beta" had no age key');
    expect(shared).toEqual([]);
  });

  it('a request without its own sink reports to the service-wide one', async () => {
    const { svc, shared } = await service();
    await svc.set({ stack: 'dev', name: 'G', value: 'g' });
    expect(shared).toHaveLength(1);
    expect(shared[0]).toContain('SOPS provider "gamma" had no age key');
  });
});
