// Warnings belong to the request that caused them: two concurrent `secrets:set` calls (as two renderer
// windows or quick clicks make), each making a SOPS provider's first age key, each return only their own
// warning; nothing is kept on the session for the next call to pick up.
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryKeychains, removeWrittenWorkspaces, writeWorkspace } from '../../../test/support/secrets-workspace';
import { ageProvidersAtmosYaml } from '../../../test/support/sops-age-workspace';
import type { SecretsService } from '../secrets';
import type { AppServices } from '../services';
import { describeWorkspaceFolder } from '../session/folders';
import { WorkspaceSession } from '../session/session';
import type { HandlerContext } from './router';
import { createSecretsHandlers } from './secrets-handlers';

afterAll(removeWrittenWorkspaces);

const ATMOS = ageProvidersAtmosYaml({ prefix: 'hw', service: 'hw-test' }, ['alpha', 'beta']);
const STACK = `vars: {stage: dev}
components:
  terraform:
    app:
      secrets:
        vars:
          A: {sops: alpha}
          B: {sops: beta}
`;

const ctx: HandlerContext = { progress: () => undefined, signal: new AbortController().signal };

describe('secrets:set warnings', () => {
  it('two concurrent calls each return only their own first-use key warning', async () => {
    const dir = writeWorkspace({ 'atmos.yaml': ATMOS, 'stacks/dev.yaml': STACK });
    const keychains = new MemoryKeychains();
    const session = new WorkspaceSession((s) => keychains.get(s), {
      XDG_CONFIG_HOME: `${dir}/no-config`,
      HOME: `${dir}/no-home`,
    });
    session.open(await describeWorkspaceFolder(dir), false);
    // The interleaving that loses warnings, made certain: A's set has finished (its warning given) but A's
    // handler is still running when B's handler starts and ends.
    const real = await session.secrets();
    let bDone!: () => void;
    const bFinished = new Promise<void>((r) => (bDone = r));
    const gated: SecretsService = Object.create(real) as SecretsService;
    gated.set = async (req) => {
      const result = await real.set(req);
      if (req.name === 'A') await bFinished;
      return result;
    };
    session.secrets = async () => gated;
    const handlers = createSecretsHandlers({ session } as unknown as AppServices);
    const set = (secret: string) =>
      handlers['secrets:set']({ stack: 'dev', component: 'app', secret, value: `v-${secret}`, confirmed: true }, ctx);
    const a = set('A');
    const b = await Promise.resolve(set('B')).finally(bDone);
    expect(b.warnings).toHaveLength(1);
    expect(b.warnings[0]).toContain('SOPS provider "beta" had no age key');
    const aw = (await a).warnings;
    expect(aw).toHaveLength(1);
    expect(aw[0]).toContain('SOPS provider "alpha" had no age key');
    // Nothing left over for a later call.
    expect((await set('A')).warnings).toEqual([]);
  });
});
