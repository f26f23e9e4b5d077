// keygen's default sink is the OS keychain (spec: "the OS keychain unless age_key names a file"): a provider
// without age_key gets its key at service atmos-secrets, account atmos/sops-age/<provider>, no key file is
// written, and the provider's age key source reads that entry back, so set then get work with no key file.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copySecretsFixture, MemoryKeychains, type FixtureCopy } from '../../test/support/secrets-workspace';
import { parseAgeKeyList } from '../main/sops';
import type { CliContext } from './context';
import { runCli } from './program';

let fx: FixtureCopy | undefined;
let config: string | undefined;
afterEach(() => {
  fx?.cleanup();
  if (config) rmSync(config, { recursive: true, force: true });
});

const CANARY = 'CANARY-keygen-5b1c';

function harness() {
  fx = copySecretsFixture('basic', 'cli');
  const dir = fx.dir;
  // sops' default key file would be <XDG_CONFIG_HOME>/sops/age/keys.txt: an empty folder of the test's own.
  config = mkdtempSync(join(tmpdir(), 'atmos-xdg-'));
  const keychains = new MemoryKeychains();
  const run = async (args: string[], stdin = '') => {
    const out: string[] = [];
    const err: string[] = [];
    const ctx: CliContext = {
      io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false },
      env: { XDG_CONFIG_HOME: config as string },
      cwd: dir,
      keychain: (service) => keychains.get(service),
      readStdin: async () => stdin,
    };
    const code = await runCli([...args, '--base-path', dir], ctx, '1.0.0');
    return { code, stdout: out.join(''), stderr: err.join('') };
  };
  return { run, keychains, keyFile: join(config, 'sops', 'age', 'keys.txt') };
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
