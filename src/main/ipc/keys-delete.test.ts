// keys:delete never silently loses files: deleting an age key that is the only way to open some SOPS files of
// the open workspace is refused, naming those files, until the request confirms it; a key nothing depends on
// (or a file another key can also open) is deleted at once.
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryKeychains, removeWrittenWorkspaces, writeWorkspace } from '../../../test/support/secrets-workspace';
import { keygenForProvider } from '../secrets';
import type { AppServices } from '../services';
import { describeWorkspaceFolder } from '../session/folders';
import { WorkspaceSession } from '../session/session';
import { createHandlers } from './handlers';
import type { Operations } from './operations';
import type { HandlerContext } from './router';

afterAll(removeWrittenWorkspaces);

const ATMOS = `base_path: "."
stacks:
  base_path: stacks
  included_paths: ["*.yaml"]
  name_template: "{{ .vars.stage }}"
secrets:
  providers:
    files:
      kind: sops/age
      spec:
        file: "secrets/{{ .atmos_stack }}.enc.yaml"
`;
const STACK = `vars: {stage: dev}
components:
  terraform:
    app:
      secrets:
        vars:
          A: {sops: files}
`;

const ctx: HandlerContext = { progress: () => undefined, signal: new AbortController().signal };
const ACCOUNT = 'atmos/sops-age/files';

async function app() {
  const dir = writeWorkspace({ 'atmos.yaml': ATMOS, 'stacks/dev.yaml': STACK });
  const keychains = new MemoryKeychains();
  const env = { XDG_CONFIG_HOME: `${dir}/no-config`, HOME: `${dir}/no-home` };
  const session = new WorkspaceSession((s) => keychains.get(s), env);
  session.open(await describeWorkspaceFolder(dir), false);
  const keychain = keychains.get('atmos-secrets');
  const services = { session, keychain, keychainFor: (s?: string) => keychains.get(s) } as unknown as AppServices;
  const handlers = createHandlers(services, {} as Operations);
  await keygenForProvider(await session.workspace(), { keychain: (s) => keychains.get(s), env }, {});
  return { handlers, keychain, session };
}

describe('keys:delete', () => {
  it('refuses to delete the only key of a SOPS file, naming it, until confirmed', async () => {
    const { handlers, keychain, session } = await app();
    const setA = await handlers['secrets:set'](
      { stack: 'dev', component: 'app', secret: 'A', value: 'v', confirmed: true },
      ctx,
    );
    expect(setA.consumers).toBe(1);
    expect(await handlers['keys:delete']({ name: ACCOUNT, confirmed: false }, ctx)).toEqual({
      deleted: false,
      unreadable: ['secrets/dev.enc.yaml'],
    });
    expect(await keychain.get(ACCOUNT)).not.toBeNull();
    expect((await (await session.secrets()).get({ stack: 'dev', component: 'app', name: 'A' })).value).toBe('v');
    expect(await handlers['keys:delete']({ name: ACCOUNT, confirmed: true }, ctx)).toEqual({
      deleted: true,
      unreadable: ['secrets/dev.enc.yaml'],
    });
    expect(await keychain.get(ACCOUNT)).toBeNull();
  });

  it('deletes a key no file depends on at once', async () => {
    const { handlers, keychain } = await app();
    expect(await handlers['keys:delete']({ name: ACCOUNT, confirmed: false }, ctx)).toEqual({
      deleted: true,
      unreadable: [],
    });
    expect(await keychain.get(ACCOUNT)).toBeNull();
  });
});
