// The SOPS track as a real process: set (creates the file, 0600) / get / list (without decrypting) / delete /
// validate / pull / exec on a SOPS provider with the age key in SOPS_AGE_KEY_FILE; keygen into the real
// keychain (run under scripts/with-keyring.mjs) and what it wrote opened by independent readers (sops-age, the
// age CLI); the demo's first-use key; updatekeys and rotate; and a canary that never leaks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptSops } from 'sops-age';
import { KeytarKeychain } from '../main/keychain/keytar-keychain';
import { mergeRecipientIntoConfig, parseAgeKeyList, parseMetadata, STORES } from '../main/sops';
import { emptyKeychain } from '../../test/support/keychain';
import { filesContaining } from '../../test/support/canary';
import { runCliProcess, type CliRun } from '../../test/support/cli';
import { REPO_ROOT, SOPS_TESTDATA } from '../../test/support/paths';
import { newAgeKey, type TestAgeKey } from '../../test/support/fixtures/sops/age-keys';
import { copySecretsFixture, type FixtureCopy } from '../../test/support/secrets-workspace';

const CANARY = `SOPS-CANARY-${Math.random().toString(36).slice(2, 10)}-do-not-leak`;
const PGP_KEY_FILE = join(SOPS_TESTDATA, 'pgp/keys/sops_functional_tests_key.asc');
const FILES_RULE = '^secrets/.*\\.enc\\.yaml$';

let fx: FixtureCopy;
let keysDir: string;
let key1: TestAgeKey;
let key2: TestAgeKey;
let keyFile1: string;
let keyFile2: string;
let keychain: KeytarKeychain;
/** Every stdout/stderr the canary must not be in (get's stdout is left out on purpose). */
const outputs: string[] = [];

beforeAll(async () => {
  fx = copySecretsFixture('sops', 'sops-int');
  keychain = new KeytarKeychain(fx.service);
  keysDir = realpathSync(mkdtempSync(join(tmpdir(), 'atmos-sops-keys-')));
  key1 = await newAgeKey();
  key2 = await newAgeKey();
  keyFile1 = join(keysDir, 'key1.txt');
  keyFile2 = join(keysDir, 'key2.txt');
  writeFileSync(keyFile1, `# key 1\n${key1.identity}\n`, { mode: 0o600 });
  writeFileSync(keyFile2, `# key 2\n${key2.identity}\n`, { mode: 0o600 });
  writeFileSync(
    join(fx.dir, '.sops.yaml'),
    `# Recipients of the test workspace (this comment must survive keygen).\ncreation_rules:\n  - path_regex: ${FILES_RULE}\n    age: ${key1.recipient}\n`,
  );
});
afterAll(async () => {
  await emptyKeychain(keychain);
  fx.cleanup();
  rmSync(keysDir, { recursive: true, force: true });
});

