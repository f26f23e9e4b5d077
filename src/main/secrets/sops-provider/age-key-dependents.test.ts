// Deleting an age key: the files encrypted to it are named, and those no other key can open are marked.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newAgeKey } from '../../../../test/support/fixtures/sops/age-keys';
import { MemoryKeychains, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { keychainAgeAtmosYaml } from '../../../../test/support/sops-age-workspace';
import { loadWorkspace } from '../../config';
import { recipientsOfKeyText } from '../../sops';
import { createSecretsService } from '../compose';
import { filesDependingOnAgeKey } from './age-key-dependents';
import { ageKeyAccount } from './sops-keys';

afterAll(removeWrittenWorkspaces);

describe('filesDependingOnAgeKey', () => {
  it('names the files encrypted to the key, and which would become unreadable', async () => {
    const teammate = await newAgeKey();
    const dir = writeWorkspace({
      'atmos.yaml': keychainAgeAtmosYaml(
        undefined,
        `    shared:
      kind: sops/age
      spec:
        file: "shared/{{ .atmos_stack }}.enc.yaml"
        age_key: {store: kc, path: vault}
        age_recipients: ["__MINE__", "${teammate.recipient}"]
`,
      ),
      'stacks/dev.yaml':
        'vars: {stage: dev}\nsecrets:\n  vars:\n    A: {sops: vault}\n    B: {sops: shared}\ncomponents:\n  terraform:\n    app: {}\n',
      'stacks/prod.yaml':
        'vars: {stage: prod}\nsecrets:\n  vars:\n    A: {sops: vault}\n    B: {sops: shared}\ncomponents:\n  terraform:\n    app: {}\n',
    });
    const keychains = new MemoryKeychains();
    const deps = { keychain: (s?: string) => keychains.get(s), env: { XDG_CONFIG_HOME: join(dir, 'none') } };
    let ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
    const svc = createSecretsService(ws, { ...deps, remember: () => undefined, confirm: async () => true });
    // First use makes the vault key; the shared provider then lists it beside the teammate's.
    await svc.set({ stack: 'dev', name: 'A', value: 'a' });
    await svc.set({ stack: 'prod', name: 'A', value: 'a' });
    const account = ageKeyAccount('fx', 'vault');
    const [mine] = [...(await recipientsOfKeyText((await keychains.get('svc').get(account)) ?? ''))];
    writeFileSync(
      join(dir, 'atmos.yaml'),
      readFileSync(join(dir, 'atmos.yaml'), 'utf8').replace('__MINE__', mine ?? ''),
    );
    ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
    const svc2 = createSecretsService(ws, { ...deps, remember: () => undefined, confirm: async () => true });
    await svc2.set({ stack: 'dev', name: 'B', value: 'b' });

    const found = await filesDependingOnAgeKey(ws, deps, { account, service: 'svc' });
    expect(found).toEqual([
      { file: 'shared/dev.enc.yaml', provider: 'shared', unreadable: false },
      { file: 'vault/dev.enc.yaml', provider: 'vault', unreadable: true },
      { file: 'vault/prod.enc.yaml', provider: 'vault', unreadable: true },
    ]);
    expect(await filesDependingOnAgeKey(ws, deps, { account: 'nothing-here', service: 'svc' })).toEqual([]);
  });
});
