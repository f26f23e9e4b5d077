// The SOPS backend through the one composition (createSecretsService) over memory keychains: set creates the
// file, status without a key, get/delete, values as text, first-use keygen into a keychain store, re-keying.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadWorkspace } from '../../config';
import { isAppError } from '../../../shared/errors';
import { DEFAULT_KEYCHAIN_SERVICE } from '../../keychain/keychain';
import { newAgeKey } from '../../../../test/support/fixtures/sops/age-keys';
import { MemoryKeychains, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { createSecretsService } from '../compose';
import { applySopsRekey, keygenForProvider, planSopsRekey, sopsProviderFiles } from './sops-ops';
import { ageKeyAccount, SopsKeys, sopsKeySpec } from './sops-keys';
import { StoreCatalog } from '../model/store-catalog';
import { parseSopsProvider } from '../model/providers';
import { getSopsValue, createAgeKeySource, newMap, fromPlain, isSopsMap } from '../../sops';
import { sopsValueText } from './sops-backend';

afterAll(removeWrittenWorkspaces);

const ATMOS = `base_path: "."
stacks:
  base_path: stacks
  included_paths: ["*.yaml"]
  name_template: "{{ .vars.stage }}"
stores:
  kc:
    kind: keychain
    options: {prefix: fx, service: svc}
secrets:
  providers:
    files:
      kind: sops/age
      spec:
        file: "secrets/{{ .atmos_stack }}.enc.yaml"
        age_recipients: __RECIPIENT__
    vault:
      kind: sops/age
      spec:
        file: "vault/{{ .atmos_stack }}.enc.yaml"
        age_key: {store: kc}
`;
const STACK = (stage: string): string => `vars: {stage: ${stage}}
secrets:
  vars:
    TOKEN: {sops: files}
    KEPT: {sops: vault}
components:
  terraform:
    app:
      secrets:
        vars:
          OTHER: {sops: files, required: true}
`;

async function setup(): Promise<{
  dir: string;
  svc: ReturnType<typeof createSecretsService>;
  key: { identity: string; recipient: string };
  keychains: MemoryKeychains;
  warnings: string[];
}> {
  const key = await newAgeKey();
  const dir = writeWorkspace({
    'atmos.yaml': ATMOS.replace('__RECIPIENT__', key.recipient),
    'stacks/dev.yaml': STACK('dev'),
    'stacks/prod.yaml': STACK('prod'),
  });
  const keychains = new MemoryKeychains();
  const warnings: string[] = [];
  const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
  const svc = createSecretsService(ws, {
    keychain: (s) => keychains.get(s),
    env: { SOPS_AGE_KEY: key.identity, XDG_CONFIG_HOME: join(dir, 'no-config') },
    onWarning: (m) => warnings.push(m),
    remember: () => undefined,
    confirm: async () => true,
  });
  return { dir, svc, key, keychains, warnings };
}

const CANARY = 'sops-unit-canary-7f3a';

/** A service over the same workspace that holds `identity` (and no keychain key). */
async function setupReader(dir: string, identity: string): Promise<ReturnType<typeof createSecretsService>> {
  const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
  return createSecretsService(ws, {
    keychain: () => new MemoryKeychains().get(),
    env: { SOPS_AGE_KEY: identity, XDG_CONFIG_HOME: join(dir, 'none') },
    remember: () => undefined,
  });
}

describe('SopsSecretBackend', () => {
  it('set creates the file (0600), list reads status without a key, get and delete', async () => {
    const { dir, svc } = await setup();
    const file = join(dir, 'secrets/dev.enc.yaml');
    await svc.set({ stack: 'dev', name: 'TOKEN', value: CANARY });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(CANARY);
    expect((await svc.get({ stack: 'dev', name: 'TOKEN' })).value).toBe(CANARY);
    const rows = await svc.list({ stack: 'dev' });
    expect(rows.map((r) => `${r.component} ${r.secret} ${r.status}`)).toContain('* TOKEN initialized');
    expect(rows.map((r) => `${r.component} ${r.secret} ${r.status}`)).toContain('app OTHER missing');
    const missing: unknown = await svc.get({ stack: 'dev', component: 'app', name: 'OTHER' }).catch((e: unknown) => e);
    expect(isAppError(missing) && missing.code === 'SECRET_NOT_FOUND').toBe(true);
    expect((await svc.delete({ stack: 'dev', name: 'TOKEN' })).deleted).toBe(true);
    expect((await svc.delete({ stack: 'dev', name: 'TOKEN' })).deleted).toBe(false);
  });

  it('warns before creating a file whose recipients are all keys this machine does not hold', async () => {
    const { dir, key, warnings: own } = await setup();
    // The key we hold writes without a word.
    expect(own).toEqual([]);
    const other = await newAgeKey();
    const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
    const warnings: string[] = [];
    const svc = createSecretsService(ws, {
      keychain: () => new MemoryKeychains().get(),
      env: { SOPS_AGE_KEY: other.identity, XDG_CONFIG_HOME: join(dir, 'none') },
      onWarning: (m) => warnings.push(m),
      remember: () => undefined,
      confirm: async () => true,
    });
    await svc.set({ stack: 'dev', name: 'TOKEN', value: CANARY });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(join('secrets', 'dev.enc.yaml'));
    expect(warnings[0]).toContain(key.recipient);
    expect(warnings[0]).toContain('cannot be read back here');
    expect(warnings[0]).toContain('atmos-secret keygen files');
    expect(warnings[0]).not.toContain(CANARY);
    // Written all the same, for the recipients it names.
    expect(existsSync(join(dir, 'secrets/dev.enc.yaml'))).toBe(true);
    const holder = await setupReader(dir, key.identity);
    expect((await holder.get({ stack: 'dev', name: 'TOKEN' })).value).toBe(CANARY);
  });

  it('a wrong key fails naming the file, never the value', async () => {
    const { dir, svc, key } = await setup();
    await svc.set({ stack: 'prod', name: 'TOKEN', value: CANARY });
    const other = await newAgeKey();
    const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
    const wrong = createSecretsService(ws, {
      keychain: () => new MemoryKeychains().get(),
      env: { SOPS_AGE_KEY: other.identity, XDG_CONFIG_HOME: join(dir, 'none') },
      remember: () => undefined,
    });
    const e: unknown = await wrong.get({ stack: 'prod', name: 'TOKEN' }).catch((x: unknown) => x);
    expect(isAppError(e) && e.code === 'CRYPTO').toBe(true);
    expect(String((e as Error).message)).toContain(key.recipient);
    expect(String((e as Error).message)).not.toContain(CANARY);
  });

  it('generates the first key of a keychain-kept provider on first use and tells the caller', async () => {
    const { dir, svc, keychains, warnings } = await setup();
    await svc.set({ stack: 'dev', name: 'KEPT', value: CANARY });
    const stored = await keychains.get('svc').get(ageKeyAccount('fx', 'vault'));
    expect(stored).toMatch(/AGE-SECRET-KEY-1/);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('fx/sops-age/vault');
    expect(warnings[0]).not.toContain('AGE-SECRET-KEY');
    expect(readFileSync(join(dir, '.sops.yaml'), 'utf8')).toContain('path_regex: ^vault/[^/]+\\.enc\\.yaml$');
    expect((await svc.get({ stack: 'dev', name: 'KEPT' })).value).toBe(CANARY);
    // The second file uses the recorded recipient; no second key.
    await svc.set({ stack: 'prod', name: 'KEPT', value: 'x' });
    expect(warnings).toHaveLength(1);
  });

  it('concurrent first sets make one key', async () => {
    const { svc, keychains, warnings } = await setup();
    await Promise.all([
      svc.set({ stack: 'dev', name: 'KEPT', value: 'a' }),
      svc.set({ stack: 'prod', name: 'KEPT', value: 'b' }),
    ]);
    const stored = (await keychains.get('svc').get(ageKeyAccount('fx', 'vault'))) ?? '';
    expect(stored.match(/AGE-SECRET-KEY-1/g)).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect((await svc.get({ stack: 'prod', name: 'KEPT' })).value).toBe('b');
  });

  it("a provider with no age_key gets its first key in the OS keychain (keygen's default place) on first set", async () => {
    const dir = writeWorkspace({
      'atmos.yaml': [
        'base_path: "."',
        'stacks: {base_path: stacks, included_paths: ["*.yaml"], name_template: "{{ .vars.stage }}"}',
        'secrets:',
        '  providers:',
        '    team:',
        '      kind: sops/age',
        '      spec: {file: "team/{{ .atmos_stack }}.enc.yaml"}',
        '',
      ].join('\n'),
      'stacks/dev.yaml':
        'vars: {stage: dev}\nsecrets:\n  vars:\n    TOKEN: {sops: team}\ncomponents:\n  terraform:\n    app: {vars: {}}\n',
    });
    const keychains = new MemoryKeychains();
    const warnings: string[] = [];
    const open = async (): Promise<ReturnType<typeof createSecretsService>> =>
      createSecretsService(await loadWorkspace({ cwd: dir, configPath: dir, env: {} }), {
        keychain: (s) => keychains.get(s),
        // No SOPS_AGE_KEY and no keys.txt: the only key is the one first use makes.
        env: { XDG_CONFIG_HOME: join(dir, 'no-config'), HOME: join(dir, 'no-home') },
        onWarning: (m) => warnings.push(m),
        remember: () => undefined,
        confirm: async () => true,
      });
    const svc = await open();
    await svc.set({ stack: 'dev', name: 'TOKEN', value: CANARY });
    const stored = await keychains.get(DEFAULT_KEYCHAIN_SERVICE).get(ageKeyAccount(undefined, 'team'));
    expect(stored?.match(/AGE-SECRET-KEY-1/g)).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toContain('AGE-SECRET-KEY');
    expect(readFileSync(join(dir, '.sops.yaml'), 'utf8')).toContain('path_regex: ^team/[^/]+\\.enc\\.yaml$');
    expect(readFileSync(join(dir, 'team/dev.enc.yaml'), 'utf8')).not.toContain(CANARY);
    // A new service (nothing cached) opens the file with the key from the keychain entry.
    expect((await (await open()).get({ stack: 'dev', name: 'TOKEN' })).value).toBe(CANARY);
  });

  it('structured values come back as JSON text, ints as written', () => {
    const m = newMap();
    expect(isSopsMap(m)).toBe(true);
    expect(sopsValueText(fromPlain({ a: 1, b: [true, 'x'] }))).toBe('{"a":1,"b":[true,"x"]}');
    expect(sopsValueText(12345678901234567890n)).toBe('12345678901234567890');
  });
});

describe('provider operations', () => {
  it('keygen refuses a provider with pinned recipients; files, updatekeys and rotate work on every file', async () => {
    const { dir, svc, key } = await setup();
    const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
    const deps = {
      keychain: () => new MemoryKeychains().get(),
      env: { SOPS_AGE_KEY: key.identity, XDG_CONFIG_HOME: join(dir, 'none') },
    };
    const refused: unknown = await keygenForProvider(ws, deps, { provider: 'files' }).catch((e: unknown) => e);
    expect(isAppError(refused) && refused.code === 'CONFIG').toBe(true);

    await svc.set({ stack: 'dev', name: 'TOKEN', value: CANARY });
    await svc.set({ stack: 'prod', component: 'app', name: 'OTHER', value: 'p' });
    expect((await sopsProviderFiles(ws, 'files')).map((f) => f.file)).toEqual([
      'secrets/dev.enc.yaml',
      'secrets/prod.enc.yaml',
    ]);

    const before = readFileSync(join(dir, 'secrets/dev.enc.yaml'), 'utf8');
    const rotate = await planSopsRekey(ws, deps, { action: 'rotate', provider: 'files' });
    expect(rotate.changes).toBe(true);
    await applySopsRekey(ws, deps, rotate);
    const after = readFileSync(join(dir, 'secrets/dev.enc.yaml'), 'utf8');
    expect(after).not.toBe(before);
    expect((await svc.get({ stack: 'dev', name: 'TOKEN' })).value).toBe(CANARY);

    const same = await planSopsRekey(ws, deps, { action: 'updatekeys', provider: 'files' });
    expect(same.changes).toBe(false);
    expect(existsSync(join(dir, 'vault'))).toBe(false);
  });

  it('reads the key settings of a provider', () => {
    const p = parseSopsProvider({
      name: 'k',
      raw: {
        kind: 'sops/aws-kms',
        spec: { kms_arn: 'arn:aws:kms:us-east-1:1:key/a, arn:aws:kms:us-east-1:1:key/b', age_key_file: '~/k.txt' },
      },
      level: 'config',
      location: { file: 'atmos.yaml' },
    });
    const s = sopsKeySpec(p);
    expect(s.kmsArns).toEqual(['arn:aws:kms:us-east-1:1:key/a', 'arn:aws:kms:us-east-1:1:key/b']);
    expect(s.ageKeyFile).toBe('~/k.txt');
  });

  it('decrypts independently of the service (file is standard SOPS)', async () => {
    const { dir, svc, key } = await setup();
    await svc.set({ stack: 'dev', name: 'TOKEN', value: CANARY });
    const node = await getSopsValue(join(dir, 'secrets/dev.enc.yaml'), ['TOKEN'], {
      keySources: { age: createAgeKeySource({ ageKey: key.identity }) },
    });
    expect(node).toBe(CANARY);
  });
});

describe('keys of other kinds and sinks', () => {
  it('keygen with age_key_file writes that key file (0600); force adds a second key', async () => {
    // (Without age_key the key goes to the OS keychain: src/cli/keygen-default.test.ts.)
    const dir = writeWorkspace({
      'atmos.yaml': `base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n  name_template: "{{ .vars.stage }}"\nsecrets:\n  providers:\n    plain:\n      kind: sops/age\n      spec:\n        age_key_file: keys/age.txt\n`,
      'stacks/dev.yaml':
        'vars: {stage: dev}\nsecrets:\n  vars:\n    T: {sops: plain}\ncomponents:\n  terraform:\n    app: {}\n',
    });
    const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
    const keyFile = join(dir, 'keys/age.txt');
    const deps = { keychain: () => new MemoryKeychains().get(), env: {} };
    const r = await keygenForProvider(ws, deps, {});
    expect(r.provider).toBe('plain');
    expect(r.storedIn).toBe(keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, '.sops.yaml'), 'utf8')).toContain(`path_regex: ^secrets/[^/]+\\.enc\\.yaml$`);
    const again: unknown = await keygenForProvider(ws, deps, {}).catch((e: unknown) => e);
    expect(isAppError(again) && again.code === 'CONFIG').toBe(true);
    await keygenForProvider(ws, deps, { force: true });
    expect(readFileSync(keyFile, 'utf8').match(/AGE-SECRET-KEY-1/g)).toHaveLength(2);

    // The default placement (no spec.file) matches the recorded rule: set creates the file for that recipient.
    const svc = createSecretsService(ws, { ...deps, remember: () => undefined, confirm: async () => true });
    await svc.set({ stack: 'dev', name: 'T', value: CANARY });
    expect((await svc.get({ stack: 'dev', name: 'T' })).value).toBe(CANARY);
  });

  it('a KMS provider creates files for its own key ids; keygen refuses it', async () => {
    const keys = new SopsKeys({
      stores: new StoreCatalog([]),
      basePath: '/ws',
      keychain: () => new MemoryKeychains().get(),
    });
    const p = parseSopsProvider({
      name: 'k',
      raw: { kind: 'sops/aws-kms', spec: { kms: ['arn:aws:kms:us-east-1:1:key/a+arn:aws:iam::1:role/r'] } },
      level: 'config',
      location: { file: 'atmos.yaml' },
    });
    const rule = await keys.creationRule(p, '/ws/secrets/dev.enc.yaml');
    expect(rule.keyGroups).toEqual([
      [{ type: 'kms', arn: 'arn:aws:kms:us-east-1:1:key/a', role: 'arn:aws:iam::1:role/r' }],
    ]);
    expect(() => keys.ageKeySink(p)).toThrow(/keygen makes age keys only/);
  });
});