async function cli(
  args: string[],
  o: { stdin?: string; keyFile?: string; record?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  const r = await runCliProcess(['--base-path', fx.dir, ...args], {
    cwd: fx.dir,
    stdin: o.stdin,
    env: {
      ...process.env,
      ATMOS_STACK: '',
      ATMOS_COMPONENT: '',
      SOPS_AGE_KEY: '',
      SOPS_AGE_KEY_FILE: o.keyFile ?? keyFile1,
      // sops' default keys.txt is looked for under here: an empty folder, never the person's own.
      XDG_CONFIG_HOME: join(keysDir, 'xdg'),
      ...o.env,
    },
  });
  if (o.record !== false) outputs.push(r.stdout, r.stderr);
  else outputs.push(r.stderr);
  return r;
}

function filesWithCanary(dir: string, except: readonly string[] = []): string[] {
  return filesContaining(dir, CANARY, except);
}

function statusOf(stdout: string, secret: string, component?: string): string | undefined {
  const rows = JSON.parse(stdout) as { secret: string; component: string; status: string }[];
  return rows.find((r) => r.secret === secret && (component === undefined || r.component === component))?.status;
}

const devFile = (): string => join(fx.dir, 'secrets/dev.enc.yaml');

describe('a SOPS provider through the CLI (spawned)', () => {
  it('validate reports the missing required secret and the file collision between two instances', async () => {
    const dev = await cli(['validate', '-s', 'dev']);
    expect(dev.code).toBe(1);
    expect(dev.stdout).toContain('required secret "API_TOKEN" is not initialized');
    const prod = await cli(['validate', '-s', 'prod']);
    expect(prod.code).toBe(1);
    expect(prod.stdout).toContain(
      'SOPS provider "shared" would write 2 different secrets to key "CLASH" of secrets/shared.enc.yaml',
    );
  });

  it('set creates the file (0600) for the .sops.yaml recipients; get, list without a key, delete', async () => {
    const set = await cli(['set', 'API_TOKEN', '-s', 'dev', '--yes', '--stdin'], { stdin: `${CANARY}\n` });
    expect(set.code, set.stderr).toBe(0);
    expect(statSync(devFile()).mode & 0o777).toBe(0o600);
    const text = readFileSync(devFile(), 'utf8');
    expect(text).not.toContain(CANARY);
    expect(text).toContain(key1.recipient);

    const get = await cli(['get', 'API_TOKEN', '-s', 'dev', '--raw'], { record: false });
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(CANARY);

    // Status needs no key: the key file is gone here, the status is still known.
    const list = await cli(['list', '-s', 'dev', '--format', 'json'], { keyFile: join(keysDir, 'absent.txt') });
    expect(list.code, list.stderr).toBe(0);
    expect(statusOf(list.stdout, 'API_TOKEN')).toBe('initialized');
    expect(statusOf(list.stdout, 'DB_PASSWORD', 'api')).toBe('missing');

    const validate = await cli(['validate', '-s', 'dev']);
    expect(validate.code, validate.stdout).toBe(0);

    const del = await cli(['delete', 'API_TOKEN', '-s', 'dev', '--yes']);
    expect(del.code, del.stderr).toBe(0);
    const after = await cli(['list', '-s', 'dev', '--format', 'json']);
    expect(statusOf(after.stdout, 'API_TOKEN')).toBe('missing');
    const gone = await cli(['get', 'API_TOKEN', '-s', 'dev']);
    expect(gone.code).toBe(1);
  });

  it('pull and exec hand the decrypted value over (0600 file, child env)', async () => {
    const set = await cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], { stdin: CANARY });
    expect(set.code, set.stderr).toBe(0);

    const out = join(keysDir, 'pulled.env');
    const pull = await cli(['pull', '-s', 'dev', '-c', 'api', '-o', out]);
    expect(pull.code, pull.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toContain(`DB_PASSWORD=${CANARY}`);
    rmSync(out);

    const script =
      "process.stdout.write(require('node:crypto').createHash('sha256').update(process.env.DB_PASSWORD ?? '').digest('hex'))";
    const exec = await cli(['exec', '-s', 'dev', '-c', 'api', '--', process.execPath, '-e', script]);
    expect(exec.code, exec.stderr).toBe(0);
    expect(exec.stdout).toBe(createHash('sha256').update(CANARY).digest('hex'));
  });

  it('a wrong key and a tampered file fail naming the file, never the value', async () => {
    const wrong = await cli(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api'], { keyFile: keyFile2 });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('dev.enc.yaml');
    expect(wrong.stderr).toContain(key1.recipient);

    const original = readFileSync(devFile(), 'utf8');
    const tampered = original.replace(
      /(DB_PASSWORD: ENC\[AES256_GCM,data:)(.)/,
      (_m, a: string, c: string) => `${a}${c === 'A' ? 'B' : 'A'}`,
    );
    expect(tampered).not.toBe(original);
    writeFileSync(devFile(), tampered);
    const bad = await cli(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('dev.enc.yaml');
    writeFileSync(devFile(), original);
  });
});

describe('a sops/pgp provider (the local gpg)', () => {
  let home: string;
  beforeAll(() => {
    // Short path: gpg-agent's socket must fit in sockaddr_un.
    home = mkdtempSync(join(tmpdir(), 'gpg-'));
    chmodSync(home, 0o700);
    execFileSync('gpg', ['--batch', '--no-tty', '--import', PGP_KEY_FILE], {
      env: { ...process.env, GNUPGHOME: home },
      stdio: 'ignore',
    });
  });
  afterAll(() => {
    try {
      execFileSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home }, stdio: 'ignore' });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('set encrypts a new file for the provider fingerprint; get decrypts with gpg', async () => {
    const env = { GNUPGHOME: home };
    const set = await cli(['set', 'PGP_TOKEN', '-s', 'dev', '--yes', '--stdin'], { stdin: CANARY, env });
    expect(set.code, set.stderr).toBe(0);
    const text = readFileSync(join(fx.dir, 'pgp/dev.enc.yaml'), 'utf8');
    expect(text).toContain('fp: FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4');
    expect(text).not.toContain(CANARY);
    const get = await cli(['get', 'PGP_TOKEN', '-s', 'dev', '--raw'], { record: false, env });
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(CANARY);
  });
});

describe('keygen into the real keychain', () => {
  it('stores the key in the keychain, records the recipient (comments kept); set then opens with sops-age and the age CLI', async () => {
    const kg = await cli(['keygen', 'vault']);
    expect(kg.code, kg.stderr).toBe(0);
    const recipient = kg.stdout.trim();
    expect(recipient).toMatch(/^age1[0-9a-z]+$/);
    const stored = await keychain.get('fx/sops-age/vault');
    const identities = parseAgeKeyList(stored ?? '');
    expect(identities).toHaveLength(1);
    expect(kg.stdout + kg.stderr).not.toContain(identities[0]);
    const config = readFileSync(join(fx.dir, '.sops.yaml'), 'utf8');
    expect(config).toContain('# Recipients of the test workspace (this comment must survive keygen).');
    expect(config).toContain(`path_regex: ^vault/[^/]+\\.enc\\.yaml$`);
    expect(config).toContain(recipient);
    expect(config).toContain(key1.recipient);

    const again = await cli(['keygen', 'vault']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('SOPS provider "vault" already has an age key');
    expect(again.stderr).toContain('atmos-secret keygen vault --force');

    const set = await cli(['set', 'VAULT_TOKEN', '-s', 'dev', '--yes', '--stdin'], {
      stdin: CANARY,
      keyFile: join(keysDir, 'absent.txt'),
    });
    expect(set.code, set.stderr).toBe(0);
    const file = join(fx.dir, 'vault/dev.enc.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(CANARY);

    // An independent SOPS implementation, with the private key read back from the keychain.
    const decrypted = (await decryptSops(text, { secretKey: identities[0], fileType: 'yaml' })) as Record<
      string,
      unknown
    >;
    expect(decrypted['VAULT_TOKEN']).toBe(CANARY);

    // The age CLI unwraps the data key (the identity in a 0600 file of the test's own temp folder).
    const idFile = join(keysDir, 'vault-id.txt');
    writeFileSync(idFile, `${identities[0]}\n`, { mode: 0o600 });
    const meta = parseMetadata(STORES.yaml.parse(Buffer.from(text), file).metadata, file);
    const entry = meta.keyGroups[0]?.[0];
    expect(entry?.type).toBe('age');
    const age = spawnSync('age', ['-d', '-i', idFile], { input: entry?.enc ?? '' });
    rmSync(idFile);
    expect(age.status, age.stderr.toString()).toBe(0);
    expect(age.stdout.length).toBe(32);

    const get = await cli(['get', 'VAULT_TOKEN', '-s', 'dev', '--raw'], {
      record: false,
      keyFile: join(keysDir, 'absent.txt'),
    });
    expect(get.stdout).toBe(CANARY);
  });
});

describe('sops updatekeys / rotate', () => {
  it('needs confirmation (exit 2 without --yes and a terminal), prints the plan, and re-wraps for a new recipient', async () => {
    const set = await cli(['set', 'API_TOKEN', '-s', 'dev', '--yes', '--stdin'], { stdin: CANARY });
    expect(set.code, set.stderr).toBe(0);
    const cfg = join(fx.dir, '.sops.yaml');
    writeFileSync(cfg, mergeRecipientIntoConfig(readFileSync(cfg, 'utf8'), FILES_RULE, key2.recipient).text);
    const before = readFileSync(devFile(), 'utf8');

    const refused = await cli(['sops', 'updatekeys', 'files']);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain(`secrets/dev.enc.yaml: + age ${key2.recipient}`);
    expect(refused.stderr).toContain('--yes');
    const dry = await cli(['sops', 'updatekeys', 'files', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(readFileSync(devFile(), 'utf8')).toBe(before);

    const applied = await cli(['sops', 'updatekeys', 'files', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    const get = await cli(['get', 'API_TOKEN', '-s', 'dev', '--raw'], { record: false, keyFile: keyFile2 });
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(CANARY);
  });

  it('rotate makes a new data key; every value still decrypts', async () => {
    const dataKey = (): Buffer => {
      const text = readFileSync(devFile(), 'utf8');
      const meta = parseMetadata(STORES.yaml.parse(Buffer.from(text), devFile()).metadata, devFile());
      const entry = meta.keyGroups[0]?.find((e) => e.type === 'age' && e.recipient === key1.recipient);
      const r = spawnSync('age', ['-d', '-i', keyFile1], { input: entry?.type === 'age' ? entry.enc : '' });
      expect(r.status, r.stderr.toString()).toBe(0);
      return r.stdout;
    };
    const before = dataKey();
    const refused = await cli(['sops', 'rotate', 'files']);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain('secrets/dev.enc.yaml: new data key, 2 value(s) re-encrypted');
    const rotated = await cli(['sops', 'rotate', 'files', '--yes']);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(dataKey().equals(before)).toBe(false);
    for (const [name, comp] of [
      ['API_TOKEN', undefined],
      ['DB_PASSWORD', 'api'],
    ] as const) {
      const get = await cli(['get', name, '-s', 'dev', ...(comp ? ['-c', comp] : []), '--raw'], { record: false });
      expect(get.code, get.stderr).toBe(0);
      expect(get.stdout).toBe(CANARY);
    }
  });

  it('an unknown provider is a usage error', async () => {
    const r = await cli(['sops', 'rotate', 'nope', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Configured providers: files, shared, signed, vault.');
  });
});

describe('the demo', () => {
  let demo: string;
  let demoKeychain: KeytarKeychain;

  beforeAll(() => {
    demo = realpathSync(mkdtempSync(join(tmpdir(), 'atmos-demo-sops-')));
    cpSync(join(REPO_ROOT, 'examples/demo'), demo, { recursive: true });
    // The copy's keychain store gets a service of its own, so the run never touches another's entries.
    const service = `atmos-secrets-test-demo-${randomUUID().slice(0, 8)}`;
    const cfg = join(demo, 'atmos.yaml');
    const text = readFileSync(cfg, 'utf8');
    const patched = text.replace('      prefix: atmos-demo\n', `      prefix: atmos-demo\n      service: ${service}\n`);
    expect(patched).not.toBe(text);
    writeFileSync(cfg, patched);
    demoKeychain = new KeytarKeychain(service);
  });
  afterAll(async () => {
    await emptyKeychain(demoKeychain);
    rmSync(demo, { recursive: true, force: true });
  });

  it('set of the SOPS secret makes the age key in the keychain on first use; get returns the value', async () => {
    const run = (args: string[], stdin?: string): Promise<CliRun> =>
      runCliProcess(['--base-path', demo, ...args], {
        cwd: demo,
        stdin,
        env: {
          ...process.env,
          ATMOS_STACK: '',
          SOPS_AGE_KEY_FILE: '',
          SOPS_AGE_KEY: '',
          XDG_CONFIG_HOME: join(demo, '.no-config'),
        },
      });
    const set = await run(['set', 'GRAFANA_ADMIN_PASSWORD', '-s', 'plat-ue2-dev', '--yes', '--stdin'], CANARY);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toContain('warning: SOPS provider "demo-sops" had no age key: generated one');
    expect(set.stderr).toContain('atmos-demo/sops-age/demo-sops');
    expect(set.stdout + set.stderr).not.toContain(CANARY);
    expect(await demoKeychain.list()).toEqual(['atmos-demo/sops-age/demo-sops']);
    expect(set.stderr).not.toContain(
      parseAgeKeyList((await demoKeychain.get('atmos-demo/sops-age/demo-sops')) ?? '')[0] ?? 'none',
    );
    expect(existsSync(join(demo, '.sops.yaml'))).toBe(true);
    expect(statSync(join(demo, 'secrets/plat-ue2-dev.enc.yaml')).mode & 0o777).toBe(0o600);
    const get = await run(['get', 'GRAFANA_ADMIN_PASSWORD', '-s', 'plat-ue2-dev', '--raw']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(CANARY);
    expect(filesWithCanary(demo)).toEqual([]);
  });
});

describe('the canary', () => {
  it('never appears in any output (except get) or any file of the workspace', () => {
    expect(outputs.filter((o) => o.includes(CANARY))).toEqual([]);
    expect(filesWithCanary(fx.dir)).toEqual([]);
    expect(filesWithCanary(keysDir)).toEqual([]);
  });
});
