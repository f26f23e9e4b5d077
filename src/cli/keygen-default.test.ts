// keygen's default sink is the OS keychain (spec: "the OS keychain unless age_key names a file"): a provider
// without age_key gets its key at service atmos-secrets, account atmos/sops-age/<provider>, no key file is
// written, and the provider's age key source reads that entry back, so set then get work with no key file.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inProcessCli, type InProcessCli } from '../../test/support/in-process-cli';
import { parseAgeKeyList } from '../main/sops';

let cli: InProcessCli | undefined;
afterEach(() => cli?.cleanup());

const CANARY = 'CANARY-keygen-5b1c';

function harness() {
  cli = inProcessCli();
  return { run: cli.run, keychains: cli.keychains, keyFile: join(cli.configHome, 'sops', 'age', 'keys.txt') };
}

describe('keygen without age_key', () => {
  it('stores the key in the OS keychain (atmos-secrets, atmos/sops-age/files); set then get read it back', async () => {
    const { run, keychains, keyFile } = harness();
    const kg = await run(['keygen', 'files']);
    expect(kg.code, kg.stderr).toBe(0);
    const stored = await keychains.get('atmos-secrets').get('atmos/sops-age/files');
    const ids = parseAgeKeyList(stored ?? '');
    expect(ids).toHaveLength(1);
    expect(existsSync(keyFile)).toBe(false);
    expect(kg.stderr).toContain('keychain');
    expect(kg.stdout + kg.stderr).not.toContain(ids[0]);

    const set = await run(['set', 'SOPS_KEY', '-s', 'dev', '-c', 'enc', '--stdin', '--yes'], CANARY);
    expect(set.code, set.stderr).toBe(0);
    const get = await run(['get', 'SOPS_KEY', '-s', 'dev', '-c', 'enc', '--raw']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(CANARY);
  });
});
