// `atmos-secret keys list|import|export-recipient|remove` and `sops updatekeys` as a person uses them to move a
// provider to a new key: generate, import a second key, re-key the files, remove the first key once nothing
// depends on it alone. Private keys never appear in any output; asking commands stop with exit 2 without --yes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newAgeKey } from '../../../test/support/fixtures/sops/age-keys';
import { inProcessCli, type InProcessCli } from '../../../test/support/in-process-cli';
import { parseAgeKeyList } from '../../main/sops';

let cli: InProcessCli | undefined;
afterEach(() => cli?.cleanup());

const ENTRY = 'atmos/sops-age/files';

interface ListedKey {
  recipient: string;
  account: string;
  providers: string[];
  files: { file: string; lostHere: boolean }[];
}

async function listed(c: InProcessCli): Promise<ListedKey[]> {
  const r = await c.run(['keys', 'list', '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { keys: ListedKey[] }).keys;
}

describe('atmos-secret keys', () => {
  it('moves a provider to an imported key: list, import, updatekeys, remove the old key', async () => {
    const c = (cli = inProcessCli());
    const gen = await c.run(['keygen', 'files']);
    expect(gen.code, gen.stderr).toBe(0);
    const first = gen.stdout.trim();
    const set = await c.run(['set', 'SOPS_KEY', '-s', 'dev', '-c', 'enc', '--stdin', '--yes'], 'the-value');
    expect(set.code, set.stderr).toBe(0);
    expect(await listed(c)).toEqual([
      expect.objectContaining({
        recipient: first,
        account: ENTRY,
        providers: ['files'],
        files: [expect.objectContaining({ file: 'secrets/dev.enc.yaml', lostHere: true })],
      }),
    ]);

    const second = await newAgeKey();
    const imp = await c.run(['keys', 'import', '--stdin'], `# laptop key\n${second.identity}\n`);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toBe(`${second.recipient}\n`);
    expect(imp.stdout + imp.stderr).not.toContain(second.identity);
    expect(readFileSync(join(c.dir, '.sops.yaml'), 'utf8')).toContain(second.recipient);

    const dry = await c.run(['sops', 'updatekeys', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`secrets/dev.enc.yaml: + age ${second.recipient}`);
    const json = await c.run(['sops', 'updatekeys', '--dry-run', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      action: 'updatekeys',
      provider: 'files',
      changes: true,
      files: [
        {
          file: 'secrets/dev.enc.yaml',
          changes: true,
          added: [`age ${second.recipient}`],
          removed: [],
          valuesReencrypted: 0,
        },
      ],
    });
    const asks = await c.run(['sops', 'updatekeys']);
    expect(asks.code).toBe(2);
    const upd = await c.run(['sops', 'updatekeys', '--yes']);
    expect(upd.code, upd.stderr).toBe(0);

    const noYes = await c.run(['keys', 'remove', first]);
    expect(noYes.code).toBe(2);
    expect(noYes.stdout).toContain('every SOPS file it opens stays readable with another key');
    expect(noYes.stdout).toContain('still readable: secrets/dev.enc.yaml (files)');
    const rm = await c.run(['keys', 'remove', first, '--yes']);
    expect(rm.code, rm.stderr).toBe(0);
    expect((await listed(c)).map((k) => k.recipient)).toEqual([second.recipient]);
    expect(readFileSync(join(c.dir, '.sops.yaml'), 'utf8')).not.toContain(first);
    const get = await c.run(['get', 'SOPS_KEY', '-s', 'dev', '-c', 'enc', '--raw']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe('the-value');

    const exp = await c.run(['keys', 'export-recipient', 'files']);
    expect(exp).toMatchObject({ code: 0, stdout: `${second.recipient}\n` });

    // The remaining key is the only held key of the file (its stanza still names the removed key, which someone
    // else may hold, so it is not lost for everyone): the plan says so, and a dry run keeps it.
    const last = await c.run(['keys', 'remove', 'files', '--dry-run']);
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout).toContain('would no longer decrypt on this machine');
    expect(last.stdout).toContain('    secrets/dev.enc.yaml (files)\n');
    expect(last.stdout).not.toContain('nobody could open it');
    const stored = (await c.keychains.get('atmos-secrets').get(ENTRY)) ?? '';
    expect(parseAgeKeyList(stored)).toEqual([second.identity]);
    for (const r of [gen, set, dry, upd, noYes, rm, exp, last])
      expect(r.stdout + r.stderr).not.toContain('AGE-SECRET-KEY');
  });

  it('refuses a keys.txt with a bad line by file and line (exit 2), and a missing file', async () => {
    const c = (cli = inProcessCli());
    const k = await newAgeKey();
    const file = join(c.dir, 'keys.txt');
    writeFileSync(file, `${k.identity}\n${k.recipient}\n`);
    const bad = await c.run(['keys', 'import', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file}, line 2`);
    expect(bad.stderr).not.toContain(k.identity);
    expect(await c.keychains.get('atmos-secrets').get(ENTRY)).toBeNull();
    const both = await c.run(['keys', 'import', file, '--stdin']);
    expect(both.code).toBe(2);
    const missing = await c.run(['keys', 'import', join(c.dir, 'nope.txt')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('nope.txt');
  });

  it('keeps the old commands: keychain list shows entry names only', async () => {
    const c = (cli = inProcessCli());
    expect((await c.run(['keygen'])).code).toBe(0);
    const r = await c.run(['keychain', 'list', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ service: 'atmos-secrets', name: ENTRY }]);
  });
});
