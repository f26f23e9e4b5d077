// `atmos-secret keys` as a real process against the real OS keychain: a keys.txt imported into the provider's
// entry (kept whole through keytar, with its comments), listed with the file it opens once updatekeys ran,
// exported, and removed with --yes. No private key in any output.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newAgeKey } from '../../../test/support/fixtures/sops/age-keys';
import { runCliProcess, type CliRun } from '../../../test/support/cli';
import { copySecretsFixture } from '../../../test/support/secrets-workspace';
import { KeytarKeychain } from '../../main/keychain/keytar-keychain';
import { parseAgeKeyList } from '../../main/sops';

const fx = copySecretsFixture('basic', 'keys-cli');
const keychain = new KeytarKeychain(fx.service);
const ACCOUNT = 'fx/sops-age/files';
afterAll(async () => {
  for (const name of await keychain.list()) await keychain.delete(name);
  fx.cleanup();
});

// The fixture's `files` provider keeps its key in store kc (this run's own keychain service).
const config = join(fx.dir, 'atmos.yaml');
writeFileSync(
  config,
  readFileSync(config, 'utf8').replace(
    'file: secrets/{{ .atmos_stack }}.enc.yaml',
    'file: secrets/{{ .atmos_stack }}.enc.yaml\n        age_key: {store: kc}',
  ),
);

function run(args: string[], stdin?: string): Promise<CliRun> {
  return runCliProcess([...args, '--base-path', fx.dir], {
    env: { ...process.env, XDG_CONFIG_HOME: join(fx.dir, 'no-config') },
    ...(stdin !== undefined ? { stdin } : {}),
  });
}

describe('atmos-secret keys (spawned, real keychain)', () => {
  it('imports, lists, exports and removes an age key', async () => {
    const set = await run(['set', 'SOPS_KEY', '-s', 'dev', '-c', 'enc', '--stdin', '--yes'], 'v-1');
    expect(set.code, set.stderr).toBe(0);
    const [first] = parseAgeKeyList((await keychain.get(ACCOUNT)) ?? '');
    expect(first).toMatch(/^AGE-SECRET-KEY-1/);

    const second = await newAgeKey();
    const file = join(fx.dir, 'keys.txt');
    writeFileSync(file, `# created: 2024-05-06T07:08:09Z\n# public key: ${second.recipient}\n${second.identity}\n`);
    const imp = await run(['keys', 'import', file]);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toBe(`${second.recipient}\n`);
    expect(parseAgeKeyList((await keychain.get(ACCOUNT)) ?? '')).toEqual([first, second.identity]);

    expect((await run(['sops', 'updatekeys', '--yes'])).code).toBe(0);
    const list = await run(['keys', 'list', '--format', 'json']);
    expect(list.code, list.stderr).toBe(0);
    const keys = (JSON.parse(list.stdout) as { keys: { recipient: string; files: { file: string }[] }[] }).keys;
    expect(keys.find((k) => k.recipient === second.recipient)?.files.map((f) => f.file)).toEqual([
      'secrets/dev.enc.yaml',
    ]);

    const exp = await run(['keys', 'export-recipient', second.recipient]);
    expect(exp).toMatchObject({ code: 0, stdout: `${second.recipient}\n` });
    const rm = await run(['keys', 'remove', second.recipient, '--yes']);
    expect(rm.code, rm.stderr).toBe(0);
    expect(parseAgeKeyList((await keychain.get(ACCOUNT)) ?? '')).toEqual([first]);
    for (const r of [set, imp, list, exp, rm]) expect(r.stdout + r.stderr).not.toContain('AGE-SECRET-KEY');
  });
});
