// The age keys the app holds: listed with what they open (from the files' recipient stanzas), imported from a
// keys.txt into a provider's keychain entry (recipients recorded, comments kept), and removed only once the
// files no other held key opens were named: the key leaves its entry and the recipients file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newAgeKey } from '../../../../test/support/fixtures/sops/age-keys';
import { MemoryKeychains, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { keychainAgeAtmosYaml, memoryKeychainService } from '../../../../test/support/sops-age-workspace';
import { loadWorkspace } from '../../config';
import { AppError } from '../../../shared/errors';
import { recipientsOfKeyText } from '../../sops';
import {
  importAgeKeysForProvider,
  listHeldAgeKeys,
  planAgeKeyRemoval,
  recipientsFor,
  removeHeldAgeKey,
} from './held-age-keys';
import { applySopsRekey, planSopsRekey } from './sops-ops';
import { ageKeyAccount } from './sops-keys';

afterAll(removeWrittenWorkspaces);

const STACK = 'vars: {stage: dev}\nsecrets:\n  vars:\n    A: {sops: vault}\ncomponents:\n  terraform:\n    app: {}\n';
const ACCOUNT = ageKeyAccount('fx', 'vault');

async function workspace() {
  const dir = writeWorkspace({
    'atmos.yaml': keychainAgeAtmosYaml(
      undefined,
      `    files-only:
      kind: sops/age
      spec:
        file: "fo/{{ .atmos_stack }}.enc.yaml"
        age_key: {file: keys.txt}
`,
    ),
    'stacks/dev.yaml': STACK,
  });
  const keychains = new MemoryKeychains();
  const deps = { keychain: (s?: string) => keychains.get(s), env: { XDG_CONFIG_HOME: join(dir, 'none') } };
  const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
  const svc = memoryKeychainService(ws, dir, keychains);
  // First use makes the provider's key in kc (service svc) and records it in .sops.yaml.
  await svc.set({ stack: 'dev', name: 'A', value: 'a-value' });
  const first = [...(await recipientsOfKeyText((await keychains.get('svc').get(ACCOUNT)) ?? ''))][0] ?? '';
  return { dir, keychains, deps, ws, svc, first };
}

describe('held age keys', () => {
  it('lists each held key with the providers that read it and the files it alone opens; no key material', async () => {
    const { deps, ws, keychains, first } = await workspace();
    const stray = await newAgeKey();
    await keychains.get('atmos-secrets').set('other/sops-age/old', stray.identity);
    await keychains.get('atmos-secrets').set('atmos/app/SOME_VALUE', 'not-a-key');
    const held = await listHeldAgeKeys(ws, deps);
    expect(held.map(({ created: _c, ...k }) => k)).toEqual([
      {
        recipient: first,
        postQuantum: false,
        service: 'svc',
        account: ACCOUNT,
        providers: ['vault'],
        files: [{ file: 'vault/dev.enc.yaml', provider: 'vault', lostHere: true, lostForAll: true }],
      },
      {
        recipient: stray.recipient,
        postQuantum: false,
        service: 'atmos-secrets',
        account: 'other/sops-age/old',
        providers: [],
        files: [],
      },
    ]);
    expect(JSON.stringify(held)).not.toContain('AGE-SECRET-KEY');
    // Without a workspace: the app's own entries only, no files.
    expect((await listHeldAgeKeys(undefined, deps)).map((k) => k.account)).toEqual(['other/sops-age/old']);
    expect(await recipientsFor(ws, deps, 'vault')).toEqual([first]);
    expect(await recipientsFor(ws, deps, ACCOUNT)).toEqual([first]);
    await expect(recipientsFor(ws, deps, 'nothing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('imports a keys.txt into the provider entry, records it in .sops.yaml, then a removal moves the file to it', async () => {
    const { dir, deps, ws, keychains, first, svc } = await workspace();
    const config = join(dir, '.sops.yaml');
    writeFileSync(config, `# keep this comment\n${readFileSync(config, 'utf8')}`);
    const teammate = await newAgeKey();
    const imported = await importAgeKeysForProvider(ws, deps, {
      provider: 'vault',
      text: `# from the old laptop\n${teammate.identity}\n`,
      source: 'keys.txt',
    });
    expect(imported).toMatchObject({
      provider: 'vault',
      added: [teammate.recipient],
      alreadyHeld: [],
      recorded: [teammate.recipient],
      storedIn: `keychain svc/${ACCOUNT}`,
      recipientsFile: config,
    });
    expect(JSON.stringify(imported)).not.toContain('AGE-SECRET-KEY');
    expect(readFileSync(config, 'utf8')).toContain('# keep this comment');
    expect(readFileSync(config, 'utf8')).toContain(teammate.recipient);
    // Importing again adds nothing.
    expect(
      await importAgeKeysForProvider(ws, deps, { provider: 'vault', text: teammate.identity, source: 'keys.txt' }),
    ).toMatchObject({ added: [], alreadyHeld: [teammate.recipient], recorded: [] });

    // updatekeys wraps the file's data key for the imported key too: the first key no longer opens it alone.
    await applySopsRekey(ws, deps, await planSopsRekey(ws, deps, { action: 'updatekeys', provider: 'vault' }));
    const plan = await planAgeKeyRemoval(ws, deps, first);
    expect(plan).toEqual({
      keys: [{ recipient: first, service: 'svc', account: ACCOUNT }],
      files: [{ file: 'vault/dev.enc.yaml', provider: 'vault', lostHere: false, lostForAll: false }],
      recipientsFiles: ['.sops.yaml'],
      checked: true,
    });
    const removal = await removeHeldAgeKey(ws, deps, { name: first });
    expect(removal).toMatchObject({ removed: true, entriesDeleted: [] });
    expect([...(await recipientsOfKeyText((await keychains.get('svc').get(ACCOUNT)) ?? ''))]).toEqual([
      teammate.recipient,
    ]);
    const after = readFileSync(config, 'utf8');
    expect(after).not.toContain(first);
    expect(after).toContain('# keep this comment');
    // The value still opens, with the imported key alone.
    expect((await svc.get({ stack: 'dev', component: 'app', name: 'A' })).value).toBe('a-value');
  });

  it('refuses to remove the only key of a file until confirmed, then deletes the emptied entry', async () => {
    const { deps, ws, keychains, first } = await workspace();
    const refused = await removeHeldAgeKey(ws, deps, { name: 'vault' });
    expect(refused).toEqual({
      removed: false,
      entriesDeleted: [],
      plan: {
        keys: [{ recipient: first, service: 'svc', account: ACCOUNT }],
        files: [{ file: 'vault/dev.enc.yaml', provider: 'vault', lostHere: true, lostForAll: true }],
        recipientsFiles: ['.sops.yaml'],
        checked: true,
      },
    });
    expect(await keychains.get('svc').get(ACCOUNT)).not.toBeNull();
    expect(await removeHeldAgeKey(ws, deps, { name: 'vault', confirmed: true })).toMatchObject({
      removed: true,
      entriesDeleted: [ACCOUNT],
    });
    expect(await keychains.get('svc').get(ACCOUNT)).toBeNull();
  });

  it('refuses an import into a provider that keeps its key in a file, and a bad keys.txt, naming the line', async () => {
    const { deps, ws, keychains } = await workspace();
    const k = await newAgeKey();
    await expect(
      importAgeKeysForProvider(ws, deps, { provider: 'files-only', text: k.identity, source: 'keys.txt' }),
    ).rejects.toMatchObject({ code: 'CONFIG' });
    const e: unknown = await importAgeKeysForProvider(ws, deps, {
      provider: 'vault',
      text: `${k.identity}\nnot a key\n`,
      source: '/home/me/keys.txt',
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).location).toEqual({ file: '/home/me/keys.txt', line: 2 });
    // Nothing was stored from the refused file.
    expect([...(await recipientsOfKeyText((await keychains.get('svc').get(ACCOUNT)) ?? ''))]).not.toContain(
      k.recipient,
    );
  });

  it("marks a file a teammate's key also opens as lost here but not for everyone", async () => {
    const teammate = await newAgeKey();
    const { dir, deps, keychains, first } = await workspace();
    writeFileSync(
      join(dir, 'atmos.yaml'),
      keychainAgeAtmosYaml(
        undefined,
        `    shared:
      kind: sops/age
      spec:
        file: "shared/{{ .atmos_stack }}.enc.yaml"
        age_key: {store: kc, path: vault}
        age_recipients: ["${first}", "${teammate.recipient}"]
`,
      ),
    );
    writeFileSync(
      join(dir, 'stacks/dev.yaml'),
      STACK.replace('A: {sops: vault}', 'A: {sops: vault}\n    B: {sops: shared}'),
    );
    const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
    await memoryKeychainService(ws, dir, keychains).set({ stack: 'dev', name: 'B', value: 'b-value' });
    const [held] = await listHeldAgeKeys(ws, deps);
    expect(held?.providers).toEqual(['shared', 'vault']);
    expect(held?.files).toEqual([
      { file: 'shared/dev.enc.yaml', provider: 'shared', lostHere: true, lostForAll: false },
      { file: 'vault/dev.enc.yaml', provider: 'vault', lostHere: true, lostForAll: true },
    ]);
  });

  it('removing one copy of a key another entry still holds loses nothing and keeps its recipient', async () => {
    const { dir, deps, ws, keychains, first } = await workspace();
    const text = (await keychains.get('svc').get(ACCOUNT)) ?? '';
    await keychains.get('atmos-secrets').set('backup/sops-age/copy', text);
    const r = await removeHeldAgeKey(ws, deps, { name: 'backup/sops-age/copy' });
    expect(r).toEqual({
      removed: true,
      entriesDeleted: ['backup/sops-age/copy'],
      plan: {
        keys: [{ recipient: first, service: 'atmos-secrets', account: 'backup/sops-age/copy' }],
        files: [{ file: 'vault/dev.enc.yaml', provider: 'vault', lostHere: false, lostForAll: false }],
        recipientsFiles: [],
        checked: true,
      },
    });
    expect(readFileSync(join(dir, '.sops.yaml'), 'utf8')).toContain(first);
    expect(await keychains.get('svc').get(ACCOUNT)).toBe(text);
  });
});
