// The keys channels. keys:delete never silently loses files: deleting an age key that is the only way to open
// some SOPS files of the open workspace is refused, naming those files, until the request confirms it; a key
// nothing depends on (or a file another key can also open) is deleted at once; an entry holding a secret value
// is never listed or deleted here. keys:overview lists keys with what they open and tokens, never values;
// keys:import takes pasted text or a file picked in the native dialog; updatekeys runs the plan it showed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newAgeKey } from '../../../test/support/fixtures/sops/age-keys';
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

async function app(picked: string | null = null) {
  const dir = writeWorkspace({ 'atmos.yaml': ATMOS, 'stacks/dev.yaml': STACK });
  const keychains = new MemoryKeychains();
  const env = { XDG_CONFIG_HOME: `${dir}/no-config`, HOME: `${dir}/no-home` };
  const session = new WorkspaceSession((s) => keychains.get(s), env);
  session.open(await describeWorkspaceFolder(dir), false);
  const keychain = keychains.get('atmos-secrets');
  const files = { open: async () => picked, save: async () => null, reveal: () => undefined };
  const services = {
    session,
    keychain,
    keychainFor: (s?: string) => keychains.get(s),
    files,
  } as unknown as AppServices;
  const handlers = createHandlers(services, {} as Operations);
  await keygenForProvider(await session.workspace(), { keychain: (s) => keychains.get(s), env }, {});
  return { handlers, keychain, session, dir };
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

describe('keys channels', () => {
  it('lists age keys with the files they open and tokens, never an entry that holds a value', async () => {
    const { handlers, keychain } = await app();
    await handlers['secrets:set']({ stack: 'dev', component: 'app', secret: 'A', value: 'v', confirmed: true }, ctx);
    await keychain.set('store-token/vault', 'hvs.CANARY-token');
    await keychain.set('atmos/dev/app/SOME_SECRET', 'CANARY-value');
    const overview = await handlers['keys:overview']({}, ctx);
    expect(overview).toMatchObject({
      service: 'atmos-secrets',
      workspaceOpen: true,
      canPickFile: true,
      tokens: [{ account: 'store-token/vault', store: 'vault' }],
      otherEntries: 1,
    });
    expect(overview.ageKeys).toEqual([
      expect.objectContaining({
        account: ACCOUNT,
        providers: ['files'],
        files: [{ file: 'secrets/dev.enc.yaml', provider: 'files', lostHere: true, lostForAll: true }],
      }),
    ]);
    expect(JSON.stringify(overview)).not.toMatch(/CANARY|AGE-SECRET-KEY|SOME_SECRET/);
    expect((await handlers['keys:list']({}, ctx)).names).toEqual([ACCOUNT, 'store-token/vault']);
    await expect(handlers['keys:delete']({ name: 'atmos/dev/app/SOME_SECRET' }, ctx)).rejects.toMatchObject({
      code: 'USAGE',
    });
    expect(await keychain.get('atmos/dev/app/SOME_SECRET')).toBe('CANARY-value');
    expect(await handlers['keys:delete']({ name: 'store-token/vault' }, ctx)).toEqual({ deleted: true });
    expect(await keychain.get('store-token/vault')).toBeNull();
  });

  it('imports pasted keys and a picked keys.txt; a closed dialog imports nothing', async () => {
    const pasted = await newAgeKey();
    const inFile = await newAgeKey();
    const { handlers, dir } = await app();
    const r = await handlers['keys:import']({ source: { from: 'text', text: pasted.identity } }, ctx);
    expect(r).toMatchObject({ cancelled: false, provider: 'files', added: [pasted.recipient] });
    const file = join(dir, 'keys.txt');
    writeFileSync(file, `# created: 2024-01-01T00:00:00Z\n${inFile.identity}\n`);
    const picked = await app(file);
    expect(await picked.handlers['keys:import']({ provider: 'files', source: { from: 'file' } }, ctx)).toMatchObject({
      cancelled: false,
      added: [inFile.recipient],
      recorded: [inFile.recipient],
    });
    const closed = await app(null);
    expect(await closed.handlers['keys:import']({ source: { from: 'file' } }, ctx)).toEqual({
      cancelled: true,
      added: [],
      alreadyHeld: [],
      recorded: [],
    });
  });

  it('shows the updatekeys plan, applies exactly that plan, then removes the old key without loss', async () => {
    const { handlers, keychain } = await app();
    await handlers['secrets:set']({ stack: 'dev', component: 'app', secret: 'A', value: 'v', confirmed: true }, ctx);
    const [first] = (await handlers['keys:overview']({}, ctx)).ageKeys;
    const second = await newAgeKey();
    await handlers['keys:import']({ source: { from: 'text', text: second.identity } }, ctx);
    const plan = await handlers['sops:rekeyPlan']({ action: 'updatekeys', provider: 'files' }, ctx);
    expect(plan).toMatchObject({
      action: 'updatekeys',
      provider: 'files',
      changes: true,
      files: [{ file: 'secrets/dev.enc.yaml', changes: true, added: [`age ${second.recipient}`], removed: [] }],
    });
    expect(await handlers['sops:rekeyApply']({ planId: plan.planId }, ctx)).toEqual({
      written: ['secrets/dev.enc.yaml'],
    });
    await expect(handlers['sops:rekeyApply']({ planId: plan.planId }, ctx)).rejects.toMatchObject({ code: 'USAGE' });
    const removal = await handlers['keys:removePlan']({ name: first?.recipient ?? '' }, ctx);
    expect(removal.files).toEqual([
      { file: 'secrets/dev.enc.yaml', provider: 'files', lostHere: false, lostForAll: false },
    ]);
    expect(await handlers['keys:remove']({ name: first?.recipient ?? '' }, ctx)).toMatchObject({
      removed: true,
      entriesDeleted: [],
    });
    expect((await handlers['keys:overview']({}, ctx)).ageKeys.map((k) => k.recipient)).toEqual([second.recipient]);
    expect(await keychain.get(ACCOUNT)).not.toContain(first?.recipient ?? 'x');
  });
});
